// The CPU warp on I420 planes (Y at full resolution, chroma at half by the same map scaled)
// against the BGR reference warp of the same picture on real faces, both shown in BGR with
// bilinear chroma: at the default parameters within 2 levels on 99.9% of pixels (the GL/CPU
// parity figure); at most 10 levels anywhere; at extreme settings 99.7% and 16 levels, the
// difference being where a sharp colour edge is squeezed or stretched and the chroma planes
// hold half the samples. Odd sizes and strided views; pixels outside every disc untouched.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <opencv2/core.hpp>

#include "core/params.h"
#include "core/yuv_image.h"
#include "support/image_difference.h"
#include "unit/test_faces.h"
#include "unit/warp_test_params.h"
#include "warp/cpu_warp.h"
#include "warp/warp_plan.h"

namespace fw::warp {
namespace {

// The planes of `bgr`, and the reference: the BGR warp of what those planes show.
struct Case {
  core::YuvImage yuv;
  cv::Mat shown;  // YuvToBgr(yuv)
};

Case MakeCase(const cv::Mat& bgr) {
  Case c;
  EXPECT_TRUE(core::BgrToYuv(bgr, c.yuv).ok());
  EXPECT_TRUE(core::YuvToBgr(c.yuv, c.shown, core::ChromaFilter::kBilinear).ok());
  return c;
}

test::ImageDifference WarpBoth(const Case& c, const WarpPlan& plan) {
  CpuWarpBackend backend;
  cv::Mat reference;
  EXPECT_TRUE(backend.Warp(c.shown, plan, reference).ok());
  core::YuvImage warped;
  EXPECT_TRUE(backend.WarpYuv(c.yuv, plan, warped).ok());
  cv::Mat converted;
  EXPECT_TRUE(core::YuvToBgr(warped, converted, core::ChromaFilter::kBilinear).ok());
  return test::CompareImages(converted, reference, c.shown);
}

TEST(YuvWarp, MatchesTheBgrReferenceOnRealFacesAtDefaultsAndExtremes) {
  struct Named {
    const char* name;
    core::Params params;
    int max_level;
    double within_2;
  };
  const Named settings[] = {{"defaults", core::DefaultParams(), 10, 0.999},
                            {"classic", test::ClassicParams(3.0, 1.6, 0.2, 1.3), 16, 0.997},
                            {"all_max", test::AllWarpExtremes(false), 16, 0.997}};
  for (const char* image : {"astronaut", "group3", "group6"}) {
    const test::FaceImage fi = test::LoadFaceImage(image);
    const Case c = MakeCase(fi.image);
    for (const Named& s : settings) {
      const WarpPlan plan = test::Plan(fi.faces, s.params);
      const test::ImageDifference d = WarpBoth(c, plan);
      std::printf(
          "yuv vs bgr %-9s %-8s ops %3zu: max diff %d, within 2 levels %.4f%%, "
          "warped pixels %d\n",
          image, s.name, plan.size(), d.max_level, 100.0 * d.within_2, d.changed);
      EXPECT_GT(d.changed, 1000) << image << " " << s.name;
      EXPECT_LE(d.max_level, s.max_level) << image << " " << s.name;
      EXPECT_GE(d.within_2, s.within_2) << image << " " << s.name;
    }
  }
}

TEST(YuvWarp, OddSizesAndStridedPlanesMatchTheReference) {
  const test::FaceImage fi = test::LoadFaceImage("astronaut");
  // Odd width and height, and planes that are views into larger ones (not continuous).
  for (const cv::Rect roi : {cv::Rect(3, 1, 505, 507), cv::Rect(0, 0, 511, 509)}) {
    const Case whole = MakeCase(fi.image(roi).clone());
    core::YuvImage padded;
    padded.Create(roi.width + 7, roi.height + 3);
    padded.y.setTo(0);
    padded.u.setTo(0);
    padded.v.setTo(0);
    Case strided;
    strided.shown = whole.shown;
    strided.yuv.y = padded.y(cv::Rect(cv::Point(), whole.yuv.y.size()));
    strided.yuv.u = padded.u(cv::Rect(cv::Point(), whole.yuv.u.size()));
    strided.yuv.v = padded.v(cv::Rect(cv::Point(), whole.yuv.v.size()));
    whole.yuv.y.copyTo(strided.yuv.y);
    whole.yuv.u.copyTo(strided.yuv.u);
    whole.yuv.v.copyTo(strided.yuv.v);
    ASSERT_FALSE(strided.yuv.y.isContinuous());
    ASSERT_EQ(strided.yuv.u.size(), cv::Size((roi.width + 1) / 2, (roi.height + 1) / 2));

    core::Faces faces = fi.faces;
    for (core::Face& f : faces) {
      for (core::Vec2& p : f.points) p = p - core::Vec2{double(roi.x), double(roi.y)};
    }
    const WarpPlan plan = test::Plan(faces, core::DefaultParams());
    for (const Case* c : {&whole, static_cast<const Case*>(&strided)}) {
      const test::ImageDifference d = WarpBoth(*c, plan);
      EXPECT_GT(d.changed, 1000);
      EXPECT_LE(d.max_level, 10) << roi;
      EXPECT_GE(d.within_2, 0.999) << roi;
    }
  }
}

TEST(YuvWarp, PlanesOutsideEveryDiscAreCopiedExactlyAndAnEmptyPlanCopiesAll) {
  const test::FaceImage fi = test::LoadFaceImage("group3");
  const Case c = MakeCase(fi.image);
  const WarpPlan plan = test::Plan(fi.faces, core::DefaultParams());
  CpuWarpBackend backend;
  core::YuvImage warped;
  ASSERT_TRUE(backend.WarpYuv(c.yuv, plan, warped).ok());
  const auto outside = [&](double x, double y, double scale) {
    for (const WarpOp& op : plan) {
      if (core::Distance({x, y}, op.c) < op.r + 2.0 * scale) return false;
    }
    return true;
  };
  int checked = 0;
  for (int y = 0; y < warped.y.rows; ++y) {
    for (int x = 0; x < warped.y.cols; ++x) {
      if (!outside(x, y, 1.0)) continue;
      ++checked;
      ASSERT_EQ(warped.y.at<uchar>(y, x), c.yuv.y.at<uchar>(y, x)) << x << "," << y;
    }
  }
  for (int y = 0; y < warped.u.rows; ++y) {
    for (int x = 0; x < warped.u.cols; ++x) {
      if (!outside(2 * x + 0.5, 2 * y + 0.5, 2.0)) continue;
      ASSERT_EQ(warped.u.at<uchar>(y, x), c.yuv.u.at<uchar>(y, x)) << x << "," << y;
      ASSERT_EQ(warped.v.at<uchar>(y, x), c.yuv.v.at<uchar>(y, x)) << x << "," << y;
    }
  }
  EXPECT_GT(checked, warped.y.rows * warped.y.cols / 2);
  EXPECT_GT(cv::norm(warped.y, c.yuv.y, cv::NORM_INF), 0.0);

  core::YuvImage copy;
  ASSERT_TRUE(backend.WarpYuv(c.yuv, {}, copy).ok());
  for (int p = 0; p < 3; ++p) {
    const cv::Mat& a = p == 0 ? copy.y : p == 1 ? copy.u : copy.v;
    const cv::Mat& b = p == 0 ? c.yuv.y : p == 1 ? c.yuv.u : c.yuv.v;
    EXPECT_EQ(cv::norm(a, b, cv::NORM_INF), 0.0);
  }
}

TEST(YuvWarp, RejectsPlanesOfTheWrongShapeAndSharedOutput) {
  const test::FaceImage fi = test::LoadFaceImage("astronaut");
  core::YuvImage yuv;
  ASSERT_TRUE(core::BgrToYuv(fi.image, yuv).ok());
  CpuWarpBackend backend;
  core::YuvImage bad = yuv;
  bad.u = bad.u(cv::Rect(0, 0, 10, 10));
  core::YuvImage out;
  EXPECT_FALSE(backend.WarpYuv(bad, {}, out).ok());
  EXPECT_FALSE(backend.WarpYuv(core::YuvImage(), {}, out).ok());
  core::YuvImage same = yuv;
  EXPECT_FALSE(backend.WarpYuv(yuv, {}, same).ok());
}

}  // namespace
}  // namespace fw::warp
