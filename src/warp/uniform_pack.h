// Packs a warp plan into the fixed-size, float32 uniforms of the GL warp shader
// (shaders/warp.frag), with the per-op constants precomputed. Pure (no GL); thread-compatible.
#pragma once

#include <array>

#include "warp/warp_plan.h"

namespace fw::warp {

// Shader limits: kMaxShaderFaces faces with kMaxOpsPerFace ops each (warp_plan.h). The op
// arrays live in a std140 uniform block (two vec4 per op: 8 KiB at 256 ops, within OpenGL 3.3's
// guaranteed 16 KiB per block); the per-face arrays are plain uniforms.
inline constexpr int kMaxShaderFaces = kMaxWarpedFaces;
inline constexpr int kMaxShaderOps = kMaxShaderFaces * kMaxOpsPerFace;
// Uniform block binding point of the op arrays ("WarpOps" in warp.frag).
inline constexpr int kWarpOpsBinding = 0;

// What the warp shader reads, in source-frame pixel coordinates. Ops are in plan (forward)
// order; the shader applies them last to first. The plan's faces (WarpPlan::faces) are the
// shader's "groups", each with a box that holds every op's disc: a point outside the
// box is left unchanged by all of the group's ops, so the shader skips it.
struct PackedWarp {
  int num_ops = 0;
  int num_groups = 0;
  int faces_dropped = 0;  // faces beyond kMaxShaderFaces (or kMaxShaderOps), left unwarped
  // Per op, 4 floats each; op_geom then op_warp is the uniform block's std140 layout:
  //   op_geom: c.x, c.y, r^2, 1/r
  //   op_warp: translate: s*(m-c).x, s*(m-c).y, |m-c|^2, 0;  scale: 0, 0, -1, a
  // (a negative op_warp[2] marks a scaling).
  std::array<float, 4 * kMaxShaderOps> op_geom{};
  std::array<float, 4 * kMaxShaderOps> op_warp{};
  // Per group: box min.x, min.y, max.x, max.y (padded by one pixel); first op, op count.
  std::array<float, 4 * kMaxShaderFaces> group_box{};
  std::array<int, 2 * kMaxShaderFaces> group_range{};
};

// Fills out from plan: the first faces (faces come largest first) while at most
// kMaxShaderFaces faces and kMaxShaderOps ops fit, the rest counted in faces_dropped. No
// allocation.
void PackWarpPlan(const WarpPlan& plan, PackedWarp& out);

}  // namespace fw::warp
