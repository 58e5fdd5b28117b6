// Recording while the preview runs: timestamped names, start/stop rules, nothing partial left.
#include "output/recorder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <cstdlib>
#include <ctime>

#include <chrono>
#include <string>
#include <vector>

#include "support/io_test_support.h"

namespace fw::output {
namespace {

using ::testing::HasSubstr;

const StreamInfo kInfo{64, 48, 30.0, false};

cv::Mat Frame() { return cv::Mat(48, 64, CV_8UC3, cv::Scalar(30, 90, 200)); }

// 2024-03-05 06:07:08 UTC.
std::chrono::system_clock::time_point March5() {
  return std::chrono::system_clock::from_time_t(1709618828);
}

class RecordingPathInUtc : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tz = getenv("TZ");
    had_tz_ = tz != nullptr;
    if (had_tz_) old_tz_ = tz;
    setenv("TZ", "UTC", 1);
    tzset();
  }
  void TearDown() override {
    if (had_tz_) {
      setenv("TZ", old_tz_.c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }

 private:
  bool had_tz_ = false;
  std::string old_tz_;
};

TEST_F(RecordingPathInUtc, IsTheLocalDateAndTimeInTheDirectory) {
  EXPECT_EQ(RecordingPath("/videos", March5()), "/videos/facewarp-20240305-060708.mp4");
  EXPECT_EQ(RecordingPath("clips", March5(), ".mkv"), "clips/facewarp-20240305-060708.mkv");
}

TEST_F(RecordingPathInUtc, AvoidsFilesThatExist) {
  iotest::TempDir dir;
  iotest::WriteBytes(dir.File("facewarp-20240305-060708.mp4"), "x");
  EXPECT_EQ(RecordingPath(dir.path(), March5()), dir.File("facewarp-20240305-060708-2.mp4"));
  iotest::WriteBytes(dir.File("facewarp-20240305-060708-2.mp4"), "x");
  EXPECT_EQ(RecordingPath(dir.path(), March5()), dir.File("facewarp-20240305-060708-3.mp4"));
}

TEST(Recorder, WritesNothingUntilStarted) {
  Recorder recorder;
  EXPECT_FALSE(recorder.recording());
  EXPECT_TRUE(recorder.Write(Frame()).ok());
  EXPECT_EQ(recorder.frames(), 0);
}

TEST(Recorder, StopWithoutStartIsAnError) {
  Recorder recorder;
  EXPECT_FALSE(recorder.Stop().ok());
}

TEST(Recorder, StartingTwiceIsAnErrorAndKeepsTheFirstRecording) {
  iotest::TempDir dir;
  Recorder recorder;
  ASSERT_TRUE(recorder.Start(dir.File("a.mp4"), kInfo).ok());
  const core::Status again = recorder.Start(dir.File("b.mp4"), kInfo);
  ASSERT_FALSE(again.ok());
  EXPECT_THAT(again.error().message, HasSubstr("already recording to " + dir.File("a.mp4")));
  ASSERT_TRUE(recorder.Write(Frame()).ok());
  const auto stopped = recorder.Stop();
  ASSERT_TRUE(stopped.ok()) << stopped.error().message;
  EXPECT_EQ(*stopped, dir.File("a.mp4"));
  EXPECT_EQ(dir.List(), std::vector<std::string>{"a.mp4"});
}

TEST(Recorder, OnlyVideoAndY4mPathsCanBeRecordedTo) {
  iotest::TempDir dir;
  Recorder recorder;
  for (const std::string& spec : {dir.File("x.png"), std::string("v4l2:/dev/video10"),
                                  std::string("-"), std::string("gst:fakesink")}) {
    const core::Status started = recorder.Start(spec, kInfo);
    ASSERT_FALSE(started.ok()) << spec;
    EXPECT_EQ(started.error().kind, core::ErrorKind::kUsage) << spec;
    EXPECT_FALSE(recorder.recording()) << spec;
  }
}

TEST(Recorder, RecordsAgainAfterStopping) {
  iotest::TempDir dir;
  Recorder recorder;
  for (const char* name : {"one.mp4", "two.y4m"}) {
    ASSERT_TRUE(recorder.Start(dir.File(name), kInfo).ok()) << name;
    EXPECT_TRUE(recorder.recording());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(recorder.Write(Frame()).ok());
    EXPECT_EQ(recorder.frames(), 3);
    ASSERT_TRUE(recorder.Stop().ok()) << name;
    EXPECT_FALSE(recorder.recording());
  }
  EXPECT_EQ(dir.List(), (std::vector<std::string>{"one.mp4", "two.y4m"}));
}

TEST(Recorder, StopWithoutAnyFrameIsAnErrorAndLeavesNoFile) {
  iotest::TempDir dir;
  Recorder recorder;
  ASSERT_TRUE(recorder.Start(dir.File("empty.mp4"), kInfo).ok());
  EXPECT_FALSE(recorder.Stop().ok());
  EXPECT_FALSE(recorder.recording());
  EXPECT_TRUE(dir.List().empty());
}

TEST(Recorder, FailedWriteAbandonsTheRecordingAndLeavesNoFile) {
  iotest::TempDir dir;
  Recorder recorder;
  ASSERT_TRUE(recorder.Start(dir.File("clip.mp4"), kInfo).ok());
  ASSERT_TRUE(recorder.Write(Frame()).ok());
  EXPECT_FALSE(recorder.Write(cv::Mat(10, 10, CV_8UC3, cv::Scalar::all(0))).ok());
  EXPECT_FALSE(recorder.recording());
  EXPECT_TRUE(dir.List().empty());
}

TEST(Recorder, UnwritableDirectoryFailsAtStart) {
  iotest::TempDir dir;
  Recorder recorder;
  const core::Status started = recorder.Start(dir.File("no/such/dir/clip.mp4"), kInfo);
  ASSERT_FALSE(started.ok());
  EXPECT_THAT(started.error().message, HasSubstr("does not exist"));
  EXPECT_FALSE(recorder.recording());
}

}  // namespace
}  // namespace fw::output
