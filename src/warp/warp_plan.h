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
// face: which face of the frame the op belongs to. The ops of one face are contiguous in the
// plan and share this index (any value, different from the neighbouring faces'); the GL
// packer (warp/uniform_pack.h) groups ops by it, so a new kind of op for a face only has to
// be appended with that face's index, inside AppendFacePlan.
struct WarpOp {
  OpKind kind = OpKind::kTranslate;
  core::Vec2 c;
  core::Vec2 m;
  double r = 0.0;
  double strength = 0.0;
  int face = 0;
};

// Forward order o1..on; the map is f1(f2(...fn(x))) (warp_math.h, ComposedSource).
using WarpPlan = std::vector<WarpOp>;

// A translation's strength is held to this fraction of FoldOverStrengthLimit, so the Jacobian
// determinant stays >= 1 - kFoldOverMargin instead of just touching 0.
inline constexpr double kFoldOverMargin = 0.9;
// Largest scaling strength: the scaling warp's determinant is >= (1 - a)^2, and at a = 1 the
// centre would collapse to a point.
inline constexpr double kMaxScaleStrength = 0.95;

// The ops of one face, in this order (DESIGN.md, "Per face"): the classic cheek pull (left,
// right; `thin`), the shape controls (warp/face_shape_ops.h: slim, jaw width, chin length,
// forehead height, nose width, mouth width, eye distance), then the eyes (left, right;
// scalings). Strengths are scaled by face.weight (clamped to [0, 1]) and bounded as above;
// ops with zero strength, radius or displacement, or with non-finite landmarks, are left out,
// so all-zero parameters give an empty plan. Every op gets one face index, one more than the
// plan's last op's (0 for an empty plan). At most kMaxOpsPerFace ops. Appends, allocating
// only when plan's capacity is exceeded.
void AppendFacePlan(const core::Face& face, const core::Params& params, WarpPlan& plan);
// The ops of every face, in the order of faces.
WarpPlan PlanFrame(const core::Faces& faces, const core::Params& params);

// At most this many faces are warped per frame, on every backend (the GL shader's uniform
// arrays hold this many); faces come largest first, so the smallest ones are left out.
inline constexpr int kMaxWarpedFaces = 8;
// The most ops AppendFacePlan emits for one face (2 cheeks, 12 slim, 2 jaw, 1 chin,
// 1 forehead, 2 nose, 2 mouth, 2 eye distance, 2 eyes = 26), with room for more.
inline constexpr int kMaxOpsPerFace = 32;
// Replaces plan's contents with the ops of the first kMaxWarpedFaces faces; returns how many
// faces were left out. Allocates only when plan's capacity is exceeded.
int PlanFrameInto(const core::Faces& faces, const core::Params& params, WarpPlan& plan);

}  // namespace fw::warp
