// Headless `--backend gl` runs of a bundled clip to YUV4MPEG2 with the planar GL path forced on
// ($FACEWARP_GL_PLANES=1: planes uploaded, converted and read back in shaders) give the frames
// of the path before it (forced off: converted on the CPU, uploaded and read back as BGR),
// frame for frame at the GL/CPU parity tolerance (at most 8 levels, 2 levels on 99.9% of
// samples), with the faces warped and with the appearance layers on. Skipped without a GL
// context.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "support/io_test_support.h"

namespace fw {
namespace {

using iotest::Asset;
using iotest::TempDir;

std::string Quote(const std::string& s) { return "'" + s + "'"; }

// The frames of a YUV4MPEG2 file (4:2:0), each as one buffer of its three planes.
struct Y4m {
  int width = 0;
  int height = 0;
  std::vector<std::string> frames;
};

Y4m ReadY4m(const std::string& path) {
  Y4m y4m;
  const std::string bytes = iotest::ReadBytes(path);
  const size_t header_end = bytes.find('\n');
  if (header_end == std::string::npos) return y4m;
  const std::string header = bytes.substr(0, header_end);
  for (size_t at = header.find(' '); at != std::string::npos; at = header.find(' ', at + 1)) {
    if (header[at + 1] == 'W') y4m.width = std::atoi(header.c_str() + at + 2);
    if (header[at + 1] == 'H') y4m.height = std::atoi(header.c_str() + at + 2);
  }
  const size_t chroma = static_cast<size_t>((y4m.width + 1) / 2) * ((y4m.height + 1) / 2);
  const size_t frame_bytes = static_cast<size_t>(y4m.width) * y4m.height + 2 * chroma;
  size_t at = header_end + 1;
  while (at < bytes.size()) {
    const size_t line_end = bytes.find('\n', at);
    if (line_end == std::string::npos || bytes.compare(at, 5, "FRAME") != 0) break;
    if (line_end + 1 + frame_bytes > bytes.size()) break;
    y4m.frames.push_back(bytes.substr(line_end + 1, frame_bytes));
    at = line_end + 1 + frame_bytes;
  }
  return y4m;
}

struct Difference {
  int max_level = 0;
  double within_2 = 1.0;
  int64_t moved = 0;  // samples more than 8 levels apart (beyond a colour round trip's error)
};

Difference Compare(const std::string& a, const std::string& b) {
  Difference d;
  int64_t within = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const int level = std::abs(static_cast<unsigned char>(a[i]) - static_cast<unsigned char>(b[i]));
    d.max_level = std::max(d.max_level, level);
    within += level <= 2 ? 1 : 0;
    d.moved += level > 8 ? 1 : 0;
  }
  d.within_2 = a.empty() ? 0.0 : static_cast<double>(within) / static_cast<double>(a.size());
  return d;
}

class GlPlanarEndToEnd : public ::testing::Test {
 protected:
  // Runs the clip through the GL backend with the planar path forced on or off.
  bool Run(const std::string& clip, const std::string& extra, bool planar, const std::string& out) {
    const iotest::ShellRun run =
        iotest::RunFacewarpShell(dir_,
                                 "--headless --backend gl --verbose --frames 24 --input " +
                                     Quote(Asset(clip)) + " --output " + out + " " + extra,
                                 std::string("FACEWARP_GL_PLANES=") + (planar ? "1 " : "0 "));
    if (run.exit_code != 0) {
      no_gl_ = run.err_lines.empty() ? "facewarp failed" : run.err_lines.back();
      return false;
    }
    const std::string want = planar ? "in shaders" : "on the CPU";
    bool said = false;
    for (const std::string& line : run.err_lines)
      said = said || line.find(want) != std::string::npos;
    EXPECT_TRUE(said) << "the run did not say planar frames were converted " << want;
    return true;
  }

  TempDir dir_;
  std::string no_gl_;
};

TEST_F(GlPlanarEndToEnd, PlanarRunGivesTheFramesOfTheBgrPathWithTheFacesWarped) {
  for (const char* clip : {"group3_pan_1280x720.mp4", iotest::kClip512}) {
    if (!Run(clip, "", true, "planar.y4m")) GTEST_SKIP() << "no GL context here: " << no_gl_;
    ASSERT_TRUE(Run(clip, "", false, "bgr.y4m"));
    // The clip as decoded, unwarped.
    ASSERT_EQ(iotest::RunCommand("ffmpeg -y -v error -i " + Quote(Asset(clip)) +
                                 " -frames:v 24 -pix_fmt yuv420p -f yuv4mpegpipe " +
                                 Quote(dir_.File("still.y4m")))
                  .exit_code,
              0);
    const Y4m planar = ReadY4m(dir_.File("planar.y4m"));
    const Y4m bgr = ReadY4m(dir_.File("bgr.y4m"));
    const Y4m still = ReadY4m(dir_.File("still.y4m"));
    ASSERT_EQ(planar.frames.size(), 24u) << clip;
    ASSERT_EQ(bgr.frames.size(), planar.frames.size()) << clip;
    ASSERT_EQ(bgr.width, planar.width);
    ASSERT_EQ(bgr.height, planar.height);
    int64_t warped = 0;
    for (size_t i = 0; i < planar.frames.size(); ++i) {
      const Difference d = Compare(planar.frames[i], bgr.frames[i]);
      EXPECT_LE(d.max_level, 8) << clip << " frame " << i;
      EXPECT_GE(d.within_2, 0.999) << clip << " frame " << i;
      if (i < still.frames.size()) warped += Compare(planar.frames[i], still.frames[i]).moved;
    }
    std::printf("%s: %zu frames, %lld samples moved by the warp\n", clip, planar.frames.size(),
                static_cast<long long>(warped));
    EXPECT_GT(warped, 5000) << clip;
  }
}

TEST_F(GlPlanarEndToEnd, AppearanceLayersRunOnThePlanarPathAsOnTheBgrPath) {
  const std::string looks = "--set age=0.8 --set skin_smooth=0.6";
  const char* clip = iotest::kClip512;
  if (!Run(clip, looks, true, "planar.y4m")) GTEST_SKIP() << "no GL context here: " << no_gl_;
  ASSERT_TRUE(Run(clip, looks, false, "bgr.y4m"));
  ASSERT_TRUE(Run(clip, "", true, "plain.y4m"));
  const Y4m planar = ReadY4m(dir_.File("planar.y4m"));
  const Y4m bgr = ReadY4m(dir_.File("bgr.y4m"));
  const Y4m plain = ReadY4m(dir_.File("plain.y4m"));
  ASSERT_EQ(planar.frames.size(), 24u);
  ASSERT_EQ(bgr.frames.size(), planar.frames.size());
  ASSERT_EQ(plain.frames.size(), planar.frames.size());
  int64_t looked = 0;
  for (size_t i = 0; i < planar.frames.size(); ++i) {
    const Difference d = Compare(planar.frames[i], bgr.frames[i]);
    EXPECT_LE(d.max_level, 8) << "frame " << i;
    EXPECT_GE(d.within_2, 0.999) << "frame " << i;
    looked += Compare(planar.frames[i], plain.frames[i]).moved;
  }
  EXPECT_GT(looked, 5000);
}

}  // namespace
}  // namespace fw
