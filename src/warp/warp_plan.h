// The warp plan: landmarks + parameters -> the list of local warps to apply, in forward
// order (DESIGN.md, "Per face"). Pure; thread-compatible.
#pragma once

#include <vector>

#include "core/face.h"
#include "core/geometry.h"
#include "core/params.h"

namespace fw::warp {

enum class OpKind { kTranslate, kScale };

// One local warp, in source-frame pixel coordinates.
//  kTranslate: centre c, target m, radius r, strength s (already bounded against fold-over).
//  kScale:     centre c, radius r, strength a in [0, 1); m is unused.
struct WarpOp {
  OpKind kind = OpKind::kTranslate;
  core::Vec2 c;
  core::Vec2 m;
  double r = 0.0;
  double strength = 0.0;
};

using WarpPlan = std::vector<WarpOp>;  // forward order o1..on

// The four ops of one face (left cheek, right cheek, left eye, right eye), strengths scaled by
// face.weight; ops with zero strength or radius are left out.
void AppendFacePlan(const core::Face& face, const core::Params& params, WarpPlan& plan);
WarpPlan PlanFrame(const core::Faces& faces, const core::Params& params);

}  // namespace fw::warp
