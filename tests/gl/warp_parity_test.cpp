// The GL warp pass against the CPU reference (warp::CpuWarpBackend) on real faces: at most 2
// levels of difference on 99.9% of pixels and none above 8; zero strength is bit-exact.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/params.h"
#include "gl/gl_test_context.h"
#include "render/warp_renderer.h"
#include "support/image_difference.h"
#include "unit/test_faces.h"
#include "unit/warp_test_params.h"
#include "warp/cpu_warp.h"
#include "warp/uniform_pack.h"
#include "warp/warp_plan.h"

namespace fw::render {
namespace {

struct Setting {
  std::string name;
  core::Params params;
};

constexpr const char* kClassicKeys[] = {"thin", "thin_radius", "eyes", "eye_radius"};

double& Field(core::Params& p, const char* key) { return p.*core::FindParam(key)->field; }

// The classic warp (cheek pull and eyes; the contour slimming and the shape controls off) at
// its former defaults, with each of its parameters at the parameter table's maximum, alone and
// together.
core::Params ClassicAllMax() {
  core::Params p = test::CheekPullDefaults();
  for (const char* key : kClassicKeys) Field(p, key) = core::FindParam(key)->max;
  return p;
}

// The settings compared: the table's defaults, the seed algorithm, the classic warp with each
// parameter at its maximum (alone and together) and at an eighth of it, all from the table.
std::vector<Setting> Settings() {
  std::vector<Setting> settings = {{"defaults", core::DefaultParams()},
                                   {"cheek_pull", test::CheekPullDefaults()},
                                   {"seed", test::ClassicParams(1.0, 1.0, 0.0, 1.3)}};
  core::Params small = test::CheekPullDefaults();
  for (const char* key : kClassicKeys) {
    core::Params p = test::CheekPullDefaults();
    Field(p, key) = core::FindParam(key)->max;
    settings.push_back({std::string(key) + "_max", p});
    Field(small, key) = std::max(core::FindParam(key)->min, core::FindParam(key)->max / 8.0);
  }
  settings.push_back({"all_max", ClassicAllMax()});
  settings.push_back({"small", small});
  return settings;
}

class WarpParity : public test::RendererTest {
 protected:
  cv::Mat WarpGl(const cv::Mat& src, const warp::WarpPlan& plan) {
    cv::Mat out;
    EXPECT_TRUE(renderer_->Upload(src).ok());
    EXPECT_TRUE(renderer_->Warp(plan).ok());
    EXPECT_TRUE(renderer_->Read(out).ok());
    return out;
  }
};

TEST_F(WarpParity, MatchesTheCpuReferenceOnRealFacesAtEverySetting) {
  for (const char* image : {"astronaut", "group3", "group6"}) {
    const test::FaceImage fi = test::LoadFaceImage(image);
    ASSERT_FALSE(fi.faces.empty()) << image;
    for (const Setting& s : Settings()) {
      const warp::WarpPlan plan = test::Plan(fi.faces, s.params);
      cv::Mat cpu;
      warp::CpuWarpBackend backend;
      ASSERT_TRUE(backend.Warp(fi.image, plan, cpu).ok());
      const cv::Mat gl = WarpGl(fi.image, plan);
      ASSERT_EQ(gl.size(), cpu.size());
      const test::ImageDifference d = test::CompareImages(gl, cpu, fi.image);
      std::printf(
          "parity %-9s %-15s faces %zu ops %2zu: max diff %d, within 2 levels %.4f%%, "
          "exact %.4f%%, warped pixels %d\n",
          image, s.name.c_str(), fi.faces.size(), plan.size(), d.max_level, 100.0 * d.within_2,
          100.0 * d.exact, test::CompareImages(fi.image, cpu, fi.image).changed);
      EXPECT_LE(d.max_level, 8) << image << " " << s.name;
      EXPECT_GE(d.within_2, 0.999) << image << " " << s.name;
      EXPECT_EQ(renderer_->faces_dropped(), 0);
    }
  }
}

TEST_F(WarpParity, MatchesTheCpuReferenceWithEveryParameterOn) {
  struct Named {
    const char* name;
    core::Params params;
  };
  const Named settings[] = {{"defaults", core::DefaultParams()},
                            {"all_max", test::AllWarpExtremes(false)},
                            {"all_min", test::AllWarpExtremes(true)}};
  for (const char* image : {"astronaut", "group1", "group3", "group5", "group6"}) {
    const test::FaceImage fi = test::LoadFaceImage(image);
    for (const Named& s : settings) {
      const warp::WarpPlan plan = test::Plan(fi.faces, s.params);
      cv::Mat cpu;
      ASSERT_TRUE(warp::WarpImageCpu(fi.image, plan, cpu).ok());
      const test::ImageDifference d = test::CompareImages(WarpGl(fi.image, plan), cpu, fi.image);
      std::printf("parity %-9s %-9s faces %zu ops %3zu: max diff %d, within 2 levels %.4f%%\n",
                  image, s.name, fi.faces.size(), plan.size(), d.max_level, 100.0 * d.within_2);
      EXPECT_LE(d.max_level, 8) << image << " " << s.name;
      EXPECT_GE(d.within_2, 0.999) << image << " " << s.name;
      EXPECT_GT(test::CompareImages(fi.image, cpu, fi.image).changed, 1000)
          << image << " " << s.name;
      EXPECT_EQ(renderer_->faces_dropped(), 0);
    }
  }
}

TEST_F(WarpParity, ZeroStrengthIsBitExact) {
  for (const char* image : {"astronaut", "group3", "group6"}) {
    const test::FaceImage fi = test::LoadFaceImage(image);
    core::Params off = ClassicAllMax();
    off.thin = off.eyes = 0.0;
    const cv::Mat gl = WarpGl(fi.image, test::Plan(fi.faces, off));
    EXPECT_EQ(cv::norm(gl, fi.image, cv::NORM_INF), 0.0) << image;
  }
}

TEST_F(WarpParity, PixelsOutsideEveryFaceAreCopiedExactly) {
  const test::FaceImage fi = test::LoadFaceImage("group3");
  const warp::WarpPlan plan = test::Plan(fi.faces, test::CheekPullDefaults());
  const cv::Mat gl = WarpGl(fi.image, plan);
  cv::Mat cpu;
  ASSERT_TRUE(warp::WarpImageCpu(fi.image, plan, cpu).ok());
  int outside = 0;
  for (int y = 0; y < gl.rows; ++y) {
    for (int x = 0; x < gl.cols; ++x) {
      bool inside = false;
      for (const warp::WarpOp& op : plan) {
        inside = inside || core::Distance({double(x), double(y)}, op.c) < op.r + 2.0;
      }
      if (inside) continue;
      ++outside;
      ASSERT_EQ(gl.at<cv::Vec3b>(y, x), fi.image.at<cv::Vec3b>(y, x)) << x << "," << y;
    }
  }
  EXPECT_GT(outside, gl.rows * gl.cols / 2);
}

TEST_F(WarpParity, OddSizesAndStridedInputsMatchTheReference) {
  const test::FaceImage fi = test::LoadFaceImage("astronaut");
  const cv::Rect roi(3, 1, fi.image.cols - 6, fi.image.rows - 4);  // odd width, not continuous
  const cv::Mat src = fi.image(roi);
  core::Faces faces = fi.faces;
  for (core::Face& f : faces) {
    for (core::Vec2& p : f.points) p = p - core::Vec2{3.0, 1.0};
  }
  const warp::WarpPlan plan = test::Plan(faces, test::CheekPullDefaults());
  cv::Mat cpu;
  ASSERT_TRUE(warp::WarpImageCpu(src, plan, cpu).ok());
  const test::ImageDifference d = test::CompareImages(WarpGl(src, plan), cpu, src);
  EXPECT_LE(d.max_level, 8);
  EXPECT_GE(d.within_2, 0.999);
}

TEST_F(WarpParity, FacesCutByTheImageBorderClampToTheEdgeLikeTheReference) {
  const test::FaceImage fi = test::LoadFaceImage("astronaut");
  const core::Vec2 nose = fi.faces[0].points[core::lm::kNoseTip];
  // Crops whose border runs through the nose, on each side in turn.
  const int nx = static_cast<int>(nose.x);
  const int ny = static_cast<int>(nose.y);
  const cv::Rect crops[] = {{nx, 0, fi.image.cols - nx, fi.image.rows},
                            {0, ny, fi.image.cols, fi.image.rows - ny},
                            {0, 0, nx, fi.image.rows},
                            {0, 0, fi.image.cols, ny}};
  for (const cv::Rect& crop : crops) {
    const cv::Mat src = fi.image(crop).clone();
    core::Faces faces = fi.faces;
    for (core::Vec2& p : faces[0].points) p = p - core::Vec2{double(crop.x), double(crop.y)};
    const warp::WarpPlan plan = test::Plan(faces, ClassicAllMax());
    cv::Mat cpu;
    ASSERT_TRUE(warp::WarpImageCpu(src, plan, cpu).ok());
    const test::ImageDifference d = test::CompareImages(WarpGl(src, plan), cpu, src);
    EXPECT_LE(d.max_level, 8) << crop;
    EXPECT_GE(d.within_2, 0.999) << crop;
    EXPECT_GT(test::CompareImages(src, cpu, src).changed, 1000) << crop;
  }
}

TEST_F(WarpParity, MoreThanEightFacesWarpsTheFirstEightAndCountsTheRest) {
  // Eleven faces: the astronaut's face, shrunk and tiled over a large canvas.
  const test::FaceImage fi = test::LoadFaceImage("astronaut");
  const core::Face& face = fi.faces[0];
  cv::Mat canvas(3 * 200, 4 * 200, CV_8UC3);
  cv::Mat small;
  cv::resize(fi.image, small, cv::Size(200, 200), 0, 0, cv::INTER_AREA);
  const double scale = 200.0 / fi.image.cols;
  core::Faces faces;
  for (int i = 0; i < 11; ++i) {
    const int ox = (i % 4) * 200;
    const int oy = (i / 4) * 200;
    small.copyTo(canvas(cv::Rect(ox, oy, 200, 200)));
    core::Face f = face;
    for (core::Vec2& p : f.points) p = scale * p + core::Vec2{double(ox), double(oy)};
    faces.push_back(f);
  }
  // Every op of every face: eight faces of the most ops fill the shader's op block.
  const core::Params params = test::AllWarpExtremes(false);
  warp::WarpPlan plan;
  EXPECT_EQ(warp::PlanFrameInto(faces, params, plan), 3);
  const cv::Mat gl = WarpGl(canvas, plan);
  EXPECT_EQ(renderer_->faces_dropped(), 0);
  cv::Mat cpu;
  ASSERT_TRUE(warp::WarpImageCpu(canvas, plan, cpu).ok());
  const test::ImageDifference d = test::CompareImages(gl, cpu, canvas);
  EXPECT_LE(d.max_level, 8);
  EXPECT_GE(d.within_2, 0.999);
}

}  // namespace
}  // namespace fw::render
