// The facewarp binary end to end: images and clips in and out, the YUV4MPEG2 pipe, the
// landmark and stats files, and every kind of bad input (one error line, exit 1 or 2, no
// output file left behind).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "support/io_test_support.h"

namespace fw {
namespace {

using iotest::Asset;
using iotest::TempDir;

std::string Binary() {
  const char* env = std::getenv("FACEWARP_BINARY");
  return env != nullptr && *env != '\0' ? env : FACEWARP_BINARY_PATH;
}

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::vector<std::string> err_lines;
};

// Runs facewarp with `args` (already shell-quoted where needed) in `dir`.
RunResult Facewarp(const TempDir& dir, const std::string& args) {
  const std::string err = dir.File("stderr.txt");
  iotest::CommandResult r =
      iotest::RunCommand("cd '" + dir.path() + "' && '" + Binary() + "' " + args + " 2> '" +
                         err + "'");
  RunResult run;
  run.exit_code = r.exit_code;
  run.out = r.out;
  std::istringstream lines(iotest::ReadBytes(err));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) run.err_lines.push_back(line);
  }
  std::remove(err.c_str());
  return run;
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

// Every entry of `dir` except the stderr capture.
std::vector<std::string> Entries(const TempDir& dir) { return dir.List(); }

void ExpectCleanFailure(const RunResult& run, int exit_code, const std::string& needle,
                        const TempDir& dir) {
  EXPECT_EQ(run.exit_code, exit_code);
  ASSERT_EQ(run.err_lines.size(), 1u) << "stderr should be one line";
  EXPECT_EQ(run.err_lines[0].rfind("facewarp: error: ", 0), 0u) << run.err_lines[0];
  EXPECT_NE(run.err_lines[0].find(needle), std::string::npos) << run.err_lines[0];
  EXPECT_TRUE(Entries(dir).empty()) << "left behind: " << Entries(dir).front();
}

TEST(CommandLineEndToEnd, ImageToImageSlimsTheFaceAndLeavesTheBackgroundAlone) {
  TempDir dir;
  const RunResult run = Facewarp(dir, "--input " + Quote(Asset("astronaut.png")) +
                                    " --output out.png --backend cpu");
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
  const RunResult run = Facewarp(dir, "--input " + Quote(Asset("group3.jpg")) +
                                    " --output out.png --set slim=0 --set eyes=0 --backend cpu");
  ASSERT_EQ(run.exit_code, 0);
  const cv::Mat in = cv::imread(Asset("group3.jpg"));
  const cv::Mat out = cv::imread(dir.File("out.png"));
  ASSERT_EQ(out.size(), in.size());
  EXPECT_EQ(cv::norm(in, out, cv::NORM_INF), 0.0);
}

TEST(CommandLineEndToEnd, VideoToVideoKeepsSizeRateAndEveryFrame) {
  TempDir dir;
  const RunResult run = Facewarp(dir, "--input " + Quote(Asset(iotest::kClip512)) +
                                    " --output out.mp4 --backend cpu");
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
      "'" + Binary() + "' --headless --backend cpu --input " + Quote(Asset(iotest::kClip512)) +
      " --output - 2>/dev/null | ffmpeg -v error -f yuv4mpegpipe -i - -f framecrc - "
      "| grep -vc '^#'");
  EXPECT_EQ(r.out, "120\n");
}

TEST(CommandLineEndToEnd, StdoutStreamCarriesSizeRateAndFrameCount) {
  TempDir dir;
  const RunResult run = Facewarp(dir, "--headless --backend cpu --frames 25 --input " +
                                          Quote(Asset("group3_pan_1280x720.mp4")) +
                                          " --output - > piped.y4m");
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
  for (std::string line; std::getline(in, line); ++lines) {
    const auto doc = nlohmann::json::parse(line);
    EXPECT_EQ(doc["frame"], lines);
    // The tilted middle face is found by a later detection run, then faded in.
    EXPECT_GE(doc["faces"].size(), lines < 20 ? 2u : 3u) << "frame " << lines;
    EXPECT_LE(doc["faces"].size(), 3u) << "frame " << lines;
    for (const auto& face : doc["faces"]) {
      ASSERT_EQ(face["points"].size(), 68u);
      ASSERT_EQ(face["box"].size(), 4u);
      for (const auto& p : face["points"]) {
        EXPECT_GE(p[0].get<double>(), 0.0);
        EXPECT_LT(p[0].get<double>(), 1280.0);
      }
    }
  }
  EXPECT_EQ(lines, 30);
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

// Bad input: one error line, the documented exit status, and nothing written.

TEST(CommandLineErrors, MissingInputFile) {
  TempDir dir;
  ExpectCleanFailure(Facewarp(dir, "--input nope.mp4 --output out.mp4 --backend cpu"), 1,
                     "nope.mp4", dir);
}

TEST(CommandLineErrors, CorruptInputFiles) {
  TempDir inputs;
  iotest::WriteBytes(inputs.File("noise.mp4"), std::string(4096, '\x5a'));
  iotest::WriteBytes(inputs.File("text.png"), "this is not a picture\n");
  const std::string clip = iotest::ReadBytes(Asset(iotest::kClip512), 3000);
  iotest::WriteBytes(inputs.File("truncated.mp4"), clip);
  for (const char* name : {"noise.mp4", "text.png", "truncated.mp4"}) {
    TempDir dir;
    ExpectCleanFailure(
        Facewarp(dir, "--input " + Quote(inputs.File(name)) + " --output out.mp4 --backend cpu"),
        1, name, dir);
  }
}

TEST(CommandLineErrors, UnknownParameterListsTheValidKeys) {
  TempDir dir;
  ExpectCleanFailure(Facewarp(dir, "--input " + Quote(Asset("astronaut.png")) +
                                       " --output out.png --set chin=2"),
                     2, "thin_radius", dir);
}

TEST(CommandLineErrors, OutOfRangeValueGivesTheRange) {
  TempDir dir;
  ExpectCleanFailure(Facewarp(dir, "--input " + Quote(Asset("astronaut.png")) +
                                       " --output out.png --set eyes=7"),
                     2, "range", dir);
}

TEST(CommandLineErrors, UnknownOptionAndBadBackend) {
  TempDir dir;
  ExpectCleanFailure(Facewarp(dir, "--input x.png --slim 3"), 2, "--slim", dir);
  ExpectCleanFailure(Facewarp(dir, "--input x.png --backend metal"), 2, "backend", dir);
}

TEST(CommandLineErrors, DeviceThatIsNotACamera) {
  TempDir dir;
  ExpectCleanFailure(Facewarp(dir, "--input /dev/null --output out.mp4 --backend cpu"), 1,
                     "/dev/null", dir);
}

TEST(CommandLineErrors, VideoWithoutFaces) {
  if (!iotest::HaveProgram("ffmpeg")) GTEST_SKIP() << "ffmpeg not installed";
  TempDir inputs;
  // The shuttle in the corner of the astronaut photo: a real picture with no face.
  const std::string clip = inputs.File("shuttle.mp4");
  ASSERT_EQ(iotest::RunCommand("ffmpeg -v error -loop 1 -i " + Quote(Asset("astronaut.png")) +
                               " -vf crop=160:240:352:0,format=yuv420p -frames:v 20 -r 30 " +
                               Quote(clip))
                .exit_code,
            0);
  TempDir dir;
  ExpectCleanFailure(
      Facewarp(dir, "--input " + Quote(clip) + " --output out.mp4 --landmarks l.jsonl "
                    "--stats s.json --backend cpu"),
      1, "no face", dir);
}

TEST(CommandLineErrors, AbsentOrDamagedModelNamesThePathsAndThePackage) {
  TempDir inputs;
  iotest::WriteBytes(inputs.File("broken.dat"), std::string(100000, '\x01'));
  for (const std::string& model : {inputs.File("absent.dat"), inputs.File("broken.dat")}) {
    TempDir dir;
    ExpectCleanFailure(Facewarp(dir, "--input " + Quote(Asset("astronaut.png")) +
                                         " --output out.png --backend cpu --model " +
                                         Quote(model)),
                       1, "libdlib-data", dir);
  }
}

TEST(CommandLineErrors, OutputsThatCannotBeWritten) {
  TempDir dir;
  ExpectCleanFailure(Facewarp(dir, "--input " + Quote(Asset(iotest::kClip512)) +
                                       " --output no/such/dir/out.mp4 --backend cpu"),
                     1, "no/such/dir", dir);
  ExpectCleanFailure(Facewarp(dir, "--input " + Quote(Asset(iotest::kClip512)) +
                                       " --output out.gif --backend cpu"),
                     2, "out.gif", dir);
  ExpectCleanFailure(Facewarp(dir, "--input " + Quote(Asset(iotest::kClip512)) +
                                       " --output still.png --backend cpu"),
                     2, "still.png", dir);
}

TEST(CommandLineErrors, VirtualCameraOnARegularFileIsRefused) {
  TempDir inputs;
  iotest::WriteBytes(inputs.File("not-a-device"), "x");
  TempDir dir;
  ExpectCleanFailure(Facewarp(dir, "--headless --input " + Quote(Asset("astronaut.png")) +
                                       " --output v4l2:" + inputs.File("not-a-device") +
                                       " --backend cpu"),
                     1, "not-a-device", dir);
}

}  // namespace
}  // namespace fw
