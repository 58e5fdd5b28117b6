// Uniform packing for the GL warp shader: per-op constants, faces found in the plan, the
// eight-face limit, and a float emulation of warp.frag that must follow ComposedSource.
#include "warp/uniform_pack.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/params.h"
#include "unit/test_faces.h"
#include "warp/warp_math.h"
#include "warp/warp_plan.h"

namespace fw::warp {
namespace {

WarpOp Translate(core::Vec2 c, core::Vec2 m, double r, double s) {
  return {OpKind::kTranslate, c, m, r, s};
}
WarpOp Scale(core::Vec2 c, double r, double a) { return {OpKind::kScale, c, c, r, a}; }

// warp.frag's arithmetic, in float, on the packed uniforms.
core::Vec2 ShaderSource(const PackedWarp& p, core::Vec2 x) {
  float ux = static_cast<float>(x.x);
  float uy = static_cast<float>(x.y);
  for (int g = p.num_groups - 1; g >= 0; --g) {
    const float* box = &p.group_box[4 * g];
    if (ux <= box[0] || uy <= box[1] || ux >= box[2] || uy >= box[3]) continue;
    const int first = p.group_range[2 * g];
    for (int i = first + p.group_range[2 * g + 1] - 1; i >= first; --i) {
      const float* geom = &p.op_geom[4 * i];
      const float* warp = &p.op_warp[4 * i];
      const float dx = ux - geom[0];
      const float dy = uy - geom[1];
      const float d2 = dx * dx + dy * dy;
      if (p.op_kind[i] == kShaderOpTranslate) {
        const float t = geom[2] - d2;
        if (t <= 0.0f) continue;
        const float k = t / (t + warp[2]);
        ux -= k * k * warp[0];
        uy -= k * k * warp[1];
      } else {
        if (d2 >= geom[2]) continue;
        const float w = std::sqrt(d2) * geom[3] - 1.0f;
        const float f = 1.0f - warp[3] * w * w;
        ux = geom[0] + f * dx;
        uy = geom[1] + f * dy;
      }
    }
  }
  return {ux, uy};
}

TEST(UniformPack, PrecomputesEachOpsConstants) {
  const WarpPlan plan = {Translate({10, 20}, {13, 24}, 4.0, 0.5), Scale({30, 40}, 8.0, 0.25)};
  PackedWarp p;
  PackWarpPlan(plan, p);
  ASSERT_EQ(p.num_ops, 2);
  EXPECT_EQ(p.op_kind[0], kShaderOpTranslate);
  EXPECT_FLOAT_EQ(p.op_geom[0], 10.0f);
  EXPECT_FLOAT_EQ(p.op_geom[1], 20.0f);
  EXPECT_FLOAT_EQ(p.op_geom[2], 16.0f);  // r^2
  EXPECT_FLOAT_EQ(p.op_geom[3], 0.25f);  // 1/r
  EXPECT_FLOAT_EQ(p.op_warp[0], 1.5f);   // s (m - c)
  EXPECT_FLOAT_EQ(p.op_warp[1], 2.0f);
  EXPECT_FLOAT_EQ(p.op_warp[2], 25.0f);  // |m - c|^2
  EXPECT_EQ(p.op_kind[1], kShaderOpScale);
  EXPECT_FLOAT_EQ(p.op_geom[6], 64.0f);
  EXPECT_FLOAT_EQ(p.op_geom[7], 0.125f);
  EXPECT_FLOAT_EQ(p.op_warp[7], 0.25f);  // a
  ASSERT_EQ(p.num_groups, 1);
  EXPECT_EQ(p.group_range[0], 0);
  EXPECT_EQ(p.group_range[1], 2);
  // The box holds both discs, one pixel wider.
  EXPECT_FLOAT_EQ(p.group_box[0], 5.0f);
  EXPECT_FLOAT_EQ(p.group_box[1], 15.0f);
  EXPECT_FLOAT_EQ(p.group_box[2], 39.0f);
  EXPECT_FLOAT_EQ(p.group_box[3], 49.0f);
}

TEST(UniformPack, EmptyPlanPacksNoGroup) {
  PackedWarp p;
  p.num_groups = 3;
  PackWarpPlan({}, p);
  EXPECT_EQ(p.num_ops, 0);
  EXPECT_EQ(p.num_groups, 0);
  EXPECT_EQ(p.faces_dropped, 0);
}

TEST(UniformPack, FindsFacesFromTheOrderOfTheirOps) {
  const WarpOp t = Translate({0, 0}, {1, 0}, 5, 1);
  const WarpOp s = Scale({0, 0}, 5, 0.2);
  std::array<int, kMaxShaderFaces> ends{};
  EXPECT_EQ(SplitPlanIntoFaces({t, t, s, s, t, t, s, s}, ends), 2);
  EXPECT_EQ(ends[0], 4);
  EXPECT_EQ(ends[1], 8);
  EXPECT_EQ(SplitPlanIntoFaces({s, s, s, s, s, s}, ends), 3);  // eyes only
  EXPECT_EQ(ends[0], 2);
  EXPECT_EQ(SplitPlanIntoFaces({t, t, t, t}, ends), 2);           // cheeks only
  EXPECT_EQ(SplitPlanIntoFaces({t, t, s, t, t, s, s}, ends), 2);  // one eye left out
  EXPECT_EQ(ends[0], 3);
  EXPECT_EQ(SplitPlanIntoFaces({}, ends), 0);
}

test::FaceImage Group3() { return test::LoadFaceImage("group3"); }

core::Params AllMax() {
  core::Params p = core::DefaultParams();
  for (const core::ParamSpec& spec : core::ParamTable()) {
    if (spec.group == "Face") p.*spec.field = spec.max;
  }
  return p;
}

TEST(UniformPack, RealFacesGiveOneGroupPerFace) {
  const test::FaceImage fi = Group3();
  PackedWarp p;
  PackWarpPlan(PlanFrame(fi.faces, core::DefaultParams()), p);
  EXPECT_EQ(p.num_groups, static_cast<int>(fi.faces.size()));
  EXPECT_EQ(p.num_ops, 4 * p.num_groups);
  EXPECT_EQ(p.faces_dropped, 0);
}

TEST(UniformPack, KeepsTheFirstEightFacesAndCountsTheRest) {
  const test::FaceImage fi = Group3();
  core::Faces faces;
  for (int i = 0; i < 11; ++i) {
    core::Face f = fi.faces[0];
    for (core::Vec2& pt : f.points) pt = pt + core::Vec2{300.0 * i, 0.0};
    faces.push_back(f);
  }
  const WarpPlan plan = PlanFrame(faces, core::DefaultParams());
  PackedWarp p;
  PackWarpPlan(plan, p);
  EXPECT_EQ(p.num_groups, kMaxShaderFaces);
  EXPECT_EQ(p.faces_dropped, 3);
  EXPECT_EQ(p.num_ops, kMaxShaderOps);
  EXPECT_FLOAT_EQ(p.op_geom[4 * 31], static_cast<float>(plan[31].c.x));
}

TEST(UniformPack, ShaderArithmeticFollowsComposedSourceOverRealFaces) {
  const test::FaceImage fi = Group3();
  for (const core::Params& params : {core::DefaultParams(), AllMax()}) {
    const WarpPlan plan = PlanFrame(fi.faces, params);
    PackedWarp p;
    PackWarpPlan(plan, p);
    double worst = 0.0;
    for (int y = 0; y < fi.image.rows; y += 2) {
      for (int x = 0; x < fi.image.cols; x += 2) {
        const core::Vec2 pt{static_cast<double>(x), static_cast<double>(y)};
        worst = std::max(worst, core::Distance(ShaderSource(p, pt), ComposedSource(plan, pt)));
      }
    }
    EXPECT_LT(worst, 0.01) << "thin " << params.thin;
  }
}

}  // namespace
}  // namespace fw::warp
