// Moving look meshes through the warp: each mesh point lands where the warp puts the source
// point it stood on.
#include "warp/look_mapping.h"

#include <gtest/gtest.h>

#include "core/params.h"
#include "looks/look_plan.h"
#include "test_faces.h"
#include "unit/warp_test_params.h"
#include "warp/warp_math.h"
#include "warp/warp_plan.h"

namespace fw::warp {
namespace {

TEST(LookMapping, MeshPointsLandWhereTheWarpTakesTheirSourcePoints) {
  for (const char* name : {"astronaut", "group3", "group6"}) {
    const test::FaceImage fi = test::LoadFaceImage(name);
    core::Params params = core::DefaultParams();
    params.age = 1.0;
    params.eyes = 0.6;  // the strongest warps the panel allows
    params.thin = 3.0;
    const WarpPlan plan = test::Plan(fi.faces, params);
    ASSERT_FALSE(plan.empty());
    looks::LookPlan looks;
    looks::PlanLooks(fi.faces, params, fi.image, looks);
    const looks::LookPlan before = looks;
    MoveLooksThroughWarp(plan, looks);
    double moved = 0.0;
    for (int f = 0; f < looks.num_faces; ++f) {
      for (int i = 0; i < looks::kMeshPoints; ++i) {
        const core::Vec2 x = looks.faces[f].points[i];
        const core::Vec2 p = before.faces[f].points[i];
        EXPECT_LT(core::Distance(ComposedSource(plan, x), p), 1e-3) << name << " point " << i;
        moved = std::max(moved, core::Distance(x, p));
      }
    }
    EXPECT_GT(moved, 1.0) << name;  // the warp did move some of them
  }
}

TEST(LookMapping, AnEmptyPlanLeavesPointsWhereTheyAre) {
  EXPECT_EQ(ForwardMap({}, {12.5, -3.0}).x, 12.5);
  EXPECT_EQ(ForwardMap({}, {12.5, -3.0}).y, -3.0);
}

}  // namespace
}  // namespace fw::warp
