// LookaheadSmoother: frames out in order after the frames they wait for, faces kept apart by id,
// steady motion followed without lag, noise cut, and less lag than live smoothing at a turn, on
// the astronaut's 68 landmarks moved and disturbed synthetically, with the default parameters.
// Pure; no model, no images.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "core/face.h"
#include "core/params.h"
#include "tracking/landmark_smoother.h"
#include "tracking/lookahead_smoother.h"
#include "unit/test_faces.h"

namespace fw::tracking {
namespace {

constexpr double kFps = 30.0;

OneEuroParams Defaults() {
  const core::Params p = core::DefaultParams();
  return {p.smooth_min_cutoff, p.smooth_beta, 1.0};
}

int DefaultAhead() {
  return LookaheadSmoother::FramesAhead(core::DefaultParams().smooth_ahead, kFps);
}

core::Face Astronaut(int id = 1) {
  core::Face f = test::LoadFaceImage("astronaut").faces.at(0);
  f.id = id;
  return f;
}

core::Face Shifted(const core::Face& face, core::Vec2 shift) {
  core::Face out = face;
  for (core::Vec2& p : out.points) p = p + shift;
  out.box.x += shift.x;
  out.box.y += shift.y;
  return out;
}

double MeanDistance(const core::Face& a, const core::Face& b) {
  double sum = 0.0;
  for (int i = 0; i < core::kNumLandmarks; ++i) sum += core::Distance(a.points[i], b.points[i]);
  return sum / core::kNumLandmarks;
}

// Runs `input` (one list of faces per frame at kFps) through a smoother waiting `ahead` frames.
std::vector<core::Faces> Smooth(const std::vector<core::Faces>& input, int ahead) {
  LookaheadSmoother smoother(ahead);
  std::vector<core::Faces> out;
  for (size_t i = 0; i < input.size(); ++i) {
    smoother.Push(input[i], i / kFps);
    while (smoother.Ready()) out.push_back(smoother.Pop(Defaults()));
  }
  while (smoother.Pending() > 0) out.push_back(smoother.Pop(Defaults()));
  return out;
}

TEST(LookaheadSmoother, WaitsForATenthOfASecondOfFramesAtCommonRates) {
  EXPECT_EQ(LookaheadSmoother::FramesAhead(0.1, 24.0), 3);
  EXPECT_EQ(LookaheadSmoother::FramesAhead(0.1, 25.0), 3);
  EXPECT_EQ(LookaheadSmoother::FramesAhead(0.1, 30.0), 3);
  EXPECT_EQ(LookaheadSmoother::FramesAhead(0.1, 60.0), 6);
  EXPECT_EQ(LookaheadSmoother::FramesAhead(0.0, 30.0), 0);
  EXPECT_EQ(LookaheadSmoother::FramesAhead(0.1, 0.0), 0);
}

TEST(LookaheadSmoother, OutputsEveryFrameInOrderOnceTheFramesAfterItHaveCome) {
  LookaheadSmoother smoother(3);
  const core::Face face = Astronaut();
  int popped = 0;
  for (int i = 0; i < 10; ++i) {
    core::Face f = Shifted(face, {static_cast<double>(i), 0.0});
    f.weight = 0.1 * (i + 1);  // tells the frames apart
    smoother.Push({f}, i / kFps);
    EXPECT_EQ(smoother.Ready(), i >= 3) << "frame " << i;
    while (smoother.Ready()) {
      const core::Faces out = smoother.Pop(Defaults());
      ASSERT_EQ(out.size(), 1u);
      EXPECT_DOUBLE_EQ(out[0].weight, 0.1 * (popped + 1));
      EXPECT_EQ(out[0].id, 1);
      ++popped;
    }
  }
  EXPECT_EQ(popped, 7);
  EXPECT_EQ(smoother.Pending(), 3);
  while (smoother.Pending() > 0) {
    EXPECT_DOUBLE_EQ(smoother.Pop(Defaults())[0].weight, 0.1 * (popped + 1));
    ++popped;
  }
  EXPECT_EQ(popped, 10);
  // Frames without faces pass as they are.
  smoother.Push({}, 10 / kFps);
  EXPECT_TRUE(smoother.Pop(Defaults()).empty());
}

TEST(LookaheadSmoother, FollowsSteadyMotionWithoutLag) {
  // 1.5 eye distances per second sideways and 0.5 down: about the sample clips' fastest pan.
  const core::Face face = Astronaut();
  const double eye = core::OuterEyeDistance(face);
  std::vector<core::Faces> input;
  for (int i = 0; i < 60; ++i) {
    input.push_back({Shifted(face, {1.5 * eye * i / kFps, 0.5 * eye * i / kFps})});
  }
  const std::vector<core::Faces> out = Smooth(input, DefaultAhead());
  ASSERT_EQ(out.size(), input.size());
  double worst = 0.0;
  for (size_t i = 0; i < out.size(); ++i) {
    ASSERT_EQ(out[i].size(), 1u);
    worst = std::fmax(worst, MeanDistance(out[i][0], input[i][0]) / eye);
    EXPECT_NEAR(out[i][0].box.x, input[i][0].box.x, 0.01 * eye) << "the box moves with the points";
  }
  std::printf("  worst error %.2g eye distances\n", worst);
  EXPECT_LE(worst, 1e-3);
}

TEST(LookaheadSmoother, CutsTheNoiseOfAStillFaceAtLeastFourfold) {
  const core::Face face = Astronaut();
  const double eye = core::OuterEyeDistance(face);
  std::mt19937 rng(11);
  std::normal_distribution<double> noise(0.0, 0.004 * eye);
  std::vector<core::Faces> input;
  for (int i = 0; i < 150; ++i) {
    core::Face noisy = face;
    for (core::Vec2& p : noisy.points) p = p + core::Vec2{noise(rng), noise(rng)};
    input.push_back({noisy});
  }
  const std::vector<core::Faces> out = Smooth(input, DefaultAhead());
  double raw_sq = 0.0, smooth_sq = 0.0;
  for (size_t i = 30; i < out.size(); ++i) {  // after the first second
    for (int k = 0; k < core::kNumLandmarks; ++k) {
      raw_sq += core::Norm2(input[i][0].points[k] - face.points[k]);
      smooth_sq += core::Norm2(out[i][0].points[k] - face.points[k]);
    }
  }
  const double ratio = std::sqrt(raw_sq / smooth_sq);
  std::printf("  noise cut %.2fx\n", ratio);
  EXPECT_GE(ratio, 4.0);
}

TEST(LookaheadSmoother, KeepsFacesApartByTheirIds) {
  // Two faces side by side, the right one coming in on frame 10 and listed first: neither is
  // pulled toward the other, and the new one starts where it is.
  const core::Face left = Astronaut(7);
  const core::Face right = Shifted(Astronaut(9), {300.0, 0.0});
  std::vector<core::Faces> input;
  for (int i = 0; i < 30; ++i) {
    core::Faces faces;
    if (i >= 10) faces.push_back(right);
    faces.push_back(left);
    input.push_back(faces);
  }
  const std::vector<core::Faces> out = Smooth(input, 3);
  ASSERT_EQ(out.size(), input.size());
  for (size_t i = 0; i < out.size(); ++i) {
    ASSERT_EQ(out[i].size(), input[i].size());
    for (const core::Face& f : out[i]) {
      const core::Face& expected = f.id == 7 ? left : right;
      EXPECT_LT(MeanDistance(f, expected), 1e-6) << "frame " << i << ", face " << f.id;
    }
  }
}

TEST(LookaheadSmoother, LagsLessThanLiveSmoothingWhereTheFaceTurnsBack) {
  // The face swings sideways, 0.5 eye distances each way at 0.5 Hz (a head shaking slowly),
  // with the still test's noise: waiting 0.1 s for the frames after it, the output lags less
  // than live smoothing's and is as steady.
  const core::Face face = Astronaut();
  const double eye = core::OuterEyeDistance(face);
  std::mt19937 rng(5);
  std::normal_distribution<double> noise(0.0, 0.004 * eye);
  std::vector<core::Faces> input, truth;
  for (int i = 0; i < 120; ++i) {
    const double x = 0.5 * eye * std::sin(2.0 * M_PI * 0.5 * i / kFps);
    truth.push_back({Shifted(face, {x, 0.0})});
    core::Face noisy = truth.back()[0];
    for (core::Vec2& p : noisy.points) p = p + core::Vec2{noise(rng), noise(rng)};
    input.push_back({noisy});
  }
  const std::vector<core::Faces> ahead = Smooth(input, DefaultAhead());
  LandmarkSmoother live;
  double ahead_error = 0.0, live_error = 0.0;
  for (size_t i = 0; i < input.size(); ++i) {
    core::Face l = input[i][0];
    live.Smooth(l, i / kFps, Defaults(), FaceMotion{});
    if (i < 30) continue;
    ahead_error += MeanDistance(ahead[i][0], truth[i][0]) / eye;
    live_error += MeanDistance(l, truth[i][0]) / eye;
  }
  std::printf("  mean error: ahead %.4f, live %.4f eye distances\n", ahead_error / 90,
              live_error / 90);
  EXPECT_LT(ahead_error, 0.7 * live_error);
}

}  // namespace
}  // namespace fw::tracking
