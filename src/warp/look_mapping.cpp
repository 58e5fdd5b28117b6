// Forward mapping of look meshes through the warp. Pure.
#include "warp/look_mapping.h"

#include <cmath>

#include "warp/warp_math.h"

namespace fw::warp {

core::Vec2 ForwardMap(const WarpPlan& plan, core::Vec2 p) {
  if (plan.empty()) return p;
  // Newton's method on f(x) - p with a central-difference Jacobian; the map is smooth and
  // fold-free, and starting at p it converges in a few steps.
  constexpr double kH = 1e-3;
  core::Vec2 x = p;
  for (int i = 0; i < 12; ++i) {
    const core::Vec2 r = ComposedSource(plan, x) - p;
    if (core::Norm2(r) < 1e-12) break;
    const core::Vec2 fx = (0.5 / kH) * (ComposedSource(plan, x + core::Vec2{kH, 0.0}) -
                                        ComposedSource(plan, x - core::Vec2{kH, 0.0}));
    const core::Vec2 fy = (0.5 / kH) * (ComposedSource(plan, x + core::Vec2{0.0, kH}) -
                                        ComposedSource(plan, x - core::Vec2{0.0, kH}));
    const double det = fx.x * fy.y - fx.y * fy.x;
    if (!(std::abs(det) > 1e-9)) {
      x = x - r;  // a plain fixed-point step where the Jacobian cannot be inverted
      continue;
    }
    x = x - core::Vec2{(fy.y * r.x - fy.x * r.y) / det, (fx.x * r.y - fx.y * r.x) / det};
  }
  return x;
}

void MoveLooksThroughWarp(const WarpPlan& plan, looks::LookPlan& looks) {
  if (plan.empty()) return;
  for (int f = 0; f < looks.num_faces; ++f) {
    for (core::Vec2& p : looks.faces[f].points) p = ForwardMap(plan, p);
  }
}

}  // namespace fw::warp
