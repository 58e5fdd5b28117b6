// The similarity fit of the mean shape and the landmark-implied box (tracking/face_shape.h).
// Pure; test thread only.
#include "tracking/face_shape.h"

#include <gtest/gtest.h>

#include <cmath>

namespace fw::tracking {
namespace {

// A non-degenerate stand-in for the model's mean shape, in box-normalised coordinates.
Shape TestMean() {
  Shape mean;
  for (int i = 0; i < core::kNumLandmarks; ++i) {
    mean[i] = {0.5 + 0.4 * std::cos(0.37 * i) * (1.0 + 0.01 * i), 0.5 + 0.3 * std::sin(0.61 * i)};
  }
  return mean;
}

Shape Transform(const Shape& mean, double scale, double angle, core::Vec2 shift) {
  Shape out;
  const double c = std::cos(angle), s = std::sin(angle);
  for (int i = 0; i < core::kNumLandmarks; ++i) {
    const core::Vec2 m = mean[i];
    out[i] = core::Vec2{scale * (c * m.x - s * m.y), scale * (s * m.x + c * m.y)} + shift;
  }
  return out;
}

TEST(FaceShape, FitRecoversScaleRollAndShift) {
  const Shape mean = TestMean();
  const ShapeFit fit = FitMeanShape(Transform(mean, 140.0, 0.3, {310.0, 95.0}), mean);
  EXPECT_NEAR(fit.scale, 140.0, 1e-9);
  EXPECT_NEAR(fit.angle, 0.3, 1e-12);
  EXPECT_NEAR(fit.translation.x, 310.0, 1e-9);
  EXPECT_NEAR(fit.translation.y, 95.0, 1e-9);
}

TEST(FaceShape, FitOfNoisyPointsStaysClose) {
  const Shape mean = TestMean();
  Shape points = Transform(mean, 80.0, -0.2, {40.0, 60.0});
  for (int i = 0; i < core::kNumLandmarks; ++i) {
    points[i].x += (i % 3 == 0 ? 0.5 : -0.25);
    points[i].y += (i % 2 == 0 ? -0.4 : 0.4);
  }
  const ShapeFit fit = FitMeanShape(points, mean);
  EXPECT_NEAR(fit.scale, 80.0, 1.0);
  EXPECT_NEAR(fit.angle, -0.2, 0.02);
}

TEST(FaceShape, BoxOfAnUprightFaceIsTheBoxThePredictorNormalisedBy) {
  // dlib maps (0,0) to the box's first pixel and (1,1) to its last: right - left = scale.
  ShapeFit fit;
  fit.scale = 99.0;
  fit.translation = {20.0, 30.0};
  const core::Rect box = BoxFromFit(fit);
  EXPECT_NEAR(box.x, 20.0, 1e-12);
  EXPECT_NEAR(box.y, 30.0, 1e-12);
  EXPECT_NEAR(box.w, 100.0, 1e-12);
  EXPECT_NEAR(box.h, 100.0, 1e-12);
}

TEST(FaceShape, BoxOfARolledFaceIsCentredOnTheRolledSquare) {
  ShapeFit fit;
  fit.scale = 50.0;
  fit.angle = 0.5;
  fit.translation = {100.0, 100.0};
  const core::Rect box = BoxFromFit(fit);
  // The normalised square's centre (0.5, 0.5), rotated and scaled.
  const double cx = 100.0 + 25.0 * (std::cos(0.5) - std::sin(0.5));
  const double cy = 100.0 + 25.0 * (std::sin(0.5) + std::cos(0.5));
  EXPECT_NEAR(box.x + 0.5 * (box.w - 1.0), cx, 1e-9);
  EXPECT_NEAR(box.y + 0.5 * (box.h - 1.0), cy, 1e-9);
  EXPECT_NEAR(box.w, 51.0, 1e-12);
}

}  // namespace
}  // namespace fw::tracking
