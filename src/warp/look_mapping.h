// Moves the meshes of a look plan (planned on the source frame) onto the warped image: each
// point p goes to the x with f(x) = p, f the plan's composed inverse map, so the appearance
// layers drawn after the warp sit on the warped face. Pure; no allocation.
#pragma once

#include "core/geometry.h"
#include "looks/look_plan.h"
#include "warp/warp_plan.h"

namespace fw::warp {

// The x with ComposedSource(plan, x) = p (to about 1e-6 px), by Newton's method: the map is
// smooth and fold-free (DESIGN.md, "No fold-over"); p itself when plan is empty.
core::Vec2 ForwardMap(const WarpPlan& plan, core::Vec2 p);

void MoveLooksThroughWarp(const WarpPlan& plan, looks::LookPlan& looks);

}  // namespace fw::warp
