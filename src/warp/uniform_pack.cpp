// Uniform packing for the GL warp shader. Pure.
#include "warp/uniform_pack.h"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <vector>

namespace fw::warp {

namespace {

void PackOp(const WarpOp& op, size_t index, PackedWarp& out) {
  float* geom = &out.op_geom[4 * index];
  float* warp = &out.op_warp[4 * index];
  geom[0] = static_cast<float>(op.c.x);
  geom[1] = static_cast<float>(op.c.y);
  geom[2] = static_cast<float>(op.r * op.r);
  geom[3] = op.r > 0.0 ? static_cast<float>(1.0 / op.r) : 0.0f;
  if (op.kind == OpKind::kTranslate) {
    const core::Vec2 v = op.m - op.c;
    warp[0] = static_cast<float>(op.strength * v.x);
    warp[1] = static_cast<float>(op.strength * v.y);
    warp[2] = static_cast<float>(core::Norm2(v));
    warp[3] = 0.0f;
  } else {
    warp[0] = warp[1] = 0.0f;
    warp[2] = -1.0f;
    warp[3] = static_cast<float>(op.strength);
  }
}

}  // namespace

void PackWarpPlan(const WarpPlan& plan, PackedWarp& out) {
  const std::vector<FaceOps>& faces = plan.faces();
  const int num_faces = static_cast<int>(faces.size());
  out.num_groups = std::min(num_faces, kMaxShaderFaces);
  while (out.num_groups > 0 && faces[out.num_groups - 1].end > kMaxShaderOps) --out.num_groups;
  out.faces_dropped = num_faces - out.num_groups;
  out.num_ops = out.num_groups > 0 ? faces[out.num_groups - 1].end : 0;

  constexpr double kPad = 1.0;  // keeps the box conservative after rounding to float
  for (int g = 0; g < out.num_groups; ++g) {
    const int begin = faces[g].begin;
    const int end = faces[g].end;
    double x0 = std::numeric_limits<double>::infinity();
    double y0 = x0;
    double x1 = -x0;
    double y1 = -x0;
    for (int i = begin; i < end; ++i) {
      const WarpOp& op = plan[static_cast<size_t>(i)];
      PackOp(op, static_cast<size_t>(i), out);
      x0 = std::min(x0, op.c.x - op.r - kPad);
      y0 = std::min(y0, op.c.y - op.r - kPad);
      x1 = std::max(x1, op.c.x + op.r + kPad);
      y1 = std::max(y1, op.c.y + op.r + kPad);
    }
    const size_t at = static_cast<size_t>(g);
    float* box = &out.group_box[4 * at];
    box[0] = static_cast<float>(x0);
    box[1] = static_cast<float>(y0);
    box[2] = static_cast<float>(x1);
    box[3] = static_cast<float>(y1);
    out.group_range[2 * at] = begin;
    out.group_range[2 * at + 1] = end - begin;
  }
}

}  // namespace fw::warp
