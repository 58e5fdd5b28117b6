// The facewarp binary end to end: images and clips in and out, the YUV4MPEG2 pipe, the
// landmark and stats files, and pictures without faces. Bad input: bad_input_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/io_test_support.h"

namespace fw {
namespace {

using iotest::Asset;
using iotest::TempDir;

using RunResult = iotest::ShellRun;

// Runs facewarp with `args` (already shell-quoted where needed) in `dir`.
RunResult Facewarp(const TempDir& dir, const std::string& args) {
  return iotest::RunFacewarpShell(dir, args);
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

TEST(CommandLineEndToEnd, ImageToImageSlimsTheFaceAndLeavesTheBackgroundAlone) {
  TempDir dir;
  const RunResult run =
      Facewarp(dir, "--input " + Quote(Asset("astronaut.png")) + " --output out.png --backend cpu");
  ASSERT_EQ(run.exit_code, 0) << (run.err_lines.empty() ? "" : run.err_lines[0]);
  const cv::Mat in = cv::imread(Asset("astronaut.png"));
  const cv::Mat out = cv::imread(dir.File("out.png"));
  ASSERT_EQ(out.size(), in.size());
  // The face (around x 180-330, y 80-260) changes; the far corners do not.
  const cv::Rect face(180, 80, 150, 180);
  EXPECT_GT(cv::norm(in(face), out(face), cv::NORM_L1) / face.area(), 1.0);
  for (const cv::Rect corner : {cv::Rect(0, 0, 60, 60), cv::Rect(452, 452, 60, 60)}) {
    EXPECT_EQ(cv::norm(in(corner), out(corner), cv::NORM_INF), 0.0);
  }
}

TEST(CommandLineEndToEnd, ZeroStrengthGivesTheInputBackBitForBit) {
  TempDir dir;
  const RunResult run =
      Facewarp(dir, "--input " + Quote(Asset("group3.jpg")) +
                        " --output out.png --set slim=0 --set eyes=0 --backend cpu");
  ASSERT_EQ(run.exit_code, 0);
  const cv::Mat in = cv::imread(Asset("group3.jpg"));
  const cv::Mat out = cv::imread(dir.File("out.png"));
  ASSERT_EQ(out.size(), in.size());
  EXPECT_EQ(cv::norm(in, out, cv::NORM_INF), 0.0);
}

TEST(CommandLineEndToEnd, VideoToVideoKeepsSizeRateAndEveryFrame) {
  TempDir dir;
  const RunResult run = Facewarp(
      dir, "--input " + Quote(Asset(iotest::kClip512)) + " --output out.mp4 --backend cpu");
  ASSERT_EQ(run.exit_code, 0) << (run.err_lines.empty() ? "" : run.err_lines[0]);
  EXPECT_EQ(iotest::ProbeVideo(dir.File("out.mp4")), "512,512,30/1,120");
}

TEST(CommandLineEndToEnd, Y4mFileHasTheRightSizeAndFrameCount) {
  TempDir dir;
  const RunResult run = Facewarp(dir, "--headless --input " + Quote(Asset(iotest::kClip512)) +
                                          " --output out.y4m --frames 40 --backend cpu");
  ASSERT_EQ(run.exit_code, 0);
  EXPECT_EQ(iotest::ProbeVideo(dir.File("out.y4m")), "512,512,30/1,40");
}

TEST(CommandLineEndToEnd, StdoutPipeIsDecodedFrameByFrameByFfmpeg) {
  if (!iotest::HaveProgram("ffmpeg")) GTEST_SKIP() << "ffmpeg not installed";
  TempDir dir;
  const iotest::CommandResult r = iotest::RunCommand(
      "'" + iotest::FacewarpBinary() + "' --headless --backend cpu --input " +
      Quote(Asset(iotest::kClip512)) +
      " --output - 2>/dev/null | ffmpeg -v error -f yuv4mpegpipe -i - -f framecrc - "
      "| grep -vc '^#'");
  EXPECT_EQ(r.out, "120\n");
}

TEST(CommandLineEndToEnd, StdoutStreamCarriesSizeRateAndFrameCount) {
  TempDir dir;
  const RunResult run =
      Facewarp(dir, "--headless --backend cpu --frames 25 --input " +
                        Quote(Asset("group3_pan_1280x720.mp4")) + " --output - > piped.y4m");
  ASSERT_EQ(run.exit_code, 0);
  EXPECT_EQ(iotest::ProbeVideo(dir.File("piped.y4m")), "1280,720,30/1,25");
}

TEST(CommandLineEndToEnd, SeveralOutputsAtOnceGetTheSameFrames) {
  TempDir dir;
  const RunResult run = Facewarp(dir, "--input " + Quote(Asset(iotest::kClip512)) +
                                          " --output a.mkv --output b.y4m --output c.avi"
                                          " --frames 30 --backend cpu");
  ASSERT_EQ(run.exit_code, 0);
  EXPECT_EQ(iotest::ProbeVideo(dir.File("a.mkv")), "512,512,30/1,30");
  EXPECT_EQ(iotest::ProbeVideo(dir.File("b.y4m")), "512,512,30/1,30");
  EXPECT_EQ(iotest::ProbeVideo(dir.File("c.avi")), "512,512,30/1,30");
}

TEST(CommandLineEndToEnd, LandmarksAndStatsFilesDescribeEveryFrame) {
  TempDir dir;
  const RunResult run = Facewarp(dir, "--input " + Quote(Asset("group3_pan_1280x720.mp4")) +
                                          " --output out.y4m --frames 30 --backend cpu"
                                          " --landmarks faces.jsonl --stats stats.json");
  ASSERT_EQ(run.exit_code, 0);
  std::ifstream in(dir.File("faces.jsonl"));
  int lines = 0;
  std::set<int> ids;  // every face's id over the run: one per person, the same on each frame
  for (std::string line; std::getline(in, line); ++lines) {
    const auto doc = nlohmann::json::parse(line);
    EXPECT_EQ(doc["frame"], lines);
    std::set<int> frame_ids;
    for (const auto& face : doc["faces"]) frame_ids.insert(face.value("id", 0));
    EXPECT_EQ(frame_ids.size(), doc["faces"].size()) << "frame " << lines;
    EXPECT_EQ(frame_ids.count(0), 0u) << "a face without its id on frame " << lines;
    ids.insert(frame_ids.begin(), frame_ids.end());
    // The tilted middle face is found by a later detection run, then faded in.
    EXPECT_GE(doc["faces"].size(), lines < 20 ? 2u : 3u) << "frame " << lines;
    EXPECT_LE(doc["faces"].size(), 3u) << "frame " << lines;
    for (const auto& face : doc["faces"]) {
      ASSERT_EQ(face["points"].size(), 68u);
      ASSERT_EQ(face["box"].size(), 4u);
      // A face the frame cuts at its edge keeps its whole outline, so points may lie past the
      // edge, but never farther than the face's own width; its centre is in the picture.
      const double x = face["box"][0].get<double>(), w = face["box"][2].get<double>();
      EXPECT_GT(x + w / 2, 0.0);
      EXPECT_LT(x + w / 2, 1280.0);
      for (const auto& p : face["points"]) {
        EXPECT_GE(p[0].get<double>(), -w);
        EXPECT_LT(p[0].get<double>(), 1280.0 + w);
      }
    }
  }
  EXPECT_EQ(lines, 30);
  EXPECT_EQ(ids.size(), 3u) << "three people, three ids";
  const auto stats = nlohmann::json::parse(iotest::ReadBytes(dir.File("stats.json")));
  EXPECT_EQ(stats["frames"], 30);
  EXPECT_GT(stats["fps"].get<double>(), 0.0);
  EXPECT_EQ(stats["frames_dropped"], 0);
  EXPECT_GT(stats["cpu_ms_per_frame"].get<double>(), 0.0);
  for (const char* stage : {"capture", "detect", "landmarks", "warp", "readback", "output"}) {
    EXPECT_TRUE(stats["stages"].contains(stage)) << stage;
  }
  EXPECT_GT(stats["stages"]["warp"]["p95_ms"].get<double>(), 0.0);
}

TEST(CommandLineEndToEnd, GlAndCpuBackendsGiveMatchingResults) {
  TempDir dir;
  const std::string in = Quote(Asset("group6.jpg"));
  const RunResult cpu = Facewarp(dir, "--input " + in + " --output cpu.png --backend cpu");
  const RunResult gl = Facewarp(dir, "--headless --input " + in + " --output gl.png --backend gl");
  ASSERT_EQ(cpu.exit_code, 0);
  if (gl.exit_code != 0) GTEST_SKIP() << "no GL context here: " << gl.err_lines.front();
  const cv::Mat a = cv::imread(dir.File("cpu.png"));
  const cv::Mat b = cv::imread(dir.File("gl.png"));
  ASSERT_EQ(a.size(), b.size());
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  double max_diff = 0.0;
  cv::minMaxLoc(diff.reshape(1), nullptr, &max_diff);
  EXPECT_LE(max_diff, 8.0);
  const double within_2 =
      1.0 - cv::countNonZero(diff.reshape(1) > 2) / static_cast<double>(diff.total() * 3);
  EXPECT_GE(within_2, 0.999);
}

// Streams: standard input ("--input -") and a FIFO are read as video streams, never probed
// for an image (which would swallow their first bytes).
TEST(CommandLineStreams, StandardInputAndAFifoDeliverEveryFrame) {
  if (!iotest::HaveProgram("ffmpeg")) GTEST_SKIP() << "ffmpeg not installed";
  TempDir inputs;
  const std::string y4m = inputs.File("clip.y4m");
  const std::string mkv = inputs.File("clip.mkv");
  const std::string clip = Quote(Asset(iotest::kClip512));
  ASSERT_EQ(
      iotest::RunCommand("ffmpeg -v error -i " + clip + " -frames:v 30 " + Quote(y4m) +
                         " && ffmpeg -v error -i " + clip + " -frames:v 30 -c:v ffv1 " + Quote(mkv))
          .exit_code,
      0);
  TempDir dir;
  const RunResult piped =
      Facewarp(dir, "--headless --backend cpu --input - --output a.y4m < " + Quote(y4m));
  ASSERT_EQ(piped.exit_code, 0) << (piped.err_lines.empty() ? "" : piped.err_lines[0]);
  EXPECT_EQ(iotest::ProbeVideo(dir.File("a.y4m")), "512,512,30/1,30");

  const std::string fifo = inputs.File("fifo");
  ASSERT_EQ(iotest::RunCommand("mkfifo " + Quote(fifo)).exit_code, 0);
  const RunResult fed =
      Facewarp(dir, "--headless --backend cpu --input " + Quote(fifo) + " --output b.y4m & cat " +
                        Quote(mkv) + " > " + Quote(fifo) + "; wait $!");
  ASSERT_EQ(fed.exit_code, 0) << (fed.err_lines.empty() ? "" : fed.err_lines[0]);
  EXPECT_EQ(iotest::ProbeVideo(dir.File("b.y4m")), "512,512,30/1,30");
}

// Libraries' own messages stay off stderr, and --verbose shows them through the logger.
TEST(CommandLineStreams, VerboseShowsFfmpegsOwnMessagesAsLogLines) {
  TempDir inputs;
  iotest::WriteBytes(inputs.File("cut.mp4"), iotest::ReadBytes(Asset(iotest::kClip512), 8000));
  TempDir dir;
  const RunResult quiet =
      Facewarp(dir, "--input " + Quote(inputs.File("cut.mp4")) + " --output o.mp4 --backend cpu");
  EXPECT_EQ(quiet.exit_code, 1);
  EXPECT_EQ(quiet.err_lines.size(), 1u);
  const RunResult verbose = Facewarp(
      dir, "--verbose --input " + Quote(inputs.File("cut.mp4")) + " --output o.mp4 --backend cpu");
  EXPECT_EQ(verbose.exit_code, 1);
  int ffmpeg_lines = 0;
  for (const std::string& line : verbose.err_lines) {
    EXPECT_EQ(line.rfind("facewarp: ", 0), 0u) << line;
    ffmpeg_lines += line.rfind("facewarp: debug: ffmpeg: ", 0) == 0;
  }
  EXPECT_GE(ffmpeg_lines, 1);
  EXPECT_EQ(verbose.err_lines.back().rfind("facewarp: error: ", 0), 0u);
}

// A picture without anyone in it passes through unchanged: one notice line, exit 0, every
// frame written (to a file or a pipe). The shuttle in the corner of the astronaut photo is a
// real picture with no face.

std::string MakeShuttleClip(const TempDir& dir) {
  const cv::Mat shuttle = cv::imread(Asset("astronaut.png"))(cv::Rect(352, 0, 160, 240)).clone();
  cv::imwrite(dir.File("shuttle.png"), shuttle);
  // Uncompressed 4:2:0 (YUV4MPEG2), so the pass-through can be compared pixel for pixel.
  iotest::RunCommand("ffmpeg -v error -framerate 30 -loop 1 -i " + Quote(dir.File("shuttle.png")) +
                     " -vf format=yuv420p -frames:v 20 " + Quote(dir.File("shuttle.y4m")));
  return dir.File("shuttle.y4m");
}

void ExpectNoFaceNotice(const RunResult& run, const std::string& name) {
  ASSERT_EQ(run.exit_code, 0) << (run.err_lines.empty() ? "" : run.err_lines[0]);
  ASSERT_EQ(run.err_lines.size(), 1u);
  EXPECT_EQ(run.err_lines[0].rfind("facewarp: warning: no face found in ", 0), 0u)
      << run.err_lines[0];
  EXPECT_NE(run.err_lines[0].find(name), std::string::npos) << run.err_lines[0];
  EXPECT_NE(run.err_lines[0].find("passed through unchanged"), std::string::npos);
}

TEST(CommandLineNoFace, AVideoWithoutFacesIsWrittenUnchangedFrameForFrame) {
  if (!iotest::HaveProgram("ffmpeg")) GTEST_SKIP() << "ffmpeg not installed";
  TempDir inputs;
  const std::string clip = MakeShuttleClip(inputs);
  TempDir dir;
  const RunResult run = Facewarp(dir, "--input " + Quote(clip) + " --output out.y4m --backend cpu");
  ExpectNoFaceNotice(run, "shuttle.y4m");
  EXPECT_EQ(iotest::ProbeVideo(dir.File("out.y4m")), "160,240,30/1,20");
  // Every frame equals the input's, up to the rounding of the YUV -> BGR -> YUV round trip.
  const std::string a =
      iotest::RunCommand("ffmpeg -v error -i " + Quote(clip) + " -pix_fmt yuv420p -f rawvideo -")
          .out;
  const std::string b = iotest::RunCommand("ffmpeg -v error -i " + Quote(dir.File("out.y4m")) +
                                           " -pix_fmt yuv420p -f rawvideo -")
                            .out;
  ASSERT_EQ(a.size(), 160u * 240u * 3u / 2u * 20u);
  ASSERT_EQ(b.size(), a.size());
  int max_diff = 0;
  double sum = 0.0;
  for (size_t i = 0; i < a.size(); ++i) {
    const int d = std::abs(static_cast<uint8_t>(a[i]) - static_cast<uint8_t>(b[i]));
    max_diff = std::max(max_diff, d);
    sum += d;
  }
  // Colour conversion rounding only (a warp moves whole regions by many levels).
  EXPECT_LE(max_diff, 4);
  EXPECT_LT(sum / static_cast<double>(a.size()), 1.0);
}

TEST(CommandLineNoFace, AVideoWithoutFacesStreamsEveryFrameToAPipeAndExitsZero) {
  if (!iotest::HaveProgram("ffmpeg")) GTEST_SKIP() << "ffmpeg not installed";
  TempDir inputs;
  const std::string clip = MakeShuttleClip(inputs);
  TempDir dir;
  const RunResult run =
      Facewarp(dir, "--headless --input " + Quote(clip) + " --output - --backend cpu > piped.y4m");
  ExpectNoFaceNotice(run, "shuttle.y4m");
  EXPECT_EQ(iotest::ProbeVideo(dir.File("piped.y4m")), "160,240,30/1,20");
}

TEST(CommandLineNoFace, APhotoWithoutFacesIsCopiedPixelForPixel) {
  TempDir inputs;
  const cv::Mat shuttle = cv::imread(Asset("astronaut.png"))(cv::Rect(352, 0, 160, 240)).clone();
  ASSERT_TRUE(cv::imwrite(inputs.File("shuttle.png"), shuttle));
  TempDir dir;
  const RunResult run = Facewarp(
      dir, "--input " + Quote(inputs.File("shuttle.png")) + " --output out.png --backend cpu");
  ExpectNoFaceNotice(run, "shuttle.png");
  const cv::Mat out = cv::imread(dir.File("out.png"));
  ASSERT_EQ(out.size(), shuttle.size());
  EXPECT_EQ(cv::norm(out, shuttle, cv::NORM_INF), 0.0);
}

}  // namespace
}  // namespace fw
