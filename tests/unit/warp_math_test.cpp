#include "warp/warp_math.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace fw::warp {
namespace {

using core::Vec2;

constexpr double kPi = 3.14159265358979323846;

Vec2 Polar(Vec2 c, double d, double angle) {
  return {c.x + d * std::cos(angle), c.y + d * std::sin(angle)};
}

// Jacobian determinant of ComposedSource at x by central differences; the step is small
// against every radius used here, so the truncation error is far below the margins tested.
double JacobianDet(const WarpPlan& plan, Vec2 x, double h = 1e-4) {
  const Vec2 ux = ComposedSource(plan, {x.x + h, x.y}) - ComposedSource(plan, {x.x - h, x.y});
  const Vec2 uy = ComposedSource(plan, {x.x, x.y + h}) - ComposedSource(plan, {x.x, x.y - h});
  return (ux.x * uy.y - ux.y * uy.x) / (4.0 * h * h);
}

// Smallest determinant over a dense polar grid of op's disc.
double MinDetOverDisc(const WarpOp& op) {
  const WarpPlan plan = {op};
  double min_det = std::numeric_limits<double>::infinity();
  for (int i = 0; i < 400; ++i) {
    const double d = op.r * (i + 0.5) / 400.0;
    for (int j = 0; j < 720; ++j) {
      min_det = std::min(min_det, JacobianDet(plan, Polar(op.c, d, 2.0 * kPi * j / 720.0)));
    }
  }
  return min_det;
}

WarpOp Translate(Vec2 c, Vec2 m, double r, double s) { return {OpKind::kTranslate, c, m, r, s}; }

WarpOp Scale(Vec2 c, double r, double a) { return {OpKind::kScale, c, c, r, a}; }

TEST(WarpMath, TranslationWarpIsIdentityAtZeroStrength) {
  const Vec2 c{100.0, 80.0};
  for (double d : {0.0, 5.0, 29.0}) {
    const Vec2 x = Polar(c, d, 0.7);
    const Vec2 u = TranslationWarp(x, c, {150.0, 90.0}, 30.0, 0.0);
    EXPECT_EQ(u.x, x.x);
    EXPECT_EQ(u.y, x.y);
  }
}

TEST(WarpMath, ScalingWarpIsIdentityAtZeroStrength) {
  const Vec2 c{100.0, 80.0};
  for (double d : {0.0, 5.0, 29.0}) {
    const Vec2 x = Polar(c, d, 2.1);
    const Vec2 u = ScalingWarp(x, c, 30.0, 0.0);
    EXPECT_DOUBLE_EQ(u.x, x.x);
    EXPECT_DOUBLE_EQ(u.y, x.y);
  }
}

TEST(WarpMath, WarpsAreIdentityOnAndOutsideTheirRadius) {
  const Vec2 c{64.0, 48.0};
  const double r = 25.0;
  for (double d : {r, r + 0.01, 2.0 * r, 500.0}) {
    for (int j = 0; j < 16; ++j) {
      const Vec2 x = Polar(c, d * (1.0 + 1e-12), 2.0 * kPi * j / 16.0);
      const Vec2 t = TranslationWarp(x, c, {90.0, 50.0}, r, 3.0);
      const Vec2 s = ScalingWarp(x, c, r, 0.9);
      EXPECT_EQ(t.x, x.x);
      EXPECT_EQ(t.y, x.y);
      EXPECT_EQ(s.x, x.x);
      EXPECT_EQ(s.y, x.y);
    }
  }
}

TEST(WarpMath, WarpsAreContinuousAtTheRadius) {
  // Both displacements vanish quadratically at the rim: a point 1e-3 px inside moves by far
  // less than 1e-4 px, even at strong settings.
  const Vec2 c{64.0, 48.0};
  const double r = 25.0;
  for (int j = 0; j < 16; ++j) {
    const Vec2 x = Polar(c, r - 1e-3, 2.0 * kPi * j / 16.0);
    EXPECT_LT(core::Distance(TranslationWarp(x, c, {90.0, 50.0}, r, 3.0), x), 1e-4);
    EXPECT_LT(core::Distance(ScalingWarp(x, c, r, 0.9), x), 1e-4);
  }
}

TEST(WarpMath, TranslationWarpMovesTheCentreByStrengthTimesKSquared) {
  const Vec2 c{120.0, 140.0};
  const Vec2 m{165.0, 132.0};
  const double r = 30.0;
  const double s = 2.5;
  const double k = r * r / (r * r + core::Norm2(m - c));
  const Vec2 u = TranslationWarp(c, c, m, r, s);
  // The output at c samples c - s k^2 (m - c): the content moves toward m by s k^2 (m - c).
  EXPECT_NEAR(u.x, c.x - s * k * k * (m.x - c.x), 1e-12);
  EXPECT_NEAR(u.y, c.y - s * k * k * (m.y - c.y), 1e-12);
}

TEST(WarpMath, ScalingWarpMagnifiesAboutItsCentre) {
  const Vec2 c{50.0, 60.0};
  const double r = 20.0;
  const double a = 0.3;
  const Vec2 centre = ScalingWarp(c, c, r, a);
  EXPECT_EQ(centre.x, c.x);
  EXPECT_EQ(centre.y, c.y);
  for (int j = 0; j < 8; ++j) {
    const double angle = 2.0 * kPi * j / 8.0 + 0.1;
    double previous = 0.0;
    for (int i = 1; i < 100; ++i) {
      const double d = r * i / 100.0;
      const Vec2 u = ScalingWarp(Polar(c, d, angle), c, r, a);
      const double du = core::Distance(u, c);
      // The source point lies closer to the centre on the same ray, so content moves outward;
      // the radial map stays increasing, so nothing folds.
      EXPECT_LT(du, d);
      EXPECT_NEAR(std::atan2(u.y - c.y, u.x - c.x), std::remainder(angle, 2.0 * kPi), 1e-9);
      EXPECT_GT(du, previous);
      previous = du;
    }
  }
  // Magnification 1 / (1 - a) at the centre.
  const Vec2 near = ScalingWarp({c.x + 1e-6, c.y}, c, r, a);
  EXPECT_NEAR((near.x - c.x) / 1e-6, 1.0 - a, 1e-6);
}

TEST(WarpMath, ApplyOpDispatchesOnTheKind) {
  const Vec2 x{52.0, 47.0};
  const WarpOp t = Translate({50.0, 50.0}, {70.0, 55.0}, 15.0, 2.0);
  const WarpOp s = Scale({50.0, 50.0}, 15.0, 0.4);
  EXPECT_DOUBLE_EQ(ApplyOp(t, x).x, TranslationWarp(x, t.c, t.m, t.r, t.strength).x);
  EXPECT_DOUBLE_EQ(ApplyOp(s, x).y, ScalingWarp(x, s.c, s.r, s.strength).y);
}

TEST(WarpMath, ComposedSourceAppliesTheLastOpFirst) {
  const WarpOp first = Translate({50.0, 50.0}, {80.0, 50.0}, 25.0, 3.0);
  const WarpOp second = Scale({60.0, 55.0}, 20.0, 0.5);
  const Vec2 x{57.0, 52.0};
  const Vec2 expected = ApplyOp(first, ApplyOp(second, x));
  const Vec2 u = ComposedSource({first, second}, x);
  EXPECT_DOUBLE_EQ(u.x, expected.x);
  EXPECT_DOUBLE_EQ(u.y, expected.y);
  const Vec2 swapped = ApplyOp(second, ApplyOp(first, x));
  EXPECT_GT(core::Distance(u, swapped), 0.1);  // the order matters for overlapping ops
  const Vec2 none = ComposedSource({}, x);
  EXPECT_EQ(none.x, x.x);
  EXPECT_EQ(none.y, x.y);
}

TEST(WarpMath, FoldOverStrengthLimitMatchesABruteForceMaximum) {
  for (double ratio : {0.1, 0.5, 1.0, 1.96, 2.67, 5.0, 20.0}) {
    const double r = 30.0;
    const double d = ratio * r;
    double grad_max = 0.0;
    for (int i = 0; i <= 200000; ++i) {
      const double q = r * i / 200000.0;
      const double t = r * r - q * q;
      grad_max = std::max(grad_max, 4.0 * q * t * d * d / std::pow(t + d * d, 3));
    }
    EXPECT_NEAR(FoldOverStrengthLimit(r, d) * grad_max * d, 1.0, 1e-6) << "d/r " << ratio;
  }
}

TEST(WarpMath, FoldOverStrengthLimitDependsOnlyOnTheRatioOfDisplacementToRadius) {
  EXPECT_NEAR(FoldOverStrengthLimit(30.0, 80.0), FoldOverStrengthLimit(3.0, 8.0), 1e-9);
  EXPECT_NEAR(FoldOverStrengthLimit(30.0, 80.0) / FoldOverStrengthLimit(300.0, 800.0), 1.0, 1e-12);
  // A larger radius (relative to the displacement) folds sooner.
  EXPECT_LT(FoldOverStrengthLimit(60.0, 80.0), FoldOverStrengthLimit(30.0, 80.0));
}

TEST(WarpMath, FoldOverStrengthLimitIsInfiniteWhenNothingMoves) {
  EXPECT_TRUE(std::isinf(FoldOverStrengthLimit(30.0, 0.0)));
  EXPECT_TRUE(std::isinf(FoldOverStrengthLimit(0.0, 80.0)));
}

TEST(WarpMath, TranslationWarpDoesNotFoldJustBelowTheFoldOverLimit) {
  const Vec2 c{200.0, 150.0};
  for (double ratio : {0.5, 1.0, 2.67}) {
    const double r = 40.0;
    const Vec2 m{c.x + 0.6 * ratio * r, c.y + 0.8 * ratio * r};
    const double limit = FoldOverStrengthLimit(r, ratio * r);
    const double min_det = MinDetOverDisc(Translate(c, m, r, 0.98 * limit));
    EXPECT_GT(min_det, 0.0) << "d/r " << ratio;
    // The bound is tight: the smallest determinant is 1 - s / limit, reached on the grid.
    EXPECT_NEAR(min_det, 0.02, 0.005) << "d/r " << ratio;
  }
}

TEST(WarpMath, TranslationWarpFoldsAtTwelveTenthsOfTheFoldOverLimit) {
  const Vec2 c{200.0, 150.0};
  for (double ratio : {0.5, 1.0, 2.67}) {
    const double r = 40.0;
    const Vec2 m{c.x - ratio * r, c.y};
    const double limit = FoldOverStrengthLimit(r, ratio * r);
    EXPECT_LE(MinDetOverDisc(Translate(c, m, r, 1.2 * limit)), 0.0) << "d/r " << ratio;
  }
}

}  // namespace
}  // namespace fw::warp
