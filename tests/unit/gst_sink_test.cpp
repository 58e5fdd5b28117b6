// GStreamer outputs: how a pipeline is completed, and the errors at open. Cases that start a
// pipeline skip cleanly where OpenCV lacks GStreamer or the base plugins are not installed.
#include "output/gst_sink.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include <opencv2/core/utils/logger.hpp>

namespace fw::output {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const StreamInfo kInfo{64, 48, 30.0, false};

class GstSinkRunning : public ::testing::Test {
 protected:
  void SetUp() override {
    // OpenCV's warnings about the pipelines that are meant to fail stay out of the test log.
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_ERROR);
    if (!HaveGstreamer()) GTEST_SKIP() << "this OpenCV has no GStreamer backend";
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
                         "no_such_element_facewarp': an element is missing"));
  EXPECT_THAT(sink.error().message, HasSubstr("gst-inspect-1.0"));
  EXPECT_EQ(sink.error().message.find('\n'), std::string::npos);
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

}  // namespace
}  // namespace fw::output
