// PointFilter's warm start, FitFaceMotion, and LandmarkSmoother's split into pose and shape and
// its pose carried by the measured motion, on the astronaut's 68 landmarks moved and disturbed
// synthetically, with the default smoothing parameters. Pure; no model, no images.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <vector>

#include "core/face.h"
#include "core/params.h"
#include "tracking/face_shape.h"
#include "tracking/landmark_smoother.h"
#include "unit/test_faces.h"

namespace fw::tracking {
namespace {

constexpr double kFps = 30.0;

OneEuroParams Defaults() {
  const core::Params p = core::DefaultParams();
  return {p.smooth_min_cutoff, p.smooth_beta, 1.0};
}

core::Face Astronaut() { return test::LoadFaceImage("astronaut").faces.at(0); }

core::Vec2 Centre(const core::Face& f) {
  core::Vec2 c;
  for (const core::Vec2& p : f.points) c = c + p;
  return (1.0 / core::kNumLandmarks) * c;
}

// The face turned by `angle` and scaled by `scale` about its centre, then moved by `shift`.
core::Face Moved(const core::Face& face, core::Vec2 shift, double scale, double angle) {
  const core::Vec2 c = Centre(face);
  const double cs = scale * std::cos(angle), sn = scale * std::sin(angle);
  core::Face out = face;
  for (core::Vec2& p : out.points) {
    const core::Vec2 d = p - c;
    p = c + shift + core::Vec2{cs * d.x - sn * d.y, sn * d.x + cs * d.y};
  }
  return out;
}

double MeanDistance(const core::Face& a, const core::Face& b) {
  double sum = 0.0;
  for (int i = 0; i < core::kNumLandmarks; ++i) sum += core::Distance(a.points[i], b.points[i]);
  return sum / core::kNumLandmarks;
}

TEST(PointFilter, AveragesItsFirstSamplesWithEqualWeights) {
  // At a cutoff of 0.05 Hz the filter's own weight per sample is 0.01: the first sample would
  // otherwise linger for seconds.
  PointFilter f;
  const OneEuroParams p{0.05, 0.0, 1.0};
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(0.0, 1.0);
  core::Vec2 sum;
  for (int i = 0; i < 20; ++i) {
    const core::Vec2 x{noise(rng), noise(rng)};
    sum = sum + x;
    const core::Vec2 y = f.Filter(x, i / kFps, 1.0, p);
    EXPECT_NEAR(y.x, sum.x / (i + 1), 1e-12) << "sample " << i;
    EXPECT_NEAR(y.y, sum.y / (i + 1), 1e-12) << "sample " << i;
  }
}

TEST(LandmarkSmoother, WithAnOpenCutoffPassesTheLandmarksThrough) {
  const core::Face face = Astronaut();
  LandmarkSmoother smoother;
  const OneEuroParams open{1e9, 0.0, 1.0};
  for (int i = 0; i < 30; ++i) {
    const core::Face moved = Moved(face, {3.0 * i, -2.0 * i}, 1.0 + 0.01 * i, 0.01 * i);
    core::Face out = moved;
    smoother.Smooth(out, i / kFps, open, tracking::FaceMotion{});
    EXPECT_LT(MeanDistance(out, moved), 1e-6) << "frame " << i;
  }
}

TEST(FitFaceMotion, RecoversASimilarityFromTheFollowedPointsOnly) {
  const core::Face face = Astronaut();
  const core::Face moved = Moved(face, {7.5, -3.25}, 1.08, 0.12);
  core::Face to = moved;
  std::array<uint8_t, core::kNumLandmarks> followed;
  followed.fill(1);
  for (int i = 0; i < 10; ++i) {
    to.points[i] = to.points[i] + core::Vec2{40.0, 25.0};  // lost by the flow
    followed[i] = 0;
  }
  const FaceMotion m =
      FitFaceMotion(face.points.data(), to.points.data(), followed.data(), core::kNumLandmarks);
  ASSERT_TRUE(m.valid);
  for (int i = 0; i < core::kNumLandmarks; ++i) {
    EXPECT_LT(core::Distance(m.Apply(face.points[i]), moved.points[i]), 1e-9) << "point " << i;
  }
  followed.fill(0);  // nothing followed: all points, which include the lost ones
  const FaceMotion all =
      FitFaceMotion(face.points.data(), to.points.data(), followed.data(), core::kNumLandmarks);
  ASSERT_TRUE(all.valid);
  EXPECT_GT(core::Distance(all.Apply(face.points[30]), moved.points[30]), 1.0);
  const core::Vec2 spot[3] = {{1.0, 1.0}, {1.0, 1.0}, {1.0, 1.0}};
  const uint8_t yes[3] = {1, 1, 1};
  EXPECT_FALSE(FitFaceMotion(spot, spot, yes, 3).valid);
}

TEST(LandmarkSmoother, AStillFaceToldItsMotionJittersLessThanOneLeftToItsOwnSteps) {
  // Without a measured motion the pose is carried by its own last steps, which on a still face
  // are noise; told the flow's motion (none), the face stays stiller. The still test's noise.
  const core::Face face = Astronaut();
  const double eye = core::OuterEyeDistance(face);
  std::mt19937 rng(5);
  std::normal_distribution<double> noise(0.0, 0.004 * eye);
  LandmarkSmoother told, blind;
  FaceMotion still;
  still.valid = true;
  double told_sq = 0.0, blind_sq = 0.0;
  for (int i = 0; i < 150; ++i) {
    core::Face noisy = face;
    for (core::Vec2& p : noisy.points) p = p + core::Vec2{noise(rng), noise(rng)};
    core::Face a = noisy, b = noisy;
    told.Smooth(a, i / kFps, Defaults(), still);
    blind.Smooth(b, i / kFps, Defaults(), FaceMotion{});
    // The pose: where the face's centre is.
    told_sq += core::Norm2(Centre(a) - Centre(face));
    blind_sq += core::Norm2(Centre(b) - Centre(face));
  }
  const double ratio = std::sqrt(blind_sq / told_sq);
  std::printf("  error of the face's centre, not told / told the motion: %.2fx\n", ratio);
  EXPECT_GE(ratio, 1.25);  // measured 1.47
}

TEST(LandmarkSmoother, FollowsAFaceMovingAsAWholeAndKeepsItsShape) {
  // 1.5 eye distances per second sideways, growing 30% and turning 0.3 rad per second: about
  // the astronaut clip's fastest motion.
  const core::Face face = Astronaut();
  const double eye = core::OuterEyeDistance(face);
  LandmarkSmoother smoother;
  double worst_lag = 0.0, worst_shape = 0.0;
  for (int i = 0; i < 45; ++i) {
    const double t = i / kFps;
    const core::Face moved = Moved(face, {1.5 * eye * t, 0.0}, 1.0 + 0.3 * t, 0.3 * t);
    core::Face out = moved;
    smoother.Smooth(out, t, Defaults(), tracking::FaceMotion{});
    const double scale = core::OuterEyeDistance(moved);
    if (t >= 0.5) worst_lag = std::fmax(worst_lag, MeanDistance(out, moved) / scale);
    // The shape: what is left once the best similarity maps the face onto the output.
    const ShapeFit fit = FitMeanShape(out.points, face.points);
    const core::Face fitted = Moved(face, Centre(out) - Centre(face), fit.scale, fit.angle);
    worst_shape = std::fmax(worst_shape, MeanDistance(out, fitted) / scale);
  }
  std::printf("  lag %.4f, shape change %.2g eye distances\n", worst_lag, worst_shape);
  EXPECT_LE(worst_lag, 0.05);
  EXPECT_LE(worst_shape, 1e-3);
}

TEST(LandmarkSmoother, CutsTheNoiseOfAStillFaceAtLeastThreeAndAHalfFold) {
  // Independent noise of 0.4% of the eye distance on every coordinate, five seconds. The
  // filter alone: in the tracker it gets landmarks already averaged over shifted boxes and the
  // flow, and the whole tracker cuts raw dlib's jitter at least fourfold (face_tracker_test).
  const core::Face face = Astronaut();
  const double eye = core::OuterEyeDistance(face);
  std::mt19937 rng(11);
  std::normal_distribution<double> noise(0.0, 0.004 * eye);
  LandmarkSmoother smoother;
  double raw_sq = 0.0, smooth_sq = 0.0;
  for (int i = 0; i < 150; ++i) {
    core::Face noisy = face;
    for (core::Vec2& p : noisy.points) p = p + core::Vec2{noise(rng), noise(rng)};
    core::Face out = noisy;
    smoother.Smooth(out, i / kFps, Defaults(), tracking::FaceMotion{});
    for (int k = 0; k < core::kNumLandmarks; ++k) {
      raw_sq += core::Norm2(noisy.points[k] - face.points[k]);
      smooth_sq += core::Norm2(out.points[k] - face.points[k]);
    }
  }
  const double ratio = std::sqrt(raw_sq / smooth_sq);
  std::printf("  noise cut %.2fx\n", ratio);
  EXPECT_GE(ratio, 3.5);
}

TEST(LandmarkSmoother, FollowsTheMouthOpeningWhileTheHeadIsStill) {
  // Jaw and mouth (points 5-11 and 48-67) drop by 0.2 eye distances in 0.1 s and stay.
  const core::Face face = Astronaut();
  const double eye = core::OuterEyeDistance(face);
  LandmarkSmoother smoother;
  double error_after = 0.0;
  for (int i = 0; i < 60; ++i) {
    const double t = i / kFps;
    const double drop = 0.2 * eye * std::fmin(1.0, std::fmax(0.0, (t - 1.0) / 0.1));
    core::Face moved = face;
    for (int k = 0; k < core::kNumLandmarks; ++k) {
      if ((k >= 5 && k <= 11) || k >= 48) moved.points[k].y += drop;
    }
    core::Face out = moved;
    smoother.Smooth(out, t, Defaults(), tracking::FaceMotion{});
    if (i == 39) error_after = core::Distance(out.points[57], moved.points[57]) / eye;
  }
  // 0.3 s after the mouth began to open (measured: 0.047; 0.063 at 0.2 s). The shape's speed
  // coefficient, a quarter of the rigid motion's, trades this lag for less jitter when still.
  std::printf("  lower lip 0.3 s after the mouth began to open: %.3f eye distances behind\n",
              error_after);
  EXPECT_LE(error_after, 0.06);
}

}  // namespace
}  // namespace fw::tracking
