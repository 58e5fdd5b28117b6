// Age geometry as local translation warps. Pure.
#include "warp/age_plan.h"

#include <algorithm>
#include <cmath>

#include "warp/warp_math.h"

namespace fw::warp {

namespace {

struct AgeMove {
  int point;      // landmark moved
  double down;    // displacement along the face's down axis, in outer eye distances at age 1
  double radius;  // warp radius, in outer eye distances
};

// Jowls, mouth corners, lips, brows.
constexpr AgeMove kMoves[kAgeOpsPerFace] = {
    {5, 0.07, 0.35},   {11, 0.07, 0.35},  {48, 0.045, 0.2}, {54, 0.045, 0.2},
    {51, 0.025, 0.12}, {57, -0.03, 0.14}, {19, 0.05, 0.3},  {24, 0.05, 0.3},
};

}  // namespace

void AppendAgeOps(const core::Face& face, double age, WarpPlan& plan) {
  if (!(age > 0.0)) return;
  const double scale = core::OuterEyeDistance(face);
  // Down: perpendicular to the line through the outer eye corners, toward the chin.
  const core::Vec2 across = face.points[45] - face.points[36];
  if (!(scale > 0.0) || !std::isfinite(scale)) return;
  const core::Vec2 down = (1.0 / scale) * core::Vec2{-across.y, across.x};
  for (const AgeMove& move : kMoves) {
    // The target lies one radius away, where the translation warp moves its centre by a
    // quarter of the strength times the radius (k = 1/2 there): far from folding, unlike a
    // target as close as the wanted displacement (DESIGN.md, "No fold-over").
    const core::Vec2 c = face.points[move.point];
    const double r = move.radius * scale;
    const core::Vec2 m = c + (move.down > 0.0 ? r : -r) * down;
    const double wanted = age * std::abs(move.down) / (0.25 * move.radius);
    const double s = std::min(wanted, kFoldOverMargin * FoldOverStrengthLimit(r, r));
    if (!(s > 0.0 && std::isfinite(c.x) && std::isfinite(c.y))) continue;
    plan.push_back({OpKind::kTranslate, c, m, r, s});
  }
}

}  // namespace fw::warp
