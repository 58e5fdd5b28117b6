// Uniform packing for the GL warp shader: per-op constants, faces found in the plan, the
// eight-face limit, and a float emulation of warp.frag that must follow ComposedSource.
#include "warp/uniform_pack.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>

#include "core/params.h"
#include "unit/test_faces.h"
#include "unit/warp_test_params.h"
#include "warp/warp_math.h"
#include "warp/warp_plan.h"

namespace fw::warp {
namespace {

WarpOp Translate(core::Vec2 c, core::Vec2 m, double r, double s) {
  return {OpKind::kTranslate, c, m, r, s};
}
WarpOp Scale(core::Vec2 c, double r, double a) { return {OpKind::kScale, c, c, r, a}; }

// A plan of faces, each the ops given, in order.
WarpPlan Faces(std::initializer_list<std::initializer_list<WarpOp>> faces) {
  WarpPlan plan;
  for (const auto& ops : faces) {
    plan.StartFace();
    for (const WarpOp& op : ops) plan.push_back(op);
  }
  return plan;
}

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
      if (warp[2] >= 0.0f) {  // a translation
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
  EXPECT_FLOAT_EQ(p.op_geom[0], 10.0f);
  EXPECT_FLOAT_EQ(p.op_geom[1], 20.0f);
  EXPECT_FLOAT_EQ(p.op_geom[2], 16.0f);  // r^2
  EXPECT_FLOAT_EQ(p.op_geom[3], 0.25f);  // 1/r
  EXPECT_FLOAT_EQ(p.op_warp[0], 1.5f);   // s (m - c)
  EXPECT_FLOAT_EQ(p.op_warp[1], 2.0f);
  EXPECT_FLOAT_EQ(p.op_warp[2], 25.0f);  // |m - c|^2
  EXPECT_FLOAT_EQ(p.op_warp[6], -1.0f);  // marks a scaling
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

TEST(UniformPack, GroupsAreThePlansOwnFaces) {
  const WarpOp t = Translate({0, 0}, {1, 0}, 5, 1);
  const WarpOp s = Scale({0, 0}, 5, 0.2);
  // Any kinds in any order: the plan's face ranges alone decide; a face without ops is none.
  const WarpPlan plan = Faces({{s, t, s, t, t}, {}, {s}, {s}, {t}});
  ASSERT_EQ(plan.faces().size(), 4u);
  PackedWarp p;
  PackWarpPlan(plan, p);
  EXPECT_EQ(p.num_groups, 4);
  EXPECT_EQ(p.num_ops, 8);
  const std::array<int, 8> ranges = {0, 5, 5, 1, 6, 1, 7, 1};
  for (size_t i = 0; i < ranges.size(); ++i) EXPECT_EQ(p.group_range[i], ranges[i]) << i;
  // A hand-made plan is one face.
  PackWarpPlan({s, t, s}, p);
  EXPECT_EQ(p.num_groups, 1);
  EXPECT_EQ(p.group_range[1], 3);
}

TEST(UniformPack, AFaceWhoseOpsWouldOverflowTheBlockIsDropped) {
  WarpPlan plan;
  for (int face = 0; face < 3; ++face) {
    plan.StartFace();
    for (int i = 0; i < kMaxShaderOps / 2 - 1; ++i) plan.push_back(Scale({0, 0}, 5, 0.2));
  }
  PackedWarp p;
  PackWarpPlan(plan, p);
  EXPECT_EQ(p.num_groups, 2);
  EXPECT_EQ(p.faces_dropped, 1);
  EXPECT_EQ(p.num_ops, kMaxShaderOps - 2);
}

test::FaceImage Group3() { return test::LoadFaceImage("group3"); }

core::Params AllMax() {
  core::Params p = core::DefaultParams();
  for (const core::ParamSpec& spec : core::ParamTable()) {
    if (spec.group == "Face" || spec.group == "Shape") p.*spec.field = spec.max;
  }
  return p;
}

TEST(UniformPack, RealFacesGiveOneGroupPerFace) {
  const test::FaceImage fi = Group3();
  for (const core::Params& params : {core::DefaultParams(), AllMax()}) {
    const WarpPlan plan = test::Plan(fi.faces, params);
    PackedWarp p;
    PackWarpPlan(plan, p);
    EXPECT_EQ(p.num_groups, static_cast<int>(fi.faces.size()));
    EXPECT_EQ(p.num_ops, static_cast<int>(plan.size()));
    EXPECT_EQ(p.faces_dropped, 0);
    ASSERT_EQ(plan.faces().size(), fi.faces.size());
    for (int g = 0; g < p.num_groups; ++g) {
      const FaceOps& face = plan.faces()[static_cast<size_t>(g)];
      EXPECT_EQ(p.group_range[2 * g], face.begin);
      EXPECT_EQ(p.group_range[2 * g + 1], face.end - face.begin);
    }
  }
}

TEST(UniformPack, KeepsTheFirstEightFacesAndCountsTheRest) {
  const test::FaceImage fi = Group3();
  core::Faces faces;
  for (int i = 0; i < 11; ++i) {
    core::Face f = fi.faces[0];
    for (core::Vec2& pt : f.points) pt = pt + core::Vec2{300.0 * i, 0.0};
    faces.push_back(f);
  }
  // Every op of every face on: the most ops a face can have, eight faces' worth fit. The
  // pipeline plans eight faces at most and counts the rest; the packer holds to the same
  // limit for a plan made otherwise.
  WarpPlan planned;
  EXPECT_EQ(PlanFrameInto(faces, AllMax(), planned), 3);
  EXPECT_EQ(planned.faces().size(), static_cast<size_t>(kMaxWarpedFaces));
  WarpPlan plan;
  for (const core::Face& face : faces) AppendFacePlan(face, AllMax(), plan);
  PackedWarp p;
  PackWarpPlan(plan, p);
  EXPECT_EQ(p.num_groups, kMaxShaderFaces);
  EXPECT_EQ(p.faces_dropped, 3);
  const size_t per_face = plan.size() / faces.size();
  EXPECT_EQ(per_face, 26u);
  EXPECT_LE(per_face, static_cast<size_t>(kMaxOpsPerFace));
  EXPECT_EQ(p.num_ops, static_cast<int>(8 * per_face));
  const size_t last = 8 * per_face - 1;
  EXPECT_FLOAT_EQ(p.op_geom[4 * last], static_cast<float>(plan[last].c.x));
}

TEST(UniformPack, ShaderArithmeticFollowsComposedSourceOverRealFaces) {
  const test::FaceImage fi = Group3();
  for (const core::Params& params : {core::DefaultParams(), AllMax()}) {
    const WarpPlan plan = test::Plan(fi.faces, params);
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
