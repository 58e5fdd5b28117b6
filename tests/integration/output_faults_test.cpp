// Faults at the outputs: a full file system under every sink, stop signals while a pipe reader
// stalls, a reader that goes away, special files and links at the targets. Every case ends with
// one error line (or a complete output) and no partial or temporary file. No timing: each
// signal is sent once a condition holds (bytes arrived, the handlers are installed, a temporary
// exists), and every wait is bounded generously.
#include <fcntl.h>
#include <poll.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <opencv2/core.hpp>

#include "core/atomic_file.h"
#include "output/gst_sink.h"
#include "output/landmarks_writer.h"
#include "output/sink.h"
#include "support/io_test_support.h"

namespace fw {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr auto kGenerous = std::chrono::seconds(120);

// A 256 KiB tmpfs, mounted for the test (root only; skipped elsewhere).
class FullDisk : public ::testing::Test {
 protected:
  void SetUp() override {
    if (mount("tmpfs", dir_.path().c_str(), "tmpfs", 0, "size=256k") != 0) {
      GTEST_SKIP() << "cannot mount a small tmpfs here (needs root): " << std::strerror(errno);
    }
    mounted_ = true;
  }
  void TearDown() override {
    if (mounted_) umount2(dir_.path().c_str(), MNT_DETACH);
  }
  // Noise does not compress: every encoder fills the disk within a few frames.
  static cv::Mat Noise(int seed) {
    cv::Mat frame(512, 512, CV_8UC3);
    cv::RNG rng(seed);
    rng.fill(frame, cv::RNG::UNIFORM, 0, 256);
    return frame;
  }
  // Writes up to 60 noise frames and finishes; returns the first error's message.
  std::string FillThrough(const std::string& spec, bool still = false) {
    auto sink = output::OpenSink(spec, output::StreamInfo(512, 512, 30.0, still));
    if (!sink.ok()) return "open: " + sink.error().message;
    for (int i = 0; i < (still ? 1 : 60); ++i) {
      const core::Status s = (*sink)->Write(Noise(i));
      if (!s.ok()) return s.error().message;
    }
    const core::Status s = (*sink)->Finish();
    return s.ok() ? "" : s.error().message;
  }
  iotest::TempDir dir_;
  bool mounted_ = false;
};

TEST_F(FullDisk, EveryFileSinkFailsWithOneLineAndLeavesNothing) {
  for (const char* name : {"out.mp4", "out.mkv", "out.avi", "out.y4m"}) {
    const std::string message = FillThrough(dir_.File(name));
    EXPECT_THAT(message, HasSubstr("No space left on device")) << name;
    EXPECT_EQ(message.find('\n'), std::string::npos) << name;
    EXPECT_TRUE(dir_.List().empty()) << name << " left " << dir_.List().front();
  }
  const std::string png = FillThrough(dir_.File("out.png"), true);
  EXPECT_THAT(png, HasSubstr("No space left on device"));
  EXPECT_TRUE(dir_.List().empty());
}

TEST_F(FullDisk, GstFilesinkFailsNamingTheElementAndLeavesNothing) {
  if (!output::HaveGstElement("y4menc")) GTEST_SKIP() << "y4menc missing";
  const std::string message = FillThrough("gst:y4menc ! filesink location=" + dir_.File("g.y4m"));
  EXPECT_THAT(message, ::testing::MatchesRegex("GStreamer pipeline failed: filesink[0-9]+: .*"));
  EXPECT_TRUE(dir_.List().empty()) << dir_.List().front();
}

TEST_F(FullDisk, GstMultifilesinkFailsAndLeavesNoneOfItsFiles) {
  if (!output::HaveGstElement("pngenc") || !output::HaveGstElement("multifilesink")) {
    GTEST_SKIP() << "pngenc or multifilesink missing";
  }
  const std::string message =
      FillThrough("gst:pngenc ! multifilesink location=" + dir_.File("f%03d.png"));
  EXPECT_THAT(message, HasSubstr("GStreamer pipeline failed: multifilesink"));
  EXPECT_EQ(message.find('\n'), std::string::npos);
  EXPECT_TRUE(dir_.List().empty()) << dir_.List().front();
}

TEST_F(FullDisk, LandmarksAndStatsFailAndLeaveNothing) {
  auto writer = output::LandmarksWriter::Open(dir_.File("l.jsonl"));
  ASSERT_TRUE(writer.ok());
  core::Faces faces(1);
  faces[0].box = {1, 2, 3, 4};
  core::Status s = core::Status::Ok();
  for (int i = 0; i < 100000 && s.ok(); ++i) s = (*writer)->Write(i, faces);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message, HasSubstr("No space left on device"));
  writer->reset();
  const core::Status stats =
      core::WriteFileAtomically(dir_.File("s.json"), std::string(1 << 20, ' '));
  ASSERT_FALSE(stats.ok());
  EXPECT_THAT(stats.error().message, HasSubstr("No space left on device"));
  EXPECT_TRUE(dir_.List().empty());
}

// A facewarp process with its standard output on a pipe the test reads (or not).
struct Child {
  pid_t pid = -1;
  int out = -1;          // read end of its standard output
  std::string err_path;  // its standard error
};

Child Spawn(const iotest::TempDir& dir, const std::vector<std::string>& args) {
  Child child;
  child.err_path = dir.path() + ".stderr";
  int fds[2];
  if (pipe(fds) != 0) return child;
  child.pid = fork();
  if (child.pid == 0) {
    if (chdir(dir.path().c_str()) != 0) _exit(127);
    dup2(fds[1], STDOUT_FILENO);
    const int err = open(child.err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(err, STDERR_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> argv;
    std::string binary = iotest::FacewarpBinary();
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(fds[1]);
  child.out = fds[0];
  return child;
}

// Waits (bounded) for the child to exit; its exit code, or -1.
int Wait(Child& child) {
  const auto deadline = std::chrono::steady_clock::now() + kGenerous;
  int status = 0;
  while (waitpid(child.pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(child.pid, SIGKILL);
      waitpid(child.pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (child.out >= 0) close(child.out);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<std::string> Lines(const std::string& path) {
  std::vector<std::string> lines;
  std::istringstream in(iotest::ReadBytes(path));
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  std::remove(path.c_str());
  return lines;
}

// Blocks (bounded) until `count` bytes have arrived on `fd`, and reads them.
bool FirstBytesArrive(int fd, size_t count = 1) {
  const auto deadline = std::chrono::steady_clock::now() + kGenerous;
  char buffer[256];
  while (count > 0 && std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{fd, POLLIN, 0};
    if (poll(&pfd, 1, 1000) != 1) continue;
    const ssize_t n = read(fd, buffer, std::min(count, sizeof(buffer)));
    if (n <= 0) return false;
    count -= static_cast<size_t>(n);
  }
  return count == 0;
}

// Blocks (bounded) until `pid` catches `signal_number` (its handler is installed).
bool CatchesSignal(pid_t pid, int signal_number) {
  const auto deadline = std::chrono::steady_clock::now() + kGenerous;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("SigCgt:", 0) == 0) {
        const unsigned long long mask = std::stoull(line.substr(7), nullptr, 16);
        if ((mask >> (signal_number - 1)) & 1ULL) return true;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

class StalledReader : public ::testing::TestWithParam<int> {};

// The reader takes the header and the start of the first frame, then stalls: facewarp is
// blocked writing that frame (512x512 is 393 KB, a pipe holds 64 KB). The signal ends the run
// at once with one line; the video file beside it is never committed.
TEST_P(StalledReader, SignalStopsTheRunWithOneLineAndNoFile) {
  iotest::TempDir dir;
  Child child =
      Spawn(dir, {"--headless", "--backend", "cpu", "--input", iotest::Asset(iotest::kClip512),
                  "--output", "-", "--output", "out.mp4", "--stats", "stats.json"});
  ASSERT_GT(child.pid, 0);
  const size_t header = std::string("YUV4MPEG2 W512 H512 F30:1 Ip A1:1 C420jpeg\n").size();
  ASSERT_TRUE(FirstBytesArrive(child.out, header + std::string("FRAME\n").size() + 1));
  kill(child.pid, GetParam());
  EXPECT_EQ(Wait(child), 1);
  const std::vector<std::string> err = Lines(child.err_path);
  ASSERT_EQ(err.size(), 1u);
  EXPECT_THAT(err[0], StartsWith("facewarp: error: "));
  EXPECT_THAT(err[0], HasSubstr(std::string("interrupted by SIG") + sigabbrev_np(GetParam())));
  EXPECT_THAT(err[0], HasSubstr("while writing to standard output"));
  EXPECT_TRUE(dir.List().empty()) << dir.List().front();
}

INSTANTIATE_TEST_SUITE_P(Signals, StalledReader, ::testing::Values(SIGINT, SIGTERM, SIGHUP),
                         [](const auto& p) { return std::string(sigabbrev_np(p.param)); });

TEST(ClosedReader, EndsTheRunWithOneLineAndNoFile) {
  iotest::TempDir dir;
  Child child =
      Spawn(dir, {"--headless", "--backend", "cpu", "--input", iotest::Asset(iotest::kClip512),
                  "--output", "-", "--output", "out.mkv"});
  ASSERT_GT(child.pid, 0);
  ASSERT_TRUE(FirstBytesArrive(child.out));
  close(child.out);
  child.out = -1;
  EXPECT_EQ(Wait(child), 1);
  const std::vector<std::string> err = Lines(child.err_path);
  ASSERT_EQ(err.size(), 1u);
  EXPECT_EQ(err[0], "facewarp: error: cannot write to standard output: the reader closed the pipe");
  EXPECT_TRUE(dir.List().empty()) << dir.List().front();
}

// A signal while the model loads: caught (the handlers come first in main), reported once the
// load ends, without blaming the input.
TEST(EarlySignal, BeforeTheFirstFrameIsReportedAsSuchAndLeavesNothing) {
  iotest::TempDir dir;
  Child child = Spawn(dir, {"--headless", "--backend", "cpu", "--input",
                            iotest::Asset(iotest::kClip512), "--output", "out.mp4"});
  ASSERT_GT(child.pid, 0);
  ASSERT_TRUE(CatchesSignal(child.pid, SIGINT));
  kill(child.pid, SIGINT);
  EXPECT_EQ(Wait(child), 1);
  const std::vector<std::string> err = Lines(child.err_path);
  ASSERT_EQ(err.size(), 1u);
  EXPECT_THAT(err[0], HasSubstr("interrupted by SIGINT before the first frame"));
  EXPECT_THAT(err[0], ::testing::Not(HasSubstr("could be read")));
  EXPECT_TRUE(dir.List().empty()) << dir.List().front();
}

// A file run stopped while its encoder's temporary exists: nothing is committed, the temporary
// goes.
TEST(FileRunSignal, SigtermWhileEncodingLeavesNoTemporary) {
  iotest::TempDir dir;
  Child child =
      Spawn(dir, {"--headless", "--backend", "cpu", "--input", iotest::Asset(iotest::kClip512),
                  "--output", "out.mp4", "--landmarks", "-"});
  ASSERT_GT(child.pid, 0);
  ASSERT_TRUE(FirstBytesArrive(child.out));  // the first landmarks line: frames are flowing
  kill(child.pid, SIGTERM);
  EXPECT_EQ(Wait(child), 1);
  const std::vector<std::string> err = Lines(child.err_path);
  ASSERT_EQ(err.size(), 1u);
  EXPECT_THAT(err[0], HasSubstr("interrupted by SIGTERM"));
  EXPECT_TRUE(dir.List().empty()) << dir.List().front();
}

// A live run (--realtime, as a camera) ends on SIGINT as a camera run does: the outputs are
// finished and kept, complete and playable, holding every frame that was processed.
TEST(LiveRunSignal, SigintFinishesAndKeepsCompleteOutputs) {
  iotest::TempDir dir;
  Child child =
      Spawn(dir, {"--headless", "--backend", "cpu", "--realtime", "--input",
                  iotest::Asset(iotest::kClip512), "--output", "live.mp4", "--landmarks", "-"});
  ASSERT_GT(child.pid, 0);
  ASSERT_TRUE(FirstBytesArrive(child.out));  // the first frame is through
  kill(child.pid, SIGINT);
  std::string lines = "{";  // the byte FirstBytesArrive took
  char buffer[1 << 16];
  for (ssize_t n; (n = read(child.out, buffer, sizeof(buffer))) > 0;) lines.append(buffer, n);
  EXPECT_EQ(Wait(child), 0);
  EXPECT_TRUE(Lines(child.err_path).empty());
  const long frames = std::count(lines.begin(), lines.end(), '\n');
  ASSERT_GE(frames, 1);
  EXPECT_EQ(dir.List(), std::vector<std::string>{"live.mp4"});
  EXPECT_EQ(iotest::ProbeVideo(dir.File("live.mp4")), "512,512,30/1," + std::to_string(frames));
}

// Runs facewarp to completion; standard output collected.
struct Outcome {
  int exit_code = -1;
  std::string out;
  std::vector<std::string> err;
};

Outcome RunToEnd(const iotest::TempDir& dir, const std::vector<std::string>& args) {
  Child child = Spawn(dir, args);
  Outcome run;
  char buffer[1 << 16];
  for (ssize_t n; (n = read(child.out, buffer, sizeof(buffer))) > 0;) run.out.append(buffer, n);
  run.exit_code = Wait(child);
  run.err = Lines(child.err_path);
  return run;
}

TEST(SpecialTargets, LandmarksStreamToAPipeAndStatsToDevStdout) {
  iotest::TempDir dir;
  const Outcome run =
      RunToEnd(dir, {"--headless", "--backend", "cpu", "--input", iotest::Asset("astronaut.png"),
                     "--output", "out.png", "--landmarks", "-"});
  ASSERT_EQ(run.exit_code, 0) << (run.err.empty() ? "" : run.err[0]);
  EXPECT_THAT(run.out, StartsWith("{\"frame\":0,\"faces\":[{\"id\":1,\"box\":"));
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 1);

  const Outcome stats = RunToEnd(dir, {"--headless", "--backend", "cpu", "--input",
                                       iotest::Asset("astronaut.png"), "--stats", "/dev/stdout"});
  ASSERT_EQ(stats.exit_code, 0) << (stats.err.empty() ? "" : stats.err[0]);
  EXPECT_THAT(stats.out, HasSubstr("\"frames\""));
  EXPECT_TRUE(std::filesystem::is_symlink("/dev/stdout"));
}

TEST(SpecialTargets, LinkedOutputIsWrittenThroughAndStaysALink) {
  iotest::TempDir dir;
  std::filesystem::create_symlink("real.y4m", dir.File("link.y4m"));
  iotest::WriteBytes(dir.File("real.y4m"), "old");
  const Outcome run = RunToEnd(dir, {"--headless", "--backend", "cpu", "--input",
                                     iotest::Asset("astronaut.png"), "--output", "link.y4m"});
  ASSERT_EQ(run.exit_code, 0) << (run.err.empty() ? "" : run.err[0]);
  EXPECT_TRUE(std::filesystem::is_symlink(dir.File("link.y4m")));
  EXPECT_EQ(iotest::ProbeVideo(dir.File("real.y4m")), "512,512,30/1,1");
}

TEST(SpecialTargets, VideoFileOntoADeviceIsRefusedAndTheDeviceStays) {
  iotest::TempDir dir;
  std::filesystem::create_symlink("/dev/null", dir.File("null.mp4"));
  const Outcome run = RunToEnd(dir, {"--headless", "--backend", "cpu", "--input",
                                     iotest::Asset("astronaut.png"), "--output", "null.mp4"});
  EXPECT_EQ(run.exit_code, 1);
  ASSERT_EQ(run.err.size(), 1u);
  EXPECT_THAT(run.err[0], HasSubstr("a video file needs a regular file"));
  EXPECT_TRUE(std::filesystem::is_symlink(dir.File("null.mp4")));
  struct stat st;
  ASSERT_EQ(stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST(SpecialTargets, StandardOutputTwiceIsAUsageError) {
  iotest::TempDir dir;
  for (const std::vector<std::string>& twice :
       {std::vector<std::string>{"--output", "-", "--output", "-"},
        std::vector<std::string>{"--output", "-", "--landmarks", "-"}}) {
    std::vector<std::string> args = {"--headless", "--input", iotest::Asset("astronaut.png")};
    args.insert(args.end(), twice.begin(), twice.end());
    const Outcome run = RunToEnd(dir, args);
    EXPECT_EQ(run.exit_code, 2);
    ASSERT_EQ(run.err.size(), 1u);
    EXPECT_THAT(run.err[0], HasSubstr("standard output (-) can take one stream"));
    EXPECT_TRUE(run.out.empty());
  }
}

TEST(SpecialTargets, A250CharacterOutputNameWorks) {
  iotest::TempDir dir;
  const std::string name = std::string(246, 'n') + ".mp4";
  const Outcome run = RunToEnd(dir, {"--headless", "--backend", "cpu", "--input",
                                     iotest::Asset("astronaut.png"), "--output", name});
  ASSERT_EQ(run.exit_code, 0) << (run.err.empty() ? "" : run.err[0]);
  EXPECT_EQ(dir.List(), std::vector<std::string>{name});
}

TEST(SpecialTargets, BadStatsPathFailsBeforeAnyOutputIsWritten) {
  iotest::TempDir dir;
  const Outcome run =
      RunToEnd(dir, {"--headless", "--backend", "cpu", "--input", iotest::Asset("astronaut.png"),
                     "--output", "out.png", "--stats", "no/such/dir/stats.json"});
  EXPECT_EQ(run.exit_code, 1);
  ASSERT_EQ(run.err.size(), 1u);
  EXPECT_THAT(run.err[0], HasSubstr("does not exist"));
  EXPECT_TRUE(dir.List().empty()) << dir.List().front();
}

}  // namespace
}  // namespace fw
