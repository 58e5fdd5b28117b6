// GStreamer outputs: how a pipeline is completed, the errors at open in GStreamer's own words,
// and files named from a pattern left only by a run that commits. Cases that start a pipeline skip
// cleanly where the base plugins are not installed.
#include "output/gst_sink.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "support/io_test_support.h"

namespace fw::output {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const StreamInfo kInfo{64, 48, 30.0, false};

class GstSinkRunning : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveGstreamer()) GTEST_SKIP() << "GStreamer does not initialise here";
    if (!OpenGstSink("appsrc ! fakesink", kInfo).ok()) {
      GTEST_SKIP() << "GStreamer's appsrc is missing (Debian package gstreamer1.0-plugins-base)";
    }
  }
};

TEST(GstSink, TailGetsAppsrcAndVideoconvertInFront) {
  EXPECT_EQ(CompleteGstPipeline("videoconvert ! v4l2sink device=/dev/video10"),
            "appsrc ! videoconvert ! videoconvert ! v4l2sink device=/dev/video10");
  EXPECT_EQ(CompleteGstPipeline("x264enc ! mp4mux ! filesink location=a.mp4"),
            "appsrc ! videoconvert ! x264enc ! mp4mux ! filesink location=a.mp4");
  EXPECT_EQ(CompleteGstPipeline("appsrc2 ! fakesink"),
            "appsrc ! videoconvert ! appsrc2 ! fakesink");
}

TEST(GstSink, PipelineStartingWithAppsrcIsKeptAsGiven) {
  EXPECT_EQ(CompleteGstPipeline("appsrc ! videoconvert ! fakesink"),
            "appsrc ! videoconvert ! fakesink");
  EXPECT_EQ(CompleteGstPipeline("  appsrc is-live=true ! fakesink"),
            "appsrc is-live=true ! fakesink");
  EXPECT_EQ(CompleteGstPipeline("appsrc! fakesink"), "appsrc! fakesink");
}

TEST_F(GstSinkRunning, MissingElementIsOneClearRuntimeError) {
  const auto sink = OpenGstSink("videoconvert ! no_such_element_facewarp", kInfo);
  ASSERT_FALSE(sink.ok());
  EXPECT_EQ(sink.error().kind, core::ErrorKind::kRuntime);
  EXPECT_THAT(sink.error().message,
              StartsWith("cannot start GStreamer pipeline 'appsrc ! videoconvert ! videoconvert ! "
                         "no_such_element_facewarp': no element \"no_such_element_facewarp\""));
  EXPECT_THAT(sink.error().message, HasSubstr("gst-inspect-1.0"));
  EXPECT_EQ(sink.error().message.find('\n'), std::string::npos);
}

TEST_F(GstSinkRunning, BadPropertyNamesThePropertyAndTheElement) {
  const auto sink = OpenGstSink("videoconvert no_such_property=1 ! fakesink", kInfo);
  ASSERT_FALSE(sink.ok());
  EXPECT_THAT(sink.error().message,
              HasSubstr("no property \"no_such_property\" in element \"videoconvert"));
  EXPECT_EQ(sink.error().message.find('\n'), std::string::npos);
}

TEST_F(GstSinkRunning, BadPropertyValueNamesTheElement) {
  const auto sink = OpenGstSink("fakesink sync=maybe-not", kInfo);
  ASSERT_FALSE(sink.ok());
  EXPECT_THAT(sink.error().message,
              HasSubstr("could not set property \"sync\" in element \"fakesink"));
}

TEST_F(GstSinkRunning, V4l2sinkToAMissingDeviceIsOneErrorNamingV4l2sink) {
  if (!HaveGstElement("v4l2sink")) {
    GTEST_SKIP() << "v4l2sink is missing (Debian package gstreamer1.0-plugins-good)";
  }
  const auto sink =
      OpenGstSink("video/x-raw,format=YUY2 ! v4l2sink device=/dev/facewarp-no-such-video", kInfo);
  ASSERT_FALSE(sink.ok());
  EXPECT_THAT(sink.error().message,
              ::testing::MatchesRegex(".*: v4l2sink[0-9]+: Cannot identify device "
                                      "'/dev/facewarp-no-such-video'"));
  EXPECT_EQ(sink.error().message.find('\n'), std::string::npos);
}

TEST_F(GstSinkRunning, CapsThatCannotBeMetFailTheRunNamingTheReason) {
  auto sink = OpenGstSink("appsrc ! video/x-raw,format=RGB ! fakesink", kInfo);
  ASSERT_TRUE(sink.ok()) << sink.error().message;
  core::Status s = (*sink)->Write(cv::Mat(48, 64, CV_8UC3, cv::Scalar::all(0)));
  if (s.ok()) s = (*sink)->Finish();
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message,
              ::testing::MatchesRegex("GStreamer pipeline failed: appsrc[0-9]+: .*"
                                      "\\(not-negotiated\\)"));
}

// GLib and GStreamer print their own warnings and criticals on stderr unless routed: nothing
// of theirs may appear beside facewarp's one line.
TEST_F(GstSinkRunning, FailingPipelinesPrintNothingOfTheirOwn) {
  std::fflush(stderr);
  char path[] = "/tmp/facewarp-gst-stderr-XXXXXX";
  const int capture = mkstemp(path);
  ASSERT_GE(capture, 0);
  const int saved = dup(STDERR_FILENO);
  dup2(capture, STDERR_FILENO);
  for (const char* pipeline :
       {"no_such_element_facewarp", "videoconvert no_such_property=1 ! fakesink",
        "appsrc ! video/x-raw,format=RGB ! fakesink", "appsrc ! appsrc ! fakesink",
        "filesink location=/nonexistent-dir/facewarp/x.raw"}) {
    auto sink = OpenGstSink(pipeline, kInfo);
    if (sink.ok()) {
      if ((*sink)->Write(cv::Mat(48, 64, CV_8UC3, cv::Scalar::all(0))).ok()) {
        (void)(*sink)->Finish();
      }
    }
  }
  std::fflush(stderr);
  dup2(saved, STDERR_FILENO);
  close(saved);
  close(capture);
  std::ifstream in(path);
  const std::string printed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(path);
  EXPECT_EQ(printed, "");
}

TEST_F(GstSinkRunning, SinkThatCannotStartIsAnErrorAtOpen) {
  const auto sink = OpenGstSink("filesink location=/nonexistent-dir/facewarp/x.raw", kInfo);
  ASSERT_FALSE(sink.ok());
  EXPECT_THAT(sink.error().message, StartsWith("cannot start GStreamer pipeline"));
}

TEST_F(GstSinkRunning, FramesOfAnotherSizeAreRefused) {
  auto sink = OpenGstSink("appsrc ! fakesink", kInfo);
  ASSERT_TRUE(sink.ok());
  EXPECT_TRUE((*sink)->Write(cv::Mat(48, 64, CV_8UC3, cv::Scalar::all(0))).ok());
  EXPECT_FALSE((*sink)->Write(cv::Mat(48, 32, CV_8UC3, cv::Scalar::all(0))).ok());
  EXPECT_TRUE((*sink)->Finish().ok());
}

TEST_F(GstSinkRunning, FinishWithoutAnyFrameIsAnError) {
  auto sink = OpenGstSink("appsrc ! fakesink", kInfo);
  ASSERT_TRUE(sink.ok());
  EXPECT_FALSE((*sink)->Finish().ok());
}

TEST_F(GstSinkRunning, OpenSinkTakesTheGstPrefix) {
  auto sink = OpenSink("gst:fakesink", kInfo);
  ASSERT_TRUE(sink.ok()) << sink.error().message;
  EXPECT_EQ((*sink)->name(), "gst:fakesink");
  EXPECT_TRUE((*sink)->Write(cv::Mat(48, 64, CV_8UC3, cv::Scalar::all(0))).ok());
  EXPECT_TRUE((*sink)->Finish().ok());
}

// multifilesink and splitmuxsink name their files from a pattern: the files appear beside it
// when the run commits, and a run that ends without committing (a failure) leaves none.
TEST_F(GstSinkRunning, PatternSinksLeaveFilesOnlyWhenTheRunCommits) {
  if (!HaveGstElement("multifilesink") || !HaveGstElement("pngenc")) {
    GTEST_SKIP() << "multifilesink or pngenc missing (Debian package gstreamer1.0-plugins-good)";
  }
  iotest::TempDir dir;
  const std::string spec = "gst:pngenc ! multifilesink location=" + dir.File("f%03d.png");
  const cv::Mat frame(48, 64, CV_8UC3, cv::Scalar(40, 90, 200));
  {
    auto failed = OpenSink(spec, kInfo);
    ASSERT_TRUE(failed.ok()) << failed.error().message;
    for (int i = 0; i < 3; ++i) ASSERT_TRUE((*failed)->Write(frame).ok());
    ASSERT_TRUE((*failed)->Complete().ok());  // written, never committed
  }
  EXPECT_TRUE(dir.List().empty()) << dir.List().front();

  auto sink = OpenSink(spec, kInfo);
  ASSERT_TRUE(sink.ok()) << sink.error().message;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE((*sink)->Write(frame).ok());
  ASSERT_TRUE((*sink)->Finish().ok());
  EXPECT_EQ(dir.List(), (std::vector<std::string>{"f000.png", "f001.png", "f002.png"}));
  EXPECT_EQ(iotest::ReadBytes(dir.File("f002.png")).substr(1, 3), "PNG");
}

TEST_F(GstSinkRunning, SplitmuxsinkFragmentsAppearOnlyWhenTheRunCommits) {
  if (!HaveGstElement("splitmuxsink") || !HaveGstElement("jpegenc")) {
    GTEST_SKIP() << "splitmuxsink or jpegenc missing (Debian package gstreamer1.0-plugins-good)";
  }
  iotest::TempDir dir;
  // A fragment for every 10 frames (a third of a second at 30 fps): every JPEG is a keyframe.
  const std::string spec =
      "gst:jpegenc ! splitmuxsink muxer=matroskamux max-size-time=330000000 "
      "location=" +
      dir.File("v%02d.mkv");
  const cv::Mat frame(48, 64, CV_8UC3, cv::Scalar(40, 90, 200));
  {
    auto failed = OpenSink(spec, kInfo);
    ASSERT_TRUE(failed.ok()) << failed.error().message;
    for (int i = 0; i < 25; ++i) ASSERT_TRUE((*failed)->Write(frame).ok());
  }
  EXPECT_TRUE(dir.List().empty()) << dir.List().front();

  auto sink = OpenSink(spec, kInfo);
  ASSERT_TRUE(sink.ok()) << sink.error().message;
  for (int i = 0; i < 25; ++i) ASSERT_TRUE((*sink)->Write(frame).ok());
  ASSERT_TRUE((*sink)->Finish().ok());
  EXPECT_EQ(dir.List(), (std::vector<std::string>{"v00.mkv", "v01.mkv", "v02.mkv"}));
}

}  // namespace
}  // namespace fw::output
