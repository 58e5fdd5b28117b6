// The age geometry on real faces: where each part moves, how far, and that it never folds.
#include "warp/age_plan.h"

#include <gtest/gtest.h>

#include "core/face.h"
#include "core/params.h"
#include "test_faces.h"
#include "unit/warp_test_params.h"
#include "warp/uniform_pack.h"
#include "warp/warp_math.h"

namespace fw::warp {
namespace {

// Where the warp (inverse map f) shows source point p: the x with f(x) = p.
core::Vec2 Shown(const WarpPlan& plan, core::Vec2 p) {
  core::Vec2 x = p;
  for (int i = 0; i < 64; ++i) x = x + (p - ComposedSource(plan, x));
  return x;
}

double DownBy(const core::Face& face, const WarpPlan& plan, int point) {
  const core::Vec2 across = face.points[45] - face.points[36];
  const double scale = core::OuterEyeDistance(face);
  const core::Vec2 down = (1.0 / scale) * core::Vec2{-across.y, across.x};
  return core::Dot(Shown(plan, face.points[point]) - face.points[point], down) / scale;
}

TEST(AgePlan, ZeroAgeAddsNothing) {
  const test::FaceImage fi = test::LoadFaceImage("group3");
  WarpPlan plan;
  AppendAgeOps(fi.faces[0], 0.0, plan);
  EXPECT_TRUE(plan.empty());
}

TEST(AgePlan, JowlsMouthCornersAndBrowsGoDownAndLipsGetThinner) {
  for (const char* name : {"astronaut", "group3", "group6"}) {
    const test::FaceImage fi = test::LoadFaceImage(name);
    for (const core::Face& face : fi.faces) {
      WarpPlan plan;
      AppendAgeOps(face, 1.0, plan);
      ASSERT_EQ(plan.size(), static_cast<size_t>(kAgeOpsPerFace));
      for (int jowl : {5, 11}) EXPECT_GT(DownBy(face, plan, jowl), 0.03) << name;
      for (int corner : {48, 54}) EXPECT_GT(DownBy(face, plan, corner), 0.02) << name;
      for (int brow : {19, 24}) EXPECT_GT(DownBy(face, plan, brow), 0.02) << name;
      // Thinner lips: the mouth from the upper lip's top to the lower lip's bottom gets shorter.
      EXPECT_LT(DownBy(face, plan, 57) - DownBy(face, plan, 51), -0.02) << name;
      // The nose tip stays; the outer eye corners, under the lowered brows, nearly so.
      EXPECT_LT(std::abs(DownBy(face, plan, 30)), 0.01) << name;
      for (int corner : {36, 45}) EXPECT_LT(std::abs(DownBy(face, plan, corner)), 0.025) << name;
      // Half the age, about half the movement.
      WarpPlan half;
      AppendAgeOps(face, 0.5, half);
      EXPECT_NEAR(DownBy(face, half, 5), 0.5 * DownBy(face, plan, 5), 0.01) << name;
    }
  }
}

TEST(AgePlan, NeverFolds) {
  for (const char* name : {"astronaut", "group3", "group6"}) {
    const test::FaceImage fi = test::LoadFaceImage(name);
    for (const core::Face& face : fi.faces) {
      WarpPlan plan;
      AppendAgeOps(face, 1.0, plan);
      const double h = 0.5;
      for (const WarpOp& op : plan) {
        for (double dy = -op.r; dy <= op.r; dy += op.r / 8.0) {
          for (double dx = -op.r; dx <= op.r; dx += op.r / 8.0) {
            const core::Vec2 x = op.c + core::Vec2{dx, dy};
            const core::Vec2 fx = ComposedSource(plan, x + core::Vec2{h, 0}) -
                                  ComposedSource(plan, x - core::Vec2{h, 0});
            const core::Vec2 fy = ComposedSource(plan, x + core::Vec2{0, h}) -
                                  ComposedSource(plan, x - core::Vec2{0, h});
            EXPECT_GT(fx.x * fy.y - fx.y * fy.x, 0.0) << name;
          }
        }
      }
    }
  }
}

TEST(AgePlan, EveryFacesPlanCarriesItsAgeOpsWithinTheShaderLimit) {
  const test::FaceImage fi = test::LoadFaceImage("group6");
  core::Params params = core::DefaultParams();
  for (const core::ParamSpec& spec : core::ParamTable()) params.*spec.field = 0.0;
  params.age = 1.0;
  EXPECT_EQ(test::Plan(fi.faces, params).size(), fi.faces.size() * kAgeOpsPerFace);
  // Every warp parameter at its maximum as well: still within what the GL shader packs.
  for (const core::ParamSpec& spec : core::ParamTable()) {
    if (spec.group == "Face" || spec.group == "Shape") params.*spec.field = spec.max;
  }
  const WarpPlan plan = test::Plan(fi.faces, params);
  EXPECT_LE(plan.size(), fi.faces.size() * kMaxOpsPerFace);
  PackedWarp packed;
  PackWarpPlan(plan, packed);
  EXPECT_EQ(packed.faces_dropped, 0);
  EXPECT_EQ(packed.num_ops, static_cast<int>(plan.size()));
}

TEST(AgePlan, LostLandmarksAddNothing) {
  test::FaceImage fi = test::LoadFaceImage("astronaut");
  core::Face face = fi.faces[0];
  face.points[45].x = std::nan("");
  WarpPlan plan;
  AppendAgeOps(face, 1.0, plan);
  EXPECT_TRUE(plan.empty());
}

}  // namespace
}  // namespace fw::warp
