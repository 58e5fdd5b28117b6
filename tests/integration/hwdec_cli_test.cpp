// --hwdec end to end: `auto` and `none` write the same frames byte for byte (on a machine
// without a decoding device both decode in software; on one with a device H.264 decodes
// exactly either way), the stats file names the decoder, a normal run prints nothing about
// devices, and a bad value is a one-line usage error.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "support/io_test_support.h"

namespace fw {
namespace {

using iotest::Asset;
using iotest::TempDir;

std::string Quote(const std::string& s) { return "'" + s + "'"; }

TEST(HwdecCommandLine, AutoAndNoneWriteTheSameFramesAndTheStatsNameTheDecoder) {
  TempDir dir;
  std::string y4m[2];
  const char* modes[2] = {"auto", "none"};
  for (int i = 0; i < 2; ++i) {
    const std::string out = dir.File(std::string(modes[i]) + ".y4m");
    const std::string stats = dir.File(std::string(modes[i]) + ".json");
    const iotest::ShellRun run =
        iotest::RunFacewarpShell(dir, "--headless --backend cpu --hwdec " + std::string(modes[i]) +
                                          " --input " + Quote(Asset(iotest::kClip512)) +
                                          " --output " + Quote(out) + " --stats " + Quote(stats));
    ASSERT_EQ(run.exit_code, 0) << modes[i];
    // Devices that do not open are logged at debug level only.
    for (const std::string& line : run.err_lines) {
      EXPECT_EQ(line.find("VDPAU"), std::string::npos) << line;
      EXPECT_EQ(line.find("vaapi"), std::string::npos) << line;
      EXPECT_EQ(line.find("cuda"), std::string::npos) << line;
    }
    std::ifstream in(stats);
    const nlohmann::json doc = nlohmann::json::parse(in);
    ASSERT_TRUE(doc.contains("decoder")) << doc.dump();
    const std::string decoder = doc["decoder"];
    EXPECT_EQ(decoder.rfind("h264 (", 0), 0u) << decoder;
    if (i == 1) {
      EXPECT_EQ(decoder, "h264 (software)");
    }
    EXPECT_EQ(doc["frames"], 120);
    y4m[i] = iotest::ReadBytes(out);
  }
  ASSERT_GT(y4m[0].size(), 120u * 512 * 512);
  EXPECT_TRUE(y4m[0] == y4m[1]) << "--hwdec auto and none differ";
}

TEST(HwdecCommandLine, VerboseSaysWhichDecoderRuns) {
  TempDir dir;
  const iotest::ShellRun run = iotest::RunFacewarpShell(
      dir, "--headless --backend cpu --verbose --frames 2 --input " +
               Quote(Asset(iotest::kClip512)) + " --output " + Quote(dir.File("o.y4m")));
  ASSERT_EQ(run.exit_code, 0);
  bool named = false;
  for (const std::string& line : run.err_lines) {
    named = named || line.find("with h264 (") != std::string::npos;
  }
  EXPECT_TRUE(named);
}

TEST(HwdecCommandLine, AnUnknownValueIsAOneLineUsageError) {
  TempDir dir;
  const iotest::ShellRun run = iotest::RunFacewarpShell(
      dir, "--headless --hwdec vaapi --input " + Quote(Asset(iotest::kClip512)) + " --output " +
               Quote(dir.File("o.y4m")));
  EXPECT_EQ(run.exit_code, 2);
  ASSERT_EQ(run.err_lines.size(), 1u);
  EXPECT_EQ(run.err_lines[0].rfind("facewarp: error: ", 0), 0u) << run.err_lines[0];
  EXPECT_NE(run.err_lines[0].find("--hwdec"), std::string::npos) << run.err_lines[0];
  EXPECT_FALSE(std::ifstream(dir.File("o.y4m")).good()) << "no output file";
}

}  // namespace
}  // namespace fw
