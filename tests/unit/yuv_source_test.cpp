// Video files decoded into planes (SourceOptions::planar): on the bundled clips every frame
// arrives, in order, and shows what OpenCV's own FFmpeg capture decodes within one level (the
// BGR frames of the same source too); the planes are the decoder's buffers, which stay
// unchanged while a frame holds them; the tracker's grey image made from the planes matches
// the one made from BGR.
#include <gtest/gtest.h>

#include <cstdio>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <string>
#include <vector>

#include "capture/source.h"
#include "core/yuv_image.h"
#include "support/io_test_support.h"
#include "tracking/face_analyzer.h"

namespace fw::capture {
namespace {

// The clip's frames, decoded by OpenCV (up to `limit`, or all for -1).
std::vector<cv::Mat> OpenCvFrames(const std::string& path, int limit) {
  std::vector<cv::Mat> frames;
  cv::VideoCapture capture(path, cv::CAP_FFMPEG);
  EXPECT_TRUE(capture.isOpened()) << path;
  cv::Mat frame;
  while ((limit < 0 || static_cast<int>(frames.size()) < limit) && capture.read(frame)) {
    frames.push_back(frame.clone());
  }
  return frames;
}

TEST(YuvSource, EveryFrameArrivesInOrderAndShowsWhatOpenCvDecodesWithinOneLevel) {
  struct Clip {
    const char* name;
    int compared;  // frames compared pixel by pixel (all are counted)
  };
  for (const Clip clip :
       {Clip{iotest::kClip512, -1}, Clip{"astronaut_static_noise_640x480.mp4", 10},
        Clip{"group3_pan_1280x720.mp4", 10}}) {
    const std::string path = iotest::Asset(clip.name);
    const std::vector<cv::Mat> expected = OpenCvFrames(path, -1);
    ASSERT_FALSE(expected.empty()) << clip.name;
    for (const bool planar : {true, false}) {
      SourceOptions options;
      options.planar = planar;
      auto source = OpenSource(path, options);
      ASSERT_TRUE(source.ok()) << source.error().message;
      EXPECT_EQ((*source)->info().width, expected[0].cols);
      EXPECT_EQ((*source)->info().height, expected[0].rows);
      core::Frame frame;
      int64_t n = 0;
      cv::Mat bgr;
      while ((*source)->Read(frame) == ReadState::kFrame) {
        ASSERT_EQ(frame.index, n) << clip.name;
        ASSERT_LT(n, static_cast<int64_t>(expected.size())) << clip.name;
        if (planar) {
          ASSERT_TRUE(frame.image.empty());
          ASSERT_FALSE(frame.yuv.empty());
          ASSERT_TRUE(core::YuvToBgr(frame.yuv, bgr).ok());
        } else {
          ASSERT_TRUE(frame.yuv.empty());
          bgr = frame.image;
        }
        if (clip.compared < 0 || n < clip.compared) {
          ASSERT_EQ(bgr.size(), expected[n].size());
          EXPECT_LE(cv::norm(bgr, expected[n], cv::NORM_INF), 1.0)
              << clip.name << " frame " << n << (planar ? " planar" : " bgr");
        }
        ++n;
      }
      EXPECT_EQ(n, static_cast<int64_t>(expected.size())) << clip.name;
    }
  }
}

TEST(YuvSource, AFrameKeepsItsPlanesUnchangedWhileTheDecoderGoesOn) {
  SourceOptions options;
  options.planar = true;
  auto source = OpenSource(iotest::Asset(iotest::kClip512), options);
  ASSERT_TRUE(source.ok()) << source.error().message;
  core::Frame first;
  ASSERT_EQ((*source)->Read(first), ReadState::kFrame);
  const cv::Mat y = first.yuv.y.clone();
  const cv::Mat v = first.yuv.v.clone();
  std::vector<core::Frame> held;
  for (int i = 0; i < 20; ++i) {
    core::Frame next;
    ASSERT_EQ((*source)->Read(next), ReadState::kFrame);
    EXPECT_NE(next.yuv.y.data, first.yuv.y.data);
    held.push_back(next);
  }
  EXPECT_EQ(cv::norm(first.yuv.y, y, cv::NORM_INF), 0.0);
  EXPECT_EQ(cv::norm(first.yuv.v, v, cv::NORM_INF), 0.0);
  EXPECT_GT(cv::norm(held.back().yuv.y, y, cv::NORM_L1), 0.0);  // the clip moves
}

// The 720p clip's first frame as planes (copied), and the same in BGR.
void ReadFirstPlanarFrame(core::Frame& frame, cv::Mat& bgr) {
  SourceOptions options;
  options.planar = true;
  auto source = OpenSource(iotest::Asset("group3_pan_1280x720.mp4"), options);
  ASSERT_TRUE(source.ok()) << source.error().message;
  ASSERT_EQ((*source)->Read(frame), ReadState::kFrame);
  // Planes of their own: the decoder's go with the source.
  frame.yuv = core::YuvImage{frame.yuv.y.clone(), frame.yuv.u.clone(), frame.yuv.v.clone(), {}};
  ASSERT_TRUE(core::YuvToBgr(frame.yuv, bgr).ok());
}

TEST(YuvSource, TheTrackersGreyFromThePlanesMatchesTheGreyOfTheBgrFrame) {
  core::Frame frame;
  cv::Mat bgr, from_bgr, from_planes;
  ReadFirstPlanarFrame(frame, bgr);
  if (::testing::Test::HasFatalFailure()) return;
  tracking::ToGrey(bgr, from_bgr);
  core::YuvToGrey(frame.yuv, from_planes);
  cv::Mat diff;
  cv::absdiff(from_bgr, from_planes, diff);
  std::printf("  grey from planes vs from BGR: mean %.3f (signed %.3f), max %.0f levels\n",
              cv::mean(diff)[0], cv::mean(from_bgr)[0] - cv::mean(from_planes)[0],
              cv::norm(diff, cv::NORM_INF));
  EXPECT_LT(cv::mean(diff)[0], 0.5);
  EXPECT_GE(cv::countNonZero(diff <= 1), static_cast<int>(diff.total() * 99 / 100));
}

// The face detector's input from planes: scaled once as planes, then converted, it shows what
// the full-size BGR frame scaled down shows (libyuv box filter against OpenCV area filter).
TEST(YuvSource, TheDetectorsSmallFrameFromThePlanesMatchesTheBgrFrameScaledDown) {
  core::Frame frame;
  cv::Mat bgr, from_bgr, from_planes;
  ReadFirstPlanarFrame(frame, bgr);
  if (::testing::Test::HasFatalFailure()) return;
  const cv::Size size(640, 360);
  cv::resize(bgr, from_bgr, size, 0.0, 0.0, cv::INTER_AREA);
  core::YuvImage small;
  ASSERT_TRUE(core::ScaleYuv(frame.yuv, size, small).ok());
  ASSERT_EQ(small.size(), size);
  ASSERT_TRUE(core::YuvToBgr(small, from_planes).ok());
  cv::Mat diff;
  cv::absdiff(from_bgr, from_planes, diff);
  const cv::Scalar mean = cv::mean(diff);
  std::printf("  small frame from planes vs BGR scaled: mean %.2f %.2f %.2f, max %.0f levels\n",
              mean[0], mean[1], mean[2], cv::norm(diff, cv::NORM_INF));
  for (int c = 0; c < 3; ++c) EXPECT_LT(mean[c], 2.0) << "channel " << c;
  // A wrong plane, size or stride would differ by tens of levels on most pixels.
  cv::Mat grey_diff;
  cv::cvtColor(diff, grey_diff, cv::COLOR_BGR2GRAY);
  EXPECT_GE(cv::countNonZero(grey_diff <= 4), static_cast<int>(grey_diff.total() * 95 / 100));
}

// libswscale writes past a row's end at widths that are not a multiple of 16: the conversion
// never writes outside the picture it returns, at any width, and a caller's view into a larger
// image is replaced rather than written past.
TEST(YuvSource, ConversionToBgrStaysInsideItsPictureAtEveryWidth) {
  const cv::Mat image = cv::imread(iotest::Asset("astronaut.png"), cv::IMREAD_COLOR);
  ASSERT_FALSE(image.empty());
  for (int width = 2; width <= 70; width += 3) {
    const int height = 7 + width % 5;
    core::YuvImage yuv;
    ASSERT_TRUE(core::BgrToYuv(image(cv::Rect(100, 100, width, height)), yuv).ok());
    cv::Mat parent(height, width + 40, CV_8UC3, cv::Scalar(1, 2, 3));
    cv::Mat bgr = parent(cv::Rect(0, 0, width, height));
    ASSERT_TRUE(core::YuvToBgr(yuv, bgr).ok());
    EXPECT_EQ(bgr.size(), cv::Size(width, height));
    EXPECT_EQ(cv::norm(parent, cv::Mat(parent.size(), CV_8UC3, cv::Scalar(1, 2, 3)), cv::NORM_INF),
              0.0)
        << "width " << width;
    // Reused in steady state: a second conversion of the same size writes the same buffer.
    const uchar* data = bgr.data;
    ASSERT_TRUE(core::YuvToBgr(yuv, bgr).ok());
    EXPECT_EQ(bgr.data, data);
    cv::Mat reference;
    ASSERT_TRUE(core::YuvToBgr(yuv, reference, core::ChromaFilter::kBilinear).ok());
    EXPECT_LE(cv::norm(bgr(cv::Rect(0, 0, width & ~1, height & ~1)),
                       reference(cv::Rect(0, 0, width & ~1, height & ~1)), cv::NORM_L1) /
                  ((width & ~1) * (height & ~1) * 3.0),
              4.0)
        << "width " << width;
  }
}

}  // namespace
}  // namespace fw::capture
