// Gustafsson's local warps as inverse maps (DESIGN.md, "Warp specification"): the output
// pixel at x takes the source colour at u = f(x). Pure, header-inline for the hot loops.
#pragma once

#include "core/geometry.h"
#include "warp/warp_plan.h"

namespace fw::warp {

// Local translation warp: identity outside |x - c| < r.
core::Vec2 TranslationWarp(core::Vec2 x, core::Vec2 c, core::Vec2 m, double r, double s);
// Local scaling warp (0 <= a < 1): identity outside |x - c| < r.
core::Vec2 ScalingWarp(core::Vec2 x, core::Vec2 c, double r, double a);
core::Vec2 ApplyOp(const WarpOp& op, core::Vec2 x);

// Source point of output pixel x for the ops o1..on applied one after another:
// f1(f2(...fn(x))).
core::Vec2 ComposedSource(const WarpPlan& plan, core::Vec2 x);

// Largest translation strength s that keeps the warp injective for radius r and
// displacement |m - c| = d: the fold starts where s * max|grad(k^2)| * d reaches 1.
double FoldOverStrengthLimit(double r, double d);

}  // namespace fw::warp
