// Letterbox and crop geometry for fixed-size outputs (the virtual camera), and drawing into a
// reused canvas.
#include "output/frame_fit.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "support/io_test_support.h"

namespace fw::output {
namespace {

TEST(FrameFit, LetterboxCentresASquareInAWideFrame) {
  const FitPlan plan = PlanFit({512, 512}, {1280, 720}, FitMode::kLetterbox);
  EXPECT_EQ(plan.source, cv::Rect(0, 0, 512, 512));
  EXPECT_EQ(plan.target, cv::Rect(280, 0, 720, 720));
}

TEST(FrameFit, LetterboxPutsBarsAboveAndBelowATallerAspect) {
  const FitPlan plan = PlanFit({640, 360}, {640, 480}, FitMode::kLetterbox);
  EXPECT_EQ(plan.target, cv::Rect(0, 60, 640, 360));
}

TEST(FrameFit, SameAspectFillsTheWholeFrame) {
  for (const FitMode mode : {FitMode::kLetterbox, FitMode::kCrop}) {
    const FitPlan plan = PlanFit({1920, 1080}, {1280, 720}, mode);
    EXPECT_EQ(plan.source, cv::Rect(0, 0, 1920, 1080));
    EXPECT_EQ(plan.target, cv::Rect(0, 0, 1280, 720));
  }
}

TEST(FrameFit, LetterboxOffsetsAndSizesAreEvenForEvenOutputs) {
  for (const cv::Size input : {cv::Size(511, 509), cv::Size(301, 200), cv::Size(200, 301),
                               cv::Size(1, 1), cv::Size(640, 481), cv::Size(3000, 7)}) {
    for (const cv::Size output : {cv::Size(1280, 720), cv::Size(640, 480), cv::Size(2, 2)}) {
      const cv::Rect t = PlanFit(input, output, FitMode::kLetterbox).target;
      EXPECT_EQ(t.x % 2, 0) << input << " -> " << output;
      EXPECT_EQ(t.y % 2, 0) << input << " -> " << output;
      EXPECT_EQ(t.width % 2, 0) << input << " -> " << output;
      EXPECT_EQ(t.height % 2, 0) << input << " -> " << output;
      EXPECT_GT(t.area(), 0) << input << " -> " << output;
      EXPECT_EQ(t & cv::Rect(cv::Point(0, 0), output), t) << input << " -> " << output;
    }
  }
}

TEST(FrameFit, CropTakesTheCentreBandOfTheInput) {
  const FitPlan wide = PlanFit({512, 512}, {1280, 720}, FitMode::kCrop);
  EXPECT_EQ(wide.source, cv::Rect(0, 112, 512, 288));
  EXPECT_EQ(wide.target, cv::Rect(0, 0, 1280, 720));
  const FitPlan tall = PlanFit({1280, 720}, {480, 640}, FitMode::kCrop);
  EXPECT_EQ(tall.source, cv::Rect(370, 0, 540, 720));
}

TEST(FrameFit, FitIntoPaintsTheBarsBlackAndScalesThePictureBetweenThem) {
  const cv::Mat astronaut = cv::imread(iotest::Asset("astronaut.png"), cv::IMREAD_COLOR);
  ASSERT_FALSE(astronaut.empty());
  cv::Mat canvas(360, 640, CV_8UC3, cv::Scalar(1, 2, 3));  // stale content must go
  FitInto(astronaut, {640, 360}, FitMode::kLetterbox, canvas);
  ASSERT_EQ(canvas.size(), cv::Size(640, 360));
  EXPECT_EQ(cv::countNonZero(canvas(cv::Rect(0, 0, 140, 360)).reshape(1)), 0);
  EXPECT_EQ(cv::countNonZero(canvas(cv::Rect(500, 0, 140, 360)).reshape(1)), 0);
  cv::Mat expected;
  cv::resize(astronaut, expected, {360, 360}, 0.0, 0.0, cv::INTER_AREA);
  EXPECT_EQ(cv::norm(canvas(cv::Rect(140, 0, 360, 360)), expected, cv::NORM_INF), 0.0);
}

TEST(FrameFit, FitIntoReusesACanvasOfTheRightSize) {
  const cv::Mat input(100, 200, CV_8UC3, cv::Scalar(10, 20, 30));
  cv::Mat canvas;
  FitInto(input, {64, 48}, FitMode::kCrop, canvas);
  const uchar* data = canvas.data;
  FitInto(input, {64, 48}, FitMode::kLetterbox, canvas);
  EXPECT_EQ(canvas.data, data);
}

}  // namespace
}  // namespace fw::output
