// Packs a warp plan into the fixed-size, float32 uniform block of the GL warp shader
// (shaders/warp.frag), with the per-op constants precomputed. Pure (no GL); thread-compatible.
#pragma once

#include <array>

#include "warp/warp_plan.h"

namespace fw::warp {

// Shader limits: the uniform arrays hold kMaxShaderFaces faces of up to kOpsPerFace ops each.
inline constexpr int kMaxShaderFaces = kMaxWarpedFaces;
inline constexpr int kOpsPerFace = 4;
inline constexpr int kMaxShaderOps = kMaxShaderFaces * kOpsPerFace;

inline constexpr int kShaderOpTranslate = 0;
inline constexpr int kShaderOpScale = 1;

// What the warp shader reads, in source-frame pixel coordinates. Ops are in plan (forward)
// order; the shader applies them last to first. Faces are contiguous runs of ops ("groups"),
// each with a box that holds every op's disc: a point outside the box is left unchanged by
// all of the group's ops, so the shader skips it.
struct PackedWarp {
  int num_ops = 0;
  int num_groups = 0;
  int faces_dropped = 0;  // faces beyond kMaxShaderFaces (or kMaxShaderOps), left unwarped
  // Per op, 4 floats each:
  //   op_geom: c.x, c.y, r^2, 1/r
  //   op_warp: translate: s*(m-c).x, s*(m-c).y, |m-c|^2, 0;  scale: 0, 0, 0, a
  std::array<float, 4 * kMaxShaderOps> op_geom{};
  std::array<float, 4 * kMaxShaderOps> op_warp{};
  std::array<int, kMaxShaderOps> op_kind{};  // kShaderOpTranslate or kShaderOpScale
  // Per group: box min.x, min.y, max.x, max.y (padded by one pixel); first op, op count.
  std::array<float, 4 * kMaxShaderFaces> group_box{};
  std::array<int, 2 * kMaxShaderFaces> group_range{};
};

// Splits plan into faces. AppendFacePlan emits each face's ops in the order left cheek, right
// cheek (translations), left eye, right eye (scalings), leaving out zero ones, so a face
// starts where a translation follows a scaling, where a third op of one kind would follow
// two, or after four ops. Writes the index one past each face's last op into ends and returns
// the number of faces (at most ends.size(); the rest of the plan is one more face per call
// of the same rule, counted but not stored). Grouping never changes the warp, only how
// tightly the shader's region test fits.
int SplitPlanIntoFaces(const WarpPlan& plan, std::array<int, kMaxShaderFaces>& ends);

// Fills out from plan: the first kMaxShaderFaces faces (faces come largest first), the rest
// counted in faces_dropped. No allocation.
void PackWarpPlan(const WarpPlan& plan, PackedWarp& out);

}  // namespace fw::warp
