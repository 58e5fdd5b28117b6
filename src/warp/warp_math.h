// Gustafsson's local warps as inverse maps (DESIGN.md, "Warp specification"): the output
// pixel at x takes the source colour at u = f(x). Pure, header-inline for the hot loops.
#pragma once

#include <cmath>

#include "core/geometry.h"
#include "warp/warp_plan.h"

namespace fw::warp {

// Local translation warp: identity outside |x - c| < r.
inline core::Vec2 TranslationWarp(core::Vec2 x, core::Vec2 c, core::Vec2 m, double r, double s) {
  const double t = r * r - core::Norm2(x - c);
  if (t <= 0.0) return x;
  const core::Vec2 v = m - c;
  const double k = t / (t + core::Norm2(v));
  return x - (s * k * k) * v;
}

// Local scaling warp (0 <= a < 1): identity outside |x - c| < r.
inline core::Vec2 ScalingWarp(core::Vec2 x, core::Vec2 c, double r, double a) {
  const core::Vec2 dx = x - c;
  const double d2 = core::Norm2(dx);
  if (d2 >= r * r) return x;
  const double w = std::sqrt(d2) / r - 1.0;
  return c + (1.0 - a * w * w) * dx;
}

inline core::Vec2 ApplyOp(const WarpOp& op, core::Vec2 x) {
  return op.kind == OpKind::kTranslate ? TranslationWarp(x, op.c, op.m, op.r, op.strength)
                                       : ScalingWarp(x, op.c, op.r, op.strength);
}

// Source point of output pixel x for the ops o1..on applied one after another:
// f1(f2(...fn(x))).
inline core::Vec2 ComposedSource(const WarpPlan& plan, core::Vec2 x) {
  for (auto it = plan.rbegin(); it != plan.rend(); ++it) x = ApplyOp(*it, x);
  return x;
}

// Largest translation strength s that keeps the warp injective for radius r and
// displacement |m - c| = d: the fold starts where s * max|grad(k^2)| * d reaches 1.
// Exact (the Jacobian determinant is 1 - s * grad(k^2).(m - c), whose minimum over the disc
// is 1 - s * max|grad(k^2)| * d); +infinity where the warp moves nothing (r or d is 0).
// Depends only on d / r.
double FoldOverStrengthLimit(double r, double d);

}  // namespace fw::warp
