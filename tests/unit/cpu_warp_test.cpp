#include "warp/cpu_warp.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <vector>

#include "core/params.h"
#include "test_faces.h"
#include "warp/warp_math.h"
#include "warp/warp_plan.h"
#include "warp_test_params.h"

namespace fw::warp {
namespace {

// The classic warp alone (warp_test_params.h).
core::Params Settings(double thin, double thin_radius, double eyes, double eye_radius) {
  return test::ClassicParams(thin, thin_radius, eyes, eye_radius);
}

cv::Mat Warped(const cv::Mat& src, const WarpPlan& plan) {
  cv::Mat dst;
  const core::Status status = WarpImageCpu(src, plan, dst);
  EXPECT_TRUE(status.ok());
  return dst;
}

// Per-channel absolute differences of the pixels where mask is set, sorted.
std::vector<int> SortedAbsDiff(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask) {
  std::vector<int> diffs;
  for (int y = 0; y < a.rows; ++y) {
    for (int x = 0; x < a.cols; ++x) {
      if (!mask.at<uchar>(y, x)) continue;
      for (int ch = 0; ch < 3; ++ch) {
        diffs.push_back(std::abs(a.at<cv::Vec3b>(y, x)[ch] - b.at<cv::Vec3b>(y, x)[ch]));
      }
    }
  }
  std::sort(diffs.begin(), diffs.end());
  return diffs;
}

// Pixels strictly inside some op's disc.
cv::Mat DiscMask(cv::Size size, const WarpPlan& plan) {
  cv::Mat mask(size, CV_8U, cv::Scalar(0));
  for (int y = 0; y < size.height; ++y) {
    for (int x = 0; x < size.width; ++x) {
      for (const WarpOp& op : plan) {
        if (core::Norm2(core::Vec2{static_cast<double>(x), static_cast<double>(y)} - op.c) <
            op.r * op.r) {
          mask.at<uchar>(y, x) = 255;
        }
      }
    }
  }
  return mask;
}

// The seed algorithm, kept apart from warp_math on purpose: the classic Python face-thinning
// script's local translation warp with its bilinear interpolation (truncating to 8 bits),
// run over the whole image for one cheek.
cv::Mat SeedLocalTranslationWarp(const cv::Mat& src, double start_x, double start_y, double end_x,
                                 double end_y, double radius) {
  cv::Mat out = src.clone();
  const double dd_radius = radius * radius;
  const double dd_mc =
      (end_x - start_x) * (end_x - start_x) + (end_y - start_y) * (end_y - start_y);
  for (int i = 0; i < src.cols; ++i) {
    for (int j = 0; j < src.rows; ++j) {
      const double distance = (i - start_x) * (i - start_x) + (j - start_y) * (j - start_y);
      if (distance >= dd_radius) continue;
      double ratio = (dd_radius - distance) / (dd_radius - distance + dd_mc);
      ratio = ratio * ratio;
      const double ux = i - ratio * (end_x - start_x);
      const double uy = j - ratio * (end_y - start_y);
      const int x1 = static_cast<int>(ux);
      const int y1 = static_cast<int>(uy);
      const int x2 = x1 + 1;
      const int y2 = y1 + 1;
      for (int ch = 0; ch < 3; ++ch) {
        const double value = src.at<cv::Vec3b>(y1, x1)[ch] * (x2 - ux) * (y2 - uy) +
                             src.at<cv::Vec3b>(y1, x2)[ch] * (ux - x1) * (y2 - uy) +
                             src.at<cv::Vec3b>(y2, x1)[ch] * (x2 - ux) * (uy - y1) +
                             src.at<cv::Vec3b>(y2, x2)[ch] * (ux - x1) * (uy - y1);
        out.at<cv::Vec3b>(j, i)[ch] = static_cast<uchar>(value);
      }
    }
  }
  return out;
}

cv::Mat SeedFaceThin(const cv::Mat& src, const core::Face& face) {
  const auto& p = face.points;
  const double r_left = core::Distance(p[3], p[5]);
  const double r_right = core::Distance(p[13], p[15]);
  const cv::Mat left = SeedLocalTranslationWarp(src, p[3].x, p[3].y, p[30].x, p[30].y, r_left);
  return SeedLocalTranslationWarp(left, p[13].x, p[13].y, p[30].x, p[30].y, r_right);
}

TEST(CpuWarp, ZeroStrengthIsBitExactIdentityOnRealImages) {
  for (const char* name : {"astronaut", "group3", "group6"}) {
    const test::FaceImage fi = test::LoadFaceImage(name);
    const WarpPlan plan = test::Plan(fi.faces, Settings(0.0, 1.5, 0.0, 2.0));
    ASSERT_TRUE(plan.empty());
    const cv::Mat dst = Warped(fi.image, plan);
    ASSERT_EQ(dst.size(), fi.image.size());
    ASSERT_EQ(dst.type(), CV_8UC3);
    EXPECT_EQ(cv::norm(fi.image, dst, cv::NORM_INF), 0.0) << name;
  }
}

TEST(CpuWarp, PixelsOutsideEveryDiscAreUnchanged) {
  for (const char* name : {"astronaut", "group3"}) {
    const test::FaceImage fi = test::LoadFaceImage(name);
    const WarpPlan plan = test::Plan(fi.faces, core::DefaultParams());
    const cv::Mat dst = Warped(fi.image, plan);
    const cv::Mat inside = DiscMask(fi.image.size(), plan);
    cv::Mat outside;
    cv::bitwise_not(inside, outside);
    EXPECT_EQ(cv::norm(fi.image, dst, cv::NORM_INF, outside), 0.0) << name;
    EXPECT_GT(cv::norm(fi.image, dst, cv::NORM_INF, inside), 10.0) << name;
  }
}

TEST(CpuWarp, EachPixelIsOneBilinearSampleOfItsComposedSourcePoint) {
  const test::FaceImage fi = test::LoadFaceImage("group6");
  const WarpPlan plan = test::Plan(fi.faces, Settings(3.0, 1.5, 0.6, 2.0));
  const cv::Mat dst = Warped(fi.image, plan);
  std::vector<CpuWarpBackend::Span> spans;
  CollectSpans(plan, fi.image.rows, fi.image.cols, spans);
  ASSERT_FALSE(spans.empty());
  std::mt19937 rng(7);
  constexpr int kSamples = 20000;
  int exact = 0;
  for (int n = 0; n < kSamples; ++n) {
    const auto& span = spans[rng() % spans.size()];
    const int x = span.x0 + static_cast<int>(rng() % (span.x1 - span.x0 + 1));
    const core::Vec2 u =
        ComposedSource(plan, {static_cast<double>(x), static_cast<double>(span.y)});
    const cv::Vec3b expected = BilinearSample(fi.image, u);
    const cv::Vec3b got = dst.at<cv::Vec3b>(span.y, x);
    // The same formula inlined in two places may be contracted into FMAs differently, which
    // can tip a value that sits on .5; anything more would be a different computation.
    for (int ch = 0; ch < 3; ++ch) EXPECT_LE(std::abs(got[ch] - expected[ch]), 1);
    exact += got == expected ? 1 : 0;
  }
  EXPECT_GE(exact, kSamples - kSamples / 1000);
}

TEST(CpuWarp, BilinearSampleUsesPixelCentresClampsToTheEdgeAndRounds) {
  cv::Mat img(2, 2, CV_8UC3);
  img.at<cv::Vec3b>(0, 0) = {0, 10, 200};
  img.at<cv::Vec3b>(0, 1) = {100, 11, 201};
  img.at<cv::Vec3b>(1, 0) = {20, 30, 255};
  img.at<cv::Vec3b>(1, 1) = {40, 50, 0};
  EXPECT_EQ(BilinearSample(img, {1.0, 0.0}), cv::Vec3b(100, 11, 201));  // a pixel centre
  EXPECT_EQ(BilinearSample(img, {0.5, 0.0}), cv::Vec3b(50, 11, 201));   // 10.5 rounds up
  EXPECT_EQ(BilinearSample(img, {0.25, 0.0}), cv::Vec3b(25, 10, 200));  // 10.25 rounds down
  EXPECT_EQ(BilinearSample(img, {0.5, 0.5}), cv::Vec3b(40, 25, 164));   // 164.0 exactly
  EXPECT_EQ(BilinearSample(img, {-3.0, -0.4}), cv::Vec3b(0, 10, 200));  // clamped corner
  EXPECT_EQ(BilinearSample(img, {1.7, 0.5}), cv::Vec3b(70, 31, 101));   // clamped x = 1
  EXPECT_EQ(BilinearSample(img, {0.0, 9.0}), cv::Vec3b(20, 30, 255));   // clamped y = 1
}

struct DiffStats {
  double mean;
  int p99;
  int max;
};

DiffStats CompareWithSequential(const cv::Mat& image, const WarpPlan& plan) {
  cv::Mat sequential = image.clone();
  for (const WarpOp& op : plan) sequential = Warped(sequential, {op});
  const cv::Mat composed = Warped(image, plan);
  const std::vector<int> d = SortedAbsDiff(composed, sequential, DiscMask(image.size(), plan));
  double sum = 0.0;
  for (int v : d) sum += v;
  return {sum / d.size(), d[d.size() * 99 / 100], d.back()};
}

TEST(CpuWarp, ComposedWarpMatchesSequentialResamplingUpToTheExtraInterpolation) {
  // Sequential: o1 resampled over the whole image, then o2 on the result, and so on; every pass
  // interpolates again, which blurs fine detail. Statistics over the channels of every pixel
  // inside a disc, at the maximum settings. On the photos as they are: mean |diff| < 0.5 and
  // 99% within 6 levels (measured 0.25 / 5 and 0.07 / 1); where a Gaussian blur (sigma 1.5 px)
  // has removed the detail that interpolation loses: mean < 0.1, 99% within 1, none above 6
  // (measured max 5 and 3). Applying the ops in the wrong order gives a p99 of 10-19 levels.
  for (const char* name : {"astronaut", "group3"}) {
    const test::FaceImage fi = test::LoadFaceImage(name);
    const WarpPlan plan = test::Plan(fi.faces, Settings(3.0, 1.5, 0.6, 2.0));
    const DiffStats sharp = CompareWithSequential(fi.image, plan);
    EXPECT_LT(sharp.mean, 0.5) << name;
    EXPECT_LE(sharp.p99, 6) << name;
    cv::Mat smooth;
    cv::GaussianBlur(fi.image, smooth, {0, 0}, 1.5);
    const DiffStats blurred = CompareWithSequential(smooth, plan);
    EXPECT_LT(blurred.mean, 0.1) << name;
    EXPECT_LE(blurred.p99, 1) << name;
    EXPECT_LE(blurred.max, 6) << name;
  }
}

TEST(CpuWarp, MatchesThePlainSeedAlgorithmAtThinOneAndRadiusOne) {
  for (const char* name : {"astronaut", "group6"}) {
    const test::FaceImage fi = test::LoadFaceImage(name);
    const core::Face& face = fi.faces.at(0);
    const cv::Mat seed = SeedFaceThin(fi.image, face);
    CpuWarpBackend backend;
    cv::Mat ours;
    ASSERT_TRUE(
        backend.Warp(fi.image, test::Plan({face}, Settings(1.0, 1.0, 0.0, 1.0)), ours).ok());
    // At radius 1 the two cheek discs are disjoint, so one fetch and two passes sample the same
    // points; the seed truncates where facewarp rounds (measured: at most 1 level apart).
    EXPECT_LE(cv::norm(seed, ours, cv::NORM_INF), 2.0) << name;
    EXPECT_GT(cv::norm(seed, fi.image, cv::NORM_INF), 10.0) << name;  // the warp did something
  }
}

TEST(CpuWarp, ReusesTheOutputBufferAcrossFramesOfOneSize) {
  const test::FaceImage fi = test::LoadFaceImage("astronaut");
  const WarpPlan plan = test::Plan(fi.faces, core::DefaultParams());
  CpuWarpBackend backend;
  cv::Mat dst;
  ASSERT_TRUE(backend.Warp(fi.image, plan, dst).ok());
  const uchar* buffer = dst.data;
  ASSERT_TRUE(backend.Warp(fi.image, plan, dst).ok());
  EXPECT_EQ(dst.data, buffer);
  EXPECT_STREQ(backend.name(), "cpu");
}

TEST(CpuWarp, RejectsInputsItCannotWarp) {
  CpuWarpBackend backend;
  cv::Mat dst;
  EXPECT_FALSE(backend.Warp(cv::Mat(), {}, dst).ok());
  EXPECT_FALSE(backend.Warp(cv::Mat(8, 8, CV_8UC1, cv::Scalar(0)), {}, dst).ok());
  cv::Mat frame(8, 8, CV_8UC3, cv::Scalar(1, 2, 3));
  cv::Mat same = frame;
  EXPECT_FALSE(backend.Warp(frame, {}, same).ok());
}

TEST(CpuWarp, CollectSpansCoverEveryDiscPixelOnceAndStayInsideTheImage) {
  const test::FaceImage fi = test::LoadFaceImage("group6");
  // Discs that overlap each other and the image border.
  WarpPlan plan = test::Plan(fi.faces, Settings(1.0, 1.5, 0.3, 2.0));
  plan.push_back({OpKind::kScale, {3.0, 5.0}, {3.0, 5.0}, 40.0, 0.3});
  plan.push_back({OpKind::kScale, {20.0, 10.0}, {20.0, 10.0}, 30.0, 0.3});
  std::vector<CpuWarpBackend::Span> spans;
  CollectSpans(plan, fi.image.rows, fi.image.cols, spans);
  cv::Mat covered(fi.image.size(), CV_8U, cv::Scalar(0));
  for (size_t i = 0; i < spans.size(); ++i) {
    const auto& s = spans[i];
    ASSERT_TRUE(s.y >= 0 && s.y < fi.image.rows && s.x0 >= 0 && s.x0 <= s.x1 &&
                s.x1 < fi.image.cols);
    if (i > 0) {
      ASSERT_TRUE(spans[i - 1].y < s.y || spans[i - 1].x1 + 1 < s.x0);  // sorted, merged
    }
    for (int x = s.x0; x <= s.x1; ++x) covered.at<uchar>(s.y, x) += 1;
  }
  EXPECT_LE(cv::norm(covered, cv::NORM_INF), 1.0);
  cv::Mat missed;
  cv::bitwise_and(DiscMask(fi.image.size(), plan), covered == 0, missed);
  EXPECT_EQ(cv::countNonZero(missed), 0);
}

}  // namespace
}  // namespace fw::warp
