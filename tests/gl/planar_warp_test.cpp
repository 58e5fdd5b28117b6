// The GL renderer's planar path on real faces: I420 planes uploaded and converted to RGB in a
// shader show what core::YuvToBgr shows, to the level; the warped frame read back as planes
// converted in shaders equals core::BgrToYuv of the BGR readback, to the level; and the whole
// planar path (with the appearance layers too) against the GL BGR path converted to planes, at
// the GL/CPU parity tolerance (at most 8 levels, 2 levels on 99.9% of pixels; it is exact in
// fact). Odd sizes give chroma planes of ((w + 1) / 2) x ((h + 1) / 2), each chroma sample
// shared by its 2x2 block as at even sizes (libswscale interpolates chroma at odd heights
// instead, so there the reference is its conversion of the planes with the last row repeated).
// Strided planes upload as packed ones.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <opencv2/core.hpp>
#include <string>

#include "core/params.h"
#include "core/yuv_image.h"
#include "gl/gl_test_context.h"
#include "looks/look_plan.h"
#include "render/gl_warp_backend.h"
#include "render/warp_renderer.h"
#include "support/image_difference.h"
#include "unit/test_faces.h"
#include "unit/warp_test_params.h"
#include "warp/look_mapping.h"
#include "warp/warp_plan.h"

namespace fw::render {
namespace {

// The largest difference between two planes of one size, and the fraction within 2 levels.
struct PlaneDifference {
  int max_level = 0;
  double within_2 = 1.0;
};

PlaneDifference ComparePlanes(const cv::Mat& a, const cv::Mat& b) {
  EXPECT_EQ(a.size(), b.size());
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  double max_level = 0.0;
  cv::minMaxLoc(diff, nullptr, &max_level);
  PlaneDifference d;
  d.max_level = static_cast<int>(max_level);
  d.within_2 = 1.0 - cv::countNonZero(diff > 2) / static_cast<double>(diff.total());
  return d;
}

// The worst of the three planes.
PlaneDifference CompareYuv(const core::YuvImage& a, const core::YuvImage& b) {
  PlaneDifference worst;
  const cv::Mat* pa[3] = {&a.y, &a.u, &a.v};
  const cv::Mat* pb[3] = {&b.y, &b.u, &b.v};
  for (int p = 0; p < 3; ++p) {
    const PlaneDifference d = ComparePlanes(*pa[p], *pb[p]);
    worst.max_level = std::max(worst.max_level, d.max_level);
    worst.within_2 = std::min(worst.within_2, d.within_2);
  }
  return worst;
}

// The faces of fi moved into the crop at roi.
core::Faces FacesIn(const test::FaceImage& fi, const cv::Rect& roi) {
  core::Faces faces = fi.faces;
  for (core::Face& f : faces) {
    for (core::Vec2& p : f.points) p = p - core::Vec2{double(roi.x), double(roi.y)};
  }
  return faces;
}

// yuv in BGR with each chroma sample shared by its 2x2 block: core::YuvToBgr, of the planes
// with the last luma row repeated when the height is odd (the chroma planes already cover it).
cv::Mat Shown(const core::YuvImage& yuv) {
  cv::Mat bgr;
  if (yuv.height() % 2 == 0) {
    EXPECT_TRUE(core::YuvToBgr(yuv, bgr).ok());
    return bgr;
  }
  core::YuvImage even;
  even.Create(yuv.width(), yuv.height() + 1);
  yuv.y.copyTo(even.y(cv::Rect(0, 0, yuv.width(), yuv.height())));
  yuv.y.row(yuv.height() - 1).copyTo(even.y.row(yuv.height()));
  yuv.u.copyTo(even.u);
  yuv.v.copyTo(even.v);
  EXPECT_TRUE(core::YuvToBgr(even, bgr).ok());
  return bgr(cv::Rect(0, 0, yuv.width(), yuv.height())).clone();
}

class PlanarWarp : public test::RendererTest {
 protected:
  // yuv uploaded as planes, warped by plan, looks drawn, read back as planes.
  core::YuvImage Planar(const core::YuvImage& yuv, const warp::WarpPlan& plan,
                        const looks::LookPlan& looks = {}) {
    core::YuvImage out;
    EXPECT_TRUE(renderer_->Upload(yuv).ok());
    EXPECT_TRUE(renderer_->Warp(plan).ok());
    EXPECT_TRUE(renderer_->DrawLooks(looks).ok());
    EXPECT_TRUE(renderer_->ReadYuv(out).ok());
    return out;
  }
  // The BGR path as before: the planes converted on the CPU, uploaded, warped, looks drawn,
  // read back as BGR and converted to planes on the CPU (what the sinks did).
  core::YuvImage ViaBgr(const core::YuvImage& yuv, const warp::WarpPlan& plan,
                        const looks::LookPlan& looks = {}) {
    cv::Mat warped;
    core::YuvImage out;
    EXPECT_TRUE(renderer_->Upload(Shown(yuv)).ok());
    EXPECT_TRUE(renderer_->Warp(plan).ok());
    EXPECT_TRUE(renderer_->DrawLooks(looks).ok());
    EXPECT_TRUE(renderer_->Read(warped).ok());
    EXPECT_TRUE(core::BgrToYuv(warped, out).ok());
    return out;
  }
};

TEST_F(PlanarWarp, UploadedPlanesShowWhatTheCpuConversionShowsToTheLevel) {
  for (const char* image : {"astronaut", "group3", "group6"}) {
    const test::FaceImage fi = test::LoadFaceImage(image);
    // Even and odd sizes: the last chroma column and row then cover one pixel.
    for (const cv::Rect roi : {cv::Rect(0, 0, fi.image.cols & ~1, fi.image.rows & ~1),
                               cv::Rect(1, 2, (fi.image.cols - 4) | 1, (fi.image.rows - 4) | 1)}) {
      core::YuvImage yuv;
      ASSERT_TRUE(core::BgrToYuv(fi.image(roi).clone(), yuv).ok());
      const cv::Mat cpu = Shown(yuv);
      cv::Mat gl;
      ASSERT_TRUE(renderer_->Upload(yuv).ok());
      ASSERT_TRUE(renderer_->Warp(warp::WarpPlan{}).ok());
      ASSERT_TRUE(renderer_->Read(gl).ok());
      ASSERT_EQ(gl.size(), roi.size());
      const test::ImageDifference d = test::CompareImages(gl, cpu, cpu);
      std::printf("planes to rgb %-9s %dx%d: max diff %d, exact %.2f%%\n", image, roi.width,
                  roi.height, d.max_level, 100.0 * d.exact);
      EXPECT_EQ(d.max_level, 0) << image << " " << roi;
    }
  }
}

TEST_F(PlanarWarp, PlanesReadBackEqualTheCpuConversionOfTheBgrReadback) {
  for (const char* image : {"astronaut", "group3", "group6"}) {
    const test::FaceImage fi = test::LoadFaceImage(image);
    for (const cv::Rect roi : {cv::Rect(0, 0, fi.image.cols & ~1, fi.image.rows & ~1),
                               cv::Rect(3, 1, (fi.image.cols - 6) | 1, (fi.image.rows - 4) | 1)}) {
      const cv::Mat src = fi.image(roi);  // a strided view
      const warp::WarpPlan plan = test::Plan(FacesIn(fi, roi), core::DefaultParams());
      ASSERT_TRUE(renderer_->Upload(src).ok());
      ASSERT_TRUE(renderer_->Warp(plan).ok());
      cv::Mat bgr;
      ASSERT_TRUE(renderer_->Read(bgr).ok());
      core::YuvImage planes;
      ASSERT_TRUE(renderer_->ReadYuv(planes).ok());
      ASSERT_EQ(planes.u.size(), cv::Size((roi.width + 1) / 2, (roi.height + 1) / 2));
      core::YuvImage cpu;
      ASSERT_TRUE(core::BgrToYuv(bgr, cpu).ok());
      const PlaneDifference d = CompareYuv(planes, cpu);
      EXPECT_EQ(d.max_level, 0) << image << " " << roi;
      // The warp moved something: the readback is the warped frame, not the upload.
      core::YuvImage unwarped;
      ASSERT_TRUE(core::BgrToYuv(src.clone(), unwarped).ok());
      EXPECT_GT(cv::norm(planes.y, unwarped.y, cv::NORM_INF), 8.0) << image;
    }
  }
}

TEST_F(PlanarWarp, MatchesTheBgrPathOnRealFacesAtTheParityTolerance) {
  for (const char* image : {"astronaut", "group3", "group6"}) {
    const test::FaceImage fi = test::LoadFaceImage(image);
    const cv::Rect even(0, 0, fi.image.cols & ~1, fi.image.rows & ~1);
    const cv::Rect odd(1, 1, (fi.image.cols - 2) | 1, (fi.image.rows - 4) | 1);
    for (const cv::Rect roi : {even, odd}) {
      core::YuvImage yuv;
      ASSERT_TRUE(core::BgrToYuv(fi.image(roi).clone(), yuv).ok());
      for (const core::Params& params :
           {core::DefaultParams(), test::AllWarpExtremes(false), test::CheekPullDefaults()}) {
        const warp::WarpPlan plan = test::Plan(FacesIn(fi, roi), params);
        const core::YuvImage planar = Planar(yuv, plan);
        const core::YuvImage via_bgr = ViaBgr(yuv, plan);
        // Both shown in BGR, measured as the GL/CPU parity tests measure.
        cv::Mat a;
        cv::Mat b;
        cv::Mat shown;
        ASSERT_TRUE(core::YuvToBgr(planar, a).ok());
        ASSERT_TRUE(core::YuvToBgr(via_bgr, b).ok());
        ASSERT_TRUE(core::YuvToBgr(yuv, shown).ok());
        // changed: what the warp changed, seen in the same conversion.
        const test::ImageDifference d = test::CompareImages(a, b, shown);
        const PlaneDifference p = CompareYuv(planar, via_bgr);
        std::printf(
            "planar vs bgr %-9s %dx%d ops %3zu: max diff %d, within 2 levels %.4f%%; planes "
            "max %d, within 2 %.4f%%; warped pixels %d\n",
            image, roi.width, roi.height, plan.size(), d.max_level, 100.0 * d.within_2, p.max_level,
            100.0 * p.within_2, d.changed);
        EXPECT_GT(d.changed, 1000) << image;
        EXPECT_LE(d.max_level, 8) << image << " " << roi;
        EXPECT_GE(d.within_2, 0.999) << image << " " << roi;
        EXPECT_LE(p.max_level, 8) << image << " " << roi;
        EXPECT_GE(p.within_2, 0.999) << image << " " << roi;
      }
    }
  }
}

TEST_F(PlanarWarp, AppearanceLayersOnThePlanarPathMatchTheBgrPath) {
  core::Params params = core::DefaultParams();
  params.age = 0.8;
  params.skin_smooth = 0.6;
  for (const char* image : {"astronaut", "group3"}) {
    const test::FaceImage fi = test::LoadFaceImage(image);
    const cv::Rect roi(0, 0, fi.image.cols & ~1, fi.image.rows & ~1);
    core::YuvImage yuv;
    ASSERT_TRUE(core::BgrToYuv(fi.image(roi).clone(), yuv).ok());
    cv::Mat shown;
    ASSERT_TRUE(core::YuvToBgr(yuv, shown).ok());
    const warp::WarpPlan plan = test::Plan(fi.faces, params);
    looks::LookPlan looks;
    looks::PlanLooks(fi.faces, params, shown, looks);
    warp::MoveLooksThroughWarp(plan, looks);
    ASSERT_FALSE(looks.empty());
    const core::YuvImage planar = Planar(yuv, plan, looks);
    const core::YuvImage via_bgr = ViaBgr(yuv, plan, looks);
    const core::YuvImage warp_only = Planar(yuv, plan);
    cv::Mat a;
    cv::Mat b;
    cv::Mat c;
    ASSERT_TRUE(core::YuvToBgr(planar, a).ok());
    ASSERT_TRUE(core::YuvToBgr(via_bgr, b).ok());
    ASSERT_TRUE(core::YuvToBgr(warp_only, c).ok());
    const test::ImageDifference d = test::CompareImages(a, b, c);
    std::printf("looks planar vs bgr %-9s: max diff %d, within 2 levels %.4f%%, looked pixels %d\n",
                image, d.max_level, 100.0 * d.within_2, d.changed);
    EXPECT_GT(d.changed, 1000) << image;  // the looks drew on the planar path
    EXPECT_LE(d.max_level, 8) << image;
    EXPECT_GE(d.within_2, 0.999) << image;
  }
}

TEST_F(PlanarWarp, StridedPlanesUploadAsPackedOnes) {
  const test::FaceImage fi = test::LoadFaceImage("group3");
  const cv::Rect roi(0, 0, (fi.image.cols - 2) | 1, (fi.image.rows - 2) | 1);
  core::YuvImage packed;
  ASSERT_TRUE(core::BgrToYuv(fi.image(roi).clone(), packed).ok());
  core::YuvImage wide;
  wide.Create(roi.width + 9, roi.height + 5);
  wide.y.setTo(0);
  wide.u.setTo(255);
  wide.v.setTo(0);
  core::YuvImage strided;
  strided.y = wide.y(cv::Rect(cv::Point(), packed.y.size()));
  strided.u = wide.u(cv::Rect(cv::Point(), packed.u.size()));
  strided.v = wide.v(cv::Rect(cv::Point(), packed.v.size()));
  packed.y.copyTo(strided.y);
  packed.u.copyTo(strided.u);
  packed.v.copyTo(strided.v);
  ASSERT_FALSE(strided.y.isContinuous());
  const warp::WarpPlan plan = test::Plan(fi.faces, core::DefaultParams());
  const PlaneDifference d = CompareYuv(Planar(strided, plan), Planar(packed, plan));
  EXPECT_EQ(d.max_level, 0);
}

TEST_F(PlanarWarp, PlanesOfTheWrongShapeAreAnError) {
  core::YuvImage yuv;
  yuv.Create(64, 48);
  yuv.u = yuv.u(cv::Rect(0, 0, 16, 24));
  EXPECT_FALSE(renderer_->Upload(yuv).ok());
  EXPECT_FALSE(renderer_->Upload(core::YuvImage{}).ok());
}

TEST(PlanarGlBackend, TakesPlanesOnAGpuOrWhenForcedAndGivesPlanesOrBgr) {
  EXPECT_TRUE(GlWarpBackend::IsSoftwareRenderer("llvmpipe (LLVM 15.0.6, 256 bits)"));
  EXPECT_TRUE(GlWarpBackend::IsSoftwareRenderer("softpipe"));
  EXPECT_FALSE(GlWarpBackend::IsSoftwareRenderer("NVIDIA GeForce RTX 3060/PCIe/SSE2"));
  EXPECT_FALSE(GlWarpBackend::IsSoftwareRenderer("AMD Radeon RX 6600 (radeonsi, navi23, LLVM 15)"));
  if (!test::HaveDisplay()) GTEST_SKIP() << "no display: run under xvfb-run";

  ASSERT_EQ(setenv("FACEWARP_GL_PLANES", "0", 1), 0);
  auto off = GlWarpBackend::Create();
  ASSERT_TRUE(off.ok()) << off.error().message;
  EXPECT_FALSE((*off)->takes_planes());
  off->reset();
  ASSERT_EQ(unsetenv("FACEWARP_GL_PLANES"), 0);
  auto automatic = GlWarpBackend::Create();
  ASSERT_TRUE(automatic.ok()) << automatic.error().message;
  EXPECT_EQ((*automatic)->takes_planes(),
            !GlWarpBackend::IsSoftwareRenderer((*automatic)->context().renderer()));
  automatic->reset();
  ASSERT_EQ(setenv("FACEWARP_GL_PLANES", "1", 1), 0);
  auto created = GlWarpBackend::Create();
  ASSERT_EQ(unsetenv("FACEWARP_GL_PLANES"), 0);
  ASSERT_TRUE(created.ok()) << created.error().message;
  std::unique_ptr<warp::WarpBackend> backend = std::move(created).value();
  ASSERT_TRUE(backend->takes_planes());

  const test::FaceImage fi = test::LoadFaceImage("group3");
  core::YuvImage yuv;
  ASSERT_TRUE(core::BgrToYuv(fi.image, yuv).ok());
  core::Params params = core::DefaultParams();
  params.age = 0.7;
  const warp::WarpPlan plan = test::Plan(fi.faces, params);
  const cv::Mat shown = Shown(yuv);
  looks::LookPlan looks;
  looks::PlanLooks(fi.faces, params, shown, looks);
  warp::MoveLooksThroughWarp(plan, looks);
  core::YuvImage planes;
  cv::Mat bgr;
  cv::Mat reference;
  ASSERT_TRUE(backend->WarpYuvWithLooks(yuv, plan, looks, planes).ok());
  ASSERT_TRUE(backend->WarpYuvWithLooks(yuv, plan, looks, bgr).ok());
  ASSERT_TRUE(backend->WarpWithLooks(shown, plan, looks, reference).ok());
  EXPECT_EQ(cv::norm(bgr, reference, cv::NORM_INF), 0.0);
  core::YuvImage reference_planes;
  ASSERT_TRUE(core::BgrToYuv(reference, reference_planes).ok());
  EXPECT_EQ(CompareYuv(planes, reference_planes).max_level, 0);
  EXPECT_GT(cv::norm(bgr, shown, cv::NORM_INF), 8.0);  // warped and aged
}

}  // namespace
}  // namespace fw::render
