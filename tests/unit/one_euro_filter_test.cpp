#include "tracking/one_euro_filter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace fw::tracking {
namespace {

constexpr double kPi = 3.14159265358979323846;

TEST(OneEuroFilter, AlphaMatchesTheFormula) {
  // cutoff 1 Hz, dt 1/30 s: tau = 1/(2 pi) = 0.159155, alpha = 1/(1 + tau*30) = 0.173171.
  EXPECT_NEAR(OneEuroAlpha(1.0, 1.0 / 30.0), 1.0 / (1.0 + 30.0 / (2.0 * kPi)), 1e-12);
  EXPECT_NEAR(OneEuroAlpha(1.0, 1.0 / 30.0), 0.173171, 1e-6);
}

TEST(OneEuroFilter, FirstSamplePassesThrough) {
  OneEuroFilter f;
  EXPECT_EQ(f.Filter(42.0, 0.0, {}), 42.0);
}

TEST(OneEuroFilter, MatchesValuesComputedByHand) {
  // min_cutoff 1, beta 0.1, d_cutoff 1, samples at 30 Hz: x = 0, 1, 1.
  // Step 1 (t=1/30): dx = 30, a_d = 0.173171 -> dx_hat = 5.19512,
  //   cutoff = 1 + 0.1*5.19512 = 1.519512, a = 1/(1+30/(2 pi 1.519512)) = 0.241416,
  //   x_hat = 0.241416.
  // Step 2 (t=2/30): dx = (1 - 0.241416)*30 = 22.75752, dx_hat = 0.173171*22.75752 +
  //   0.826829*5.19512 = 8.236414, cutoff = 1.8236414, a = 0.276381,
  //   x_hat = 0.241416 + 0.276381*(1 - 0.241416) = 0.451074.
  OneEuroParams p{1.0, 0.1, 1.0};
  OneEuroFilter f;
  f.Filter(0.0, 0.0, p);
  EXPECT_NEAR(f.Filter(1.0, 1.0 / 30.0, p), 0.241416, 1e-5);
  EXPECT_NEAR(f.Filter(1.0, 2.0 / 30.0, p), 0.451074, 1e-5);
}

TEST(OneEuroFilter, WithZeroBetaItIsAPlainExponentialLowPass) {
  OneEuroParams p{2.0, 0.0, 1.0};
  OneEuroFilter f;
  const double a = OneEuroAlpha(2.0, 0.02);
  double expected = 10.0;
  f.Filter(10.0, 0.0, p);
  for (int i = 1; i <= 20; ++i) {
    const double x = (i % 2) ? 0.0 : 10.0;
    expected = a * x + (1.0 - a) * expected;
    EXPECT_NEAR(f.Filter(x, i * 0.02, p), expected, 1e-12);
  }
}

TEST(OneEuroFilter, ReducesJitterOfAStillSignal) {
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0.0, 1.0);
  OneEuroFilter f;
  OneEuroParams p{1.0, 0.0, 1.0};
  double raw_sq = 0.0, smooth_sq = 0.0;
  for (int i = 0; i < 300; ++i) {
    const double x = noise(rng);
    const double y = f.Filter(x, i / 30.0, p);
    if (i >= 30) {
      raw_sq += x * x;
      smooth_sq += y * y;
    }
  }
  EXPECT_LT(std::sqrt(smooth_sq), 0.5 * std::sqrt(raw_sq));
}

TEST(OneEuroFilter, HigherBetaFollowsFastMotionWithLessLag) {
  OneEuroFilter slow, fast;
  OneEuroParams p_slow{1.0, 0.0, 1.0}, p_fast{1.0, 1.0, 1.0};
  double y_slow = 0.0, y_fast = 0.0;
  for (int i = 0; i <= 15; ++i) {  // a ramp of 100 units/s for half a second
    y_slow = slow.Filter(100.0 * i / 30.0, i / 30.0, p_slow);
    y_fast = fast.Filter(100.0 * i / 30.0, i / 30.0, p_fast);
  }
  const double truth = 50.0;
  EXPECT_LT(std::fabs(truth - y_fast), 0.25 * std::fabs(truth - y_slow));
}

TEST(PointFilter, SpeedIsMeasuredInUnitsOfTheFaceScale) {
  // The same motion at twice the scale looks half as fast, so it is smoothed more.
  OneEuroParams p{1.0, 5.0, 1.0};
  PointFilter near_face, far_face;
  core::Vec2 a, b;
  for (int i = 0; i <= 10; ++i) {
    const core::Vec2 x{10.0 * i, 0.0};
    a = near_face.Filter(x, i / 30.0, 50.0, p);
    b = far_face.Filter(x, i / 30.0, 100.0, p);
  }
  EXPECT_GT(a.x, b.x);
}

}  // namespace
}  // namespace fw::tracking
