// Output specs and the file sinks' contract: errors at open, nothing partial left behind.
#include "output/sink.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include "output/sink_spec.h"
#include "output/video_file_sink.h"
#include "support/io_test_support.h"

namespace fw::output {
namespace {

using ::testing::HasSubstr;

StreamInfo VideoInfo(int width = 128, int height = 96) { return {width, height, 30.0, false}; }
StreamInfo StillInfo(int width = 128, int height = 96) { return {width, height, 0.0, true}; }

cv::Mat Frame(int width = 128, int height = 96) {
  const cv::Mat astronaut = cv::imread(iotest::Asset("astronaut.png"), cv::IMREAD_COLOR);
  return astronaut(cv::Rect(100, 100, width, height)).clone();
}

const std::vector<std::string> kFileOutputs = {"out.y4m", "out.mp4", "out.mkv",
                                               "out.avi", "out.png", "out.jpg"};

StreamInfo InfoFor(const std::string& name) {
  return ParseSinkSpec(name)->kind == SinkKind::kImageFile ? StillInfo() : VideoInfo();
}

TEST(SinkSpec, EveryDocumentedFormParses) {
  EXPECT_EQ(ParseSinkSpec("-")->kind, SinkKind::kStdoutY4m);
  EXPECT_EQ(ParseSinkSpec("a/b.y4m")->kind, SinkKind::kY4mFile);
  EXPECT_EQ(ParseSinkSpec("x.mp4")->kind, SinkKind::kVideoFile);
  EXPECT_EQ(ParseSinkSpec("x.MKV")->kind, SinkKind::kVideoFile);
  EXPECT_EQ(ParseSinkSpec("x.mkv")->extension, ".mkv");
  EXPECT_EQ(ParseSinkSpec("x.avi")->kind, SinkKind::kVideoFile);
  for (const char* image : {"x.png", "x.jpg", "x.JPEG", "x.bmp", "x.tif", "x.tiff", "x.webp"}) {
    EXPECT_EQ(ParseSinkSpec(image)->kind, SinkKind::kImageFile) << image;
  }
  const auto cam = ParseSinkSpec("v4l2:/dev/video10");
  ASSERT_TRUE(cam.ok());
  EXPECT_EQ(cam->kind, SinkKind::kVirtualCamera);
  EXPECT_EQ(cam->path, "/dev/video10");
}

TEST(SinkSpec, UnknownExtensionIsAUsageErrorListingTheValidForms) {
  for (const char* spec : {"out.txt", "out", "", "v4l2:", "dir.mp4/"}) {
    const auto parsed = ParseSinkSpec(spec);
    ASSERT_FALSE(parsed.ok()) << spec;
    EXPECT_EQ(parsed.error().kind, core::ErrorKind::kUsage) << spec;
    EXPECT_THAT(parsed.error().message, HasSubstr(".mp4 .mkv .avi")) << spec;
    EXPECT_THAT(parsed.error().message, HasSubstr("v4l2:/dev/videoN")) << spec;
  }
}

TEST(SinkSpec, VirtualCameraDefaultsTo1280x720YuyvAt30FpsLetterboxed) {
  const auto cam = ParseSinkSpec("v4l2:/dev/video10");
  ASSERT_TRUE(cam.ok());
  EXPECT_EQ(cam->camera.width, 1280);
  EXPECT_EQ(cam->camera.height, 720);
  EXPECT_EQ(cam->camera.format, CameraPixelFormat::kYuyv);
  EXPECT_EQ(cam->camera.fps, 30.0);
  EXPECT_EQ(cam->camera.fit, FitMode::kLetterbox);
}

TEST(SinkSpec, VirtualCameraOptionsFollowTheDeviceAfterAQuestionMark) {
  const auto cam = ParseSinkSpec("v4l2:/dev/video10?size=640x360&format=i420&fps=29.97&fit=crop");
  ASSERT_TRUE(cam.ok()) << cam.error().message;
  EXPECT_EQ(cam->kind, SinkKind::kVirtualCamera);
  EXPECT_EQ(cam->path, "/dev/video10");
  EXPECT_EQ(cam->camera.width, 640);
  EXPECT_EQ(cam->camera.height, 360);
  EXPECT_EQ(cam->camera.format, CameraPixelFormat::kI420);
  EXPECT_DOUBLE_EQ(cam->camera.fps, 29.97);
  EXPECT_EQ(cam->camera.fit, FitMode::kCrop);
  const auto some = ParseSinkSpec("v4l2:/dev/video3?fps=60&");
  ASSERT_TRUE(some.ok()) << some.error().message;
  EXPECT_EQ(some->path, "/dev/video3");
  EXPECT_EQ(some->camera.fps, 60.0);
  EXPECT_EQ(some->camera.width, 1280);
}

TEST(SinkSpec, BadVirtualCameraOptionsAreUsageErrors) {
  struct Case {
    const char* spec;
    const char* says;
  };
  for (const Case& c : {Case{"v4l2:/dev/video10?size=1281x720", "must be even"},
                        Case{"v4l2:/dev/video10?size=1280x721", "must be even"},
                        Case{"v4l2:/dev/video10?size=0x720", "out of range"},
                        Case{"v4l2:/dev/video10?size=9000x720", "out of range"},
                        Case{"v4l2:/dev/video10?size=1280", "is not WxH"},
                        Case{"v4l2:/dev/video10?size=-2x4", "is not WxH"},
                        Case{"v4l2:/dev/video10?format=nv12", "unknown format 'nv12'"},
                        Case{"v4l2:/dev/video10?fps=0", "fps 0 is out of range"},
                        Case{"v4l2:/dev/video10?fps=500", "out of range"},
                        Case{"v4l2:/dev/video10?fps=fast", "not a number"},
                        Case{"v4l2:/dev/video10?fit=stretch", "unknown fit 'stretch'"},
                        Case{"v4l2:/dev/video10?sise=640x360", "unknown option 'sise'"},
                        Case{"v4l2:/dev/video10?size", "is not KEY=VALUE"}}) {
    const auto parsed = ParseSinkSpec(c.spec);
    ASSERT_FALSE(parsed.ok()) << c.spec;
    EXPECT_EQ(parsed.error().kind, core::ErrorKind::kUsage) << c.spec;
    EXPECT_THAT(parsed.error().message, HasSubstr(c.says)) << c.spec;
  }
  const auto no_device = ParseSinkSpec("v4l2:?size=640x360");
  ASSERT_FALSE(no_device.ok());
  EXPECT_EQ(no_device.error().kind, core::ErrorKind::kUsage);
}

TEST(SinkSpec, GstPipelineIsTheTextAfterThePrefix) {
  const auto gst = ParseSinkSpec("gst: videoconvert ! v4l2sink device=/dev/video10 ");
  ASSERT_TRUE(gst.ok());
  EXPECT_EQ(gst->kind, SinkKind::kGstPipeline);
  EXPECT_EQ(gst->pipeline, "videoconvert ! v4l2sink device=/dev/video10");
  for (const char* spec : {"gst:", "gst:   "}) {
    const auto empty = ParseSinkSpec(spec);
    ASSERT_FALSE(empty.ok()) << spec;
    EXPECT_EQ(empty.error().kind, core::ErrorKind::kUsage) << spec;
    EXPECT_THAT(empty.error().message, HasSubstr("gst:PIPELINE")) << spec;
  }
}

TEST(Sink, VideoInputToAnImageOutputIsAUsageError) {
  iotest::TempDir dir;
  const auto sink = OpenSink(dir.File("out.png"), VideoInfo());
  ASSERT_FALSE(sink.ok());
  EXPECT_EQ(sink.error().kind, core::ErrorKind::kUsage);
  EXPECT_TRUE(dir.List().empty());
}

TEST(Sink, ImageInputToAVideoOutputIsAllowed) {
  iotest::TempDir dir;
  auto sink = OpenSink(dir.File("out.mp4"), StillInfo());
  ASSERT_TRUE(sink.ok()) << sink.error().message;
  ASSERT_TRUE((*sink)->Write(Frame()).ok());
  ASSERT_TRUE((*sink)->Finish().ok());
  EXPECT_EQ(dir.List(), std::vector<std::string>{"out.mp4"});
}

TEST(Sink, MissingDirectoryFailsAtOpen) {
  iotest::TempDir dir;
  for (const std::string& name : kFileOutputs) {
    const auto sink = OpenSink(dir.File("no/such/dir/" + name), InfoFor(name));
    ASSERT_FALSE(sink.ok()) << name;
    EXPECT_EQ(sink.error().kind, core::ErrorKind::kRuntime);
    EXPECT_THAT(sink.error().message, HasSubstr("does not exist")) << name;
  }
  EXPECT_TRUE(dir.List().empty());
}

TEST(Sink, ParentThatIsAFileFailsAtOpen) {
  iotest::TempDir dir;
  iotest::WriteBytes(dir.File("file"), "x");
  const auto sink = OpenSink(dir.File("file/out.y4m"), VideoInfo());
  ASSERT_FALSE(sink.ok());
  EXPECT_THAT(sink.error().message, HasSubstr("is not a directory"));
}

TEST(Sink, DirectoryAsTargetFailsAtOpen) {
  iotest::TempDir dir;
  std::filesystem::create_directory(dir.File("taken.mp4"));
  const auto sink = OpenSink(dir.File("taken.mp4"), VideoInfo());
  ASSERT_FALSE(sink.ok());
  EXPECT_THAT(sink.error().message, HasSubstr("is a directory"));
}

TEST(Sink, DestroyedWithoutFinishLeavesNoFile) {
  iotest::TempDir dir;
  for (const std::string& name : kFileOutputs) {
    auto sink = OpenSink(dir.File(name), InfoFor(name));
    ASSERT_TRUE(sink.ok()) << name << ": " << sink.error().message;
    for (int i = 0; i < 3; ++i) ASSERT_TRUE((*sink)->Write(Frame()).ok()) << name;
  }
  EXPECT_TRUE(dir.List().empty());
}

TEST(Sink, FinishCommitsTheTargetAndLeavesNoTemporaryFile) {
  for (const std::string& name : kFileOutputs) {
    iotest::TempDir dir;
    auto sink = OpenSink(dir.File(name), InfoFor(name));
    ASSERT_TRUE(sink.ok()) << name << ": " << sink.error().message;
    for (int i = 0; i < 3; ++i) ASSERT_TRUE((*sink)->Write(Frame()).ok()) << name;
    const core::Status finished = (*sink)->Finish();
    ASSERT_TRUE(finished.ok()) << name << ": " << finished.error().message;
    EXPECT_EQ(dir.List(), std::vector<std::string>{name});
    EXPECT_GT(std::filesystem::file_size(dir.File(name)), 0u) << name;
  }
}

TEST(Sink, FinishWithoutAnyFrameFailsAndLeavesNothing) {
  iotest::TempDir dir;
  for (const std::string& name : kFileOutputs) {
    auto sink = OpenSink(dir.File(name), InfoFor(name));
    ASSERT_TRUE(sink.ok()) << name;
    EXPECT_FALSE((*sink)->Finish().ok()) << name;
  }
  EXPECT_TRUE(dir.List().empty());
}

TEST(Sink, PngOutputHoldsTheFrameExactly) {
  iotest::TempDir dir;
  const cv::Mat frame = Frame();
  auto sink = OpenSink(dir.File("out.png"), StillInfo());
  ASSERT_TRUE(sink.ok());
  ASSERT_TRUE((*sink)->Write(frame).ok());
  ASSERT_TRUE((*sink)->Finish().ok());
  const cv::Mat back = cv::imread(dir.File("out.png"), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(back.type(), CV_8UC3);
  EXPECT_EQ(cv::norm(back, frame, cv::NORM_INF), 0.0);
}

TEST(Sink, FrameOfTheWrongSizeIsRefused) {
  iotest::TempDir dir;
  for (const char* name : {"out.y4m", "out.mp4"}) {
    auto sink = OpenSink(dir.File(name), VideoInfo());
    ASSERT_TRUE(sink.ok());
    EXPECT_FALSE((*sink)->Write(Frame(64, 64)).ok()) << name;
  }
}

}  // namespace
}  // namespace fw::output
