// The GL appearance pass (age, skin smoothing) against the CPU reference (looks::CpuLooks) on
// real faces, after the default warp: at most 2 levels of difference on 99.9% of pixels and
// none above 8; zero strengths are bit-exact.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <opencv2/core.hpp>
#include <utility>

#include "core/params.h"
#include "gl/gl_test_context.h"
#include "looks/cpu_looks.h"
#include "looks/look_plan.h"
#include "render/warp_renderer.h"
#include "support/image_difference.h"
#include "unit/test_faces.h"
#include "unit/warp_test_params.h"
#include "warp/cpu_warp.h"
#include "warp/look_mapping.h"
#include "warp/warp_plan.h"

namespace fw::render {
namespace {

class AppearanceParity : public test::RendererTest {
 protected:
  // The frame warped and looked by both backends, and the CPU warp alone.
  void Render(const test::FaceImage& fi, const core::Params& params, cv::Mat& gl, cv::Mat& cpu,
              cv::Mat& cpu_warped) {
    const warp::WarpPlan plan = test::Plan(fi.faces, params);
    looks::LookPlan looks;
    looks::PlanLooks(fi.faces, params, fi.image, looks);
    warp::MoveLooksThroughWarp(plan, looks);
    ASSERT_TRUE(renderer_->Upload(fi.image).ok());
    ASSERT_TRUE(renderer_->Warp(plan).ok());
    ASSERT_TRUE(renderer_->DrawLooks(looks).ok());
    ASSERT_TRUE(renderer_->Read(gl).ok());
    warp::CpuWarpBackend backend;
    ASSERT_TRUE(backend.Warp(fi.image, plan, cpu_warped).ok());
    cpu = cpu_warped.clone();
    looks::CpuLooks cpu_looks;
    ASSERT_TRUE(cpu_looks.Apply(looks, cpu).ok());
  }
};

TEST_F(AppearanceParity, MatchesTheCpuReferenceOnRealFacesAtSeveralStrengths) {
  const double kSettings[][2] = {{0.3, 0.0}, {1.0, 0.0}, {0.0, 0.5},
                                 {0.0, 1.0}, {0.6, 0.6}, {1.0, 1.0}};
  for (const char* image : {"astronaut", "group3", "group6"}) {
    const test::FaceImage fi = test::LoadFaceImage(image);
    for (const auto& s : kSettings) {
      core::Params params = core::DefaultParams();
      params.age = s[0];
      params.skin_smooth = s[1];
      cv::Mat gl, cpu, warped;
      Render(fi, params, gl, cpu, warped);
      if (HasFatalFailure()) return;
      const test::ImageDifference d = test::CompareImages(gl, cpu, warped);
      std::printf(
          "looks parity %-9s age %.1f smooth %.1f: max diff %d, within 2 levels %.4f%%, "
          "changed pixels %d\n",
          image, s[0], s[1], d.max_level, 100.0 * d.within_2, d.changed);
      EXPECT_LE(d.max_level, 8) << image << " age " << s[0] << " smooth " << s[1];
      EXPECT_GE(d.within_2, 0.999) << image << " age " << s[0] << " smooth " << s[1];
      EXPECT_GT(d.changed, 1000) << image;
    }
  }
}

TEST_F(AppearanceParity, ZeroStrengthsLeaveTheWarpedFrameBitExact) {
  const test::FaceImage fi = test::LoadFaceImage("group6");
  core::Params params = core::DefaultParams();
  params.age = 1.0;
  const warp::WarpPlan plan = test::Plan(fi.faces, params);
  looks::LookPlan looks;
  looks::PlanLooks(fi.faces, params, fi.image, looks);
  warp::MoveLooksThroughWarp(plan, looks);
  ASSERT_EQ(looks.num_faces, 4);
  for (int f = 0; f < looks.num_faces; ++f) looks.faces[f].shade.age = 0.0f;
  cv::Mat warped, looked;
  ASSERT_TRUE(renderer_->Upload(fi.image).ok());
  ASSERT_TRUE(renderer_->Warp(plan).ok());
  ASSERT_TRUE(renderer_->Read(warped).ok());
  ASSERT_TRUE(renderer_->DrawLooks(looks).ok());
  ASSERT_TRUE(renderer_->Read(looked).ok());
  EXPECT_EQ(cv::norm(warped, looked, cv::NORM_INF), 0.0);
}

}  // namespace
}  // namespace fw::render
