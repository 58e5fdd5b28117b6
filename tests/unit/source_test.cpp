// Sources: still images, video files, and the errors for inputs that are missing, corrupt or
// not cameras.
#include "capture/source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include "capture/bgr8.h"
#include "capture/camera_source.h"
#include "capture/image_source.h"
#include "support/io_test_support.h"

namespace fw::capture {
namespace {

using ::testing::HasSubstr;

cv::Mat Astronaut() { return cv::imread(iotest::Asset("astronaut.png"), cv::IMREAD_COLOR); }

// Opening `spec` must fail with a runtime error whose message contains `expected`.
void ExpectOpenFails(const std::string& spec, const std::string& expected) {
  const auto source = OpenSource(spec);
  ASSERT_FALSE(source.ok()) << spec << " opened";
  EXPECT_EQ(source.error().kind, core::ErrorKind::kRuntime) << spec;
  EXPECT_THAT(source.error().message, HasSubstr(expected)) << spec;
  EXPECT_THAT(source.error().message, HasSubstr(spec));
}

TEST(Source, ImageIsAStreamOfOneFrame) {
  auto source = OpenSource(iotest::Asset("astronaut.png"));
  ASSERT_TRUE(source.ok()) << source.error().message;
  const SourceInfo& info = (*source)->info();
  EXPECT_EQ(info.kind, SourceKind::kImage);
  EXPECT_EQ(info.width, 512);
  EXPECT_EQ(info.height, 512);
  EXPECT_EQ(info.frame_count, 1);

  core::Frame frame;
  ASSERT_EQ((*source)->Read(frame), ReadState::kFrame);
  EXPECT_EQ(frame.index, 0);
  EXPECT_GT(frame.capture_ns, 0);
  ASSERT_EQ(frame.image.type(), CV_8UC3);
  EXPECT_EQ(cv::norm(frame.image, Astronaut(), cv::NORM_INF), 0.0);
  EXPECT_EQ((*source)->Read(frame), ReadState::kEnd);
}

TEST(Source, JpegIsRecognisedByContent) {
  auto source = OpenSource(iotest::Asset("group3.jpg"));
  ASSERT_TRUE(source.ok()) << source.error().message;
  EXPECT_EQ((*source)->info().kind, SourceKind::kImage);
  EXPECT_EQ((*source)->info().width, 1920);
  EXPECT_EQ((*source)->info().height, 1350);
}

TEST(Source, GreyBgraAndSixteenBitImagesArriveAsEightBitBgr) {
  iotest::TempDir dir;
  const cv::Mat bgr = Astronaut();
  std::vector<cv::Mat> channels;
  cv::split(bgr, channels);
  cv::Mat bgra, sixteen;
  cv::merge(std::vector<cv::Mat>{channels[0], channels[1], channels[2],
                                 cv::Mat(bgr.size(), CV_8U, cv::Scalar(128))},
            bgra);
  bgr.convertTo(sixteen, CV_16U, 257.0);
  ASSERT_TRUE(cv::imwrite(dir.File("grey.png"), channels[1]));
  ASSERT_TRUE(cv::imwrite(dir.File("bgra.png"), bgra));
  ASSERT_TRUE(cv::imwrite(dir.File("sixteen.png"), sixteen));

  const std::vector<std::pair<std::string, cv::Mat>> cases = {
      {"grey.png", ToBgr8(channels[1])}, {"bgra.png", bgr}, {"sixteen.png", bgr}};
  for (const auto& [name, expected] : cases) {
    auto source = OpenSource(dir.File(name));
    ASSERT_TRUE(source.ok()) << name << ": " << source.error().message;
    core::Frame frame;
    ASSERT_EQ((*source)->Read(frame), ReadState::kFrame) << name;
    ASSERT_EQ(frame.image.type(), CV_8UC3) << name;
    EXPECT_LE(cv::norm(frame.image, expected, cv::NORM_INF), 1.0) << name;
  }
}

TEST(Source, ToBgr8ConvertsEveryLayout) {
  const cv::Mat grey(2, 2, CV_8UC1, cv::Scalar(9));
  EXPECT_EQ(ToBgr8(grey).at<cv::Vec3b>(1, 1), cv::Vec3b(9, 9, 9));
  const cv::Mat bgra(2, 2, CV_8UC4, cv::Scalar(1, 2, 3, 4));
  EXPECT_EQ(ToBgr8(bgra).at<cv::Vec3b>(0, 0), cv::Vec3b(1, 2, 3));
  const cv::Mat deep(2, 2, CV_16UC3, cv::Scalar(65535, 257, 0));
  EXPECT_EQ(ToBgr8(deep).at<cv::Vec3b>(0, 1), cv::Vec3b(255, 1, 0));
  const cv::Mat unit(2, 2, CV_32FC1, cv::Scalar(1.0));
  EXPECT_EQ(ToBgr8(unit).at<cv::Vec3b>(0, 0), cv::Vec3b(255, 255, 255));
  EXPECT_EQ(ToBgr8(deep).type(), CV_8UC3);
}

TEST(Source, RepeatedImageGivesAFreshBufferPerFrame) {
  auto source = OpenImageFile(iotest::Asset("astronaut.png"), 2);
  ASSERT_TRUE(source.ok());
  core::Frame a, b, end;
  ASSERT_EQ((*source)->Read(a), ReadState::kFrame);
  ASSERT_EQ((*source)->Read(b), ReadState::kFrame);
  EXPECT_EQ((*source)->Read(end), ReadState::kEnd);
  EXPECT_NE(a.image.data, b.image.data);
  EXPECT_EQ(b.index, 1);
}

TEST(Source, VideoReportsSizeRateAndFrameCountAndDeliversEveryFrame) {
  auto source = OpenSource(iotest::Asset(iotest::kClip512));
  ASSERT_TRUE(source.ok()) << source.error().message;
  const SourceInfo& info = (*source)->info();
  EXPECT_EQ(info.kind, SourceKind::kVideoFile);
  EXPECT_EQ(info.width, 512);
  EXPECT_EQ(info.height, 512);
  EXPECT_DOUBLE_EQ(info.fps, 30.0);
  EXPECT_EQ(info.frame_count, 120);

  int64_t frames = 0;
  int64_t last_capture_ns = 0;
  const uchar* previous_data = nullptr;
  core::Frame frame;
  while ((*source)->Read(frame) == ReadState::kFrame) {
    ASSERT_EQ(frame.image.type(), CV_8UC3);
    ASSERT_EQ(frame.image.size(), cv::Size(512, 512));
    EXPECT_EQ(frame.index, frames);
    EXPECT_DOUBLE_EQ(frame.timestamp_s, frames / 30.0);
    EXPECT_GE(frame.capture_ns, last_capture_ns);
    EXPECT_NE(frame.image.data, previous_data);  // each frame owns a new buffer
    last_capture_ns = frame.capture_ns;
    previous_data = frame.image.data;
    ++frames;
  }
  EXPECT_EQ(frames, 120);
}

TEST(Source, MissingFileSaysNoSuchFile) {
  ExpectOpenFails("/nonexistent/clip.mp4", "no such file");
}

TEST(Source, DirectoryIsNotAnInput) {
  iotest::TempDir dir;
  ExpectOpenFails(dir.path(), "is a directory");
}

TEST(Source, EmptyFileFailsAtOpen) {
  iotest::TempDir dir;
  iotest::WriteBytes(dir.File("empty.mp4"), "");
  ExpectOpenFails(dir.File("empty.mp4"), "empty");
}

TEST(Source, RandomBytesNamedMp4FailsAtOpen) {
  iotest::TempDir dir;
  std::mt19937 rng(42);
  std::string bytes(100000, '\0');
  for (char& c : bytes) c = static_cast<char>(rng() & 0xff);
  iotest::WriteBytes(dir.File("noise.mp4"), bytes);
  ExpectOpenFails(dir.File("noise.mp4"), "cannot decode");
}

TEST(Source, TruncatedMp4FailsAtOpen) {
  iotest::TempDir dir;
  // The clip's index comes first: 8 kB keep the index but not a decodable first frame.
  for (size_t bytes : {1000, 8000}) {
    const std::string name = "cut" + std::to_string(bytes) + ".mp4";
    iotest::WriteBytes(dir.File(name), iotest::ReadBytes(iotest::Asset(iotest::kClip512), bytes));
    ExpectOpenFails(dir.File(name), "cannot decode");
  }
}

TEST(Source, VideoCutInTheMiddleEndsEarlyWithoutError) {
  iotest::TempDir dir;
  const std::string clip = iotest::Asset(iotest::kClip512);
  const auto half = std::filesystem::file_size(clip) / 2;
  iotest::WriteBytes(dir.File("half.mp4"), iotest::ReadBytes(clip, half));
  auto source = OpenSource(dir.File("half.mp4"));
  ASSERT_TRUE(source.ok()) << source.error().message;
  core::Frame frame;
  int64_t frames = 0;
  while ((*source)->Read(frame) == ReadState::kFrame) ++frames;
  EXPECT_GT(frames, 0);
  EXPECT_LT(frames, 120);
}

TEST(Source, TextFileNamedPngFailsAtOpen) {
  iotest::TempDir dir;
  iotest::WriteBytes(dir.File("notes.png"), "this is not a picture\n");
  ExpectOpenFails(dir.File("notes.png"), "cannot decode");
}

TEST(Source, TruncatedPngFailsAtOpen) {
  iotest::TempDir dir;
  iotest::WriteBytes(dir.File("cut.png"), iotest::ReadBytes(iotest::Asset("astronaut.png"), 20000));
  ExpectOpenFails(dir.File("cut.png"), "corrupt");
}

TEST(Source, DevNullIsNotACamera) {
  ExpectOpenFails("/dev/null", "/dev/null is not a camera (not a V4L2 capture device)");
}

TEST(Source, RegularFileIsNotACamera) {
  iotest::TempDir dir;
  iotest::WriteBytes(dir.File("video0"), "frames");
  const core::Status status = CheckCaptureDevice(dir.File("video0"));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message,
            dir.File("video0") + " is not a camera (not a V4L2 capture device)");
  const auto source = OpenCameraDevice(dir.File("video0"), {});
  ASSERT_FALSE(source.ok());
  EXPECT_THAT(source.error().message, HasSubstr("is not a camera"));
}

TEST(Source, MissingCameraDeviceSaysNoSuchDevice) {
  ExpectOpenFails("/dev/video99", "no such device");
  const auto by_index = OpenSource("99");
  ASSERT_FALSE(by_index.ok());
  EXPECT_THAT(by_index.error().message, HasSubstr("/dev/video99: no such device"));
}

TEST(Source, DefaultSampleClipIsTheBundledClip) {
  const std::string clip = DefaultSampleClip();
  EXPECT_THAT(clip, HasSubstr(iotest::kClip512));
  EXPECT_TRUE(std::filesystem::is_regular_file(clip)) << clip;
}

TEST(Source, DefaultInputIsCameraZeroOrTheSampleClip) {
  const std::string input = DefaultInput();
  if (CheckCaptureDevice("/dev/video0").ok()) {
    EXPECT_EQ(input, "0");
  } else {
    EXPECT_EQ(input, DefaultSampleClip());
  }
}

}  // namespace
}  // namespace fw::capture
