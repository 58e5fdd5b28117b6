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

// A translation's strength is held to this fraction of FoldOverStrengthLimit, so the Jacobian
// determinant stays >= 1 - kFoldOverMargin instead of just touching 0.
inline constexpr double kFoldOverMargin = 0.9;
// Largest scaling strength: the scaling warp's determinant is >= (1 - a)^2, and at a = 1 the
// centre would collapse to a point.
inline constexpr double kMaxScaleStrength = 0.95;

// The four ops of one face (left cheek, right cheek, left eye, right eye), strengths scaled by
// face.weight (clamped to [0, 1]) and bounded as above; ops with zero strength, radius or
// displacement, or with non-finite landmarks, are left out, so thin = 0 and eyes = 0 give an
// empty plan. Appends, allocating only when plan's capacity is exceeded.
void AppendFacePlan(const core::Face& face, const core::Params& params, WarpPlan& plan);
// The ops of every face, in the order of faces.
WarpPlan PlanFrame(const core::Faces& faces, const core::Params& params);

// At most this many faces are warped per frame, on every backend (the GL shader's uniform
// arrays hold this many); faces come largest first, so the smallest ones are left out.
inline constexpr int kMaxWarpedFaces = 8;
// Replaces plan's contents with the ops of the first kMaxWarpedFaces faces; returns how many
// faces were left out. Allocates only when plan's capacity is exceeded.
int PlanFrameInto(const core::Faces& faces, const core::Params& params, WarpPlan& plan);

}  // namespace fw::warp
