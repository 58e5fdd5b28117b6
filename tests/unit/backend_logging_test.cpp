// Quiet backend logging keeps FFmpeg's own messages about a corrupt file off stderr, leaving
// facewarp's one-line error alone.
#include "capture/backend_logging.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <random>
#include <string>

#include "capture/source.h"
#include "support/io_test_support.h"

namespace fw::capture {
namespace {

// Runs `fn` with file descriptor 2 sent to a file; returns what was written there.
template <class Fn>
std::string CaptureStderr(const iotest::TempDir& dir, Fn fn) {
  const std::string path = dir.File("stderr.txt");
  std::fflush(stderr);
  const int saved = dup(STDERR_FILENO);
  std::FILE* sink = std::fopen(path.c_str(), "w");
  dup2(fileno(sink), STDERR_FILENO);
  fn();
  std::fflush(stderr);
  dup2(saved, STDERR_FILENO);
  close(saved);
  std::fclose(sink);
  return iotest::ReadBytes(path);
}

TEST(BackendLogging, QuietModeKeepsFfmpegMessagesOffStderr) {
  ConfigureBackendLogging(false);
  iotest::TempDir dir;
  std::mt19937 rng(7);
  std::string noise(50000, '\0');
  for (char& c : noise) c = static_cast<char>(rng() & 0xff);
  iotest::WriteBytes(dir.File("noise.mp4"), noise);
  iotest::WriteBytes(dir.File("cut.mp4"), iotest::ReadBytes(iotest::Asset(iotest::kClip512), 8000));

  const std::string logged = CaptureStderr(dir, [&] {
    EXPECT_FALSE(OpenSource(dir.File("noise.mp4")).ok());
    EXPECT_FALSE(OpenSource(dir.File("cut.mp4")).ok());
  });
  EXPECT_EQ(logged, "");
}

}  // namespace
}  // namespace fw::capture
