// Where the warp changes pixels on the group photos: at the defaults, on the faces and along
// their outlines, not in the hair and background around them. Set FACEWARP_REPORT_DIR to
// also write each photo's changed-pixel map there (PNG).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "core/params.h"
#include "test_faces.h"
#include "warp/cpu_warp.h"
#include "warp/face_frame.h"
#include "warp/warp_plan.h"
#include "warp_test_params.h"

namespace fw::warp {
namespace {

constexpr int kChangedLevels = 8;  // a pixel "changes" when a channel moves by more than this
constexpr double kBand = 0.15;     // face widths outside the outline: the outline's band

enum Zone : uchar { kInside = 0, kNearOutline = 1, kAround = 2, kFar = 3 };

// Per pixel: inside some face's outline, within kBand of its width outside it, within 1 face
// width outside it (the hair, ears and background around the face), or farther.
cv::Mat Zones(cv::Size size, const core::Faces& faces) {
  cv::Mat zones(size, CV_8U, cv::Scalar(kFar));
  for (const core::Face& face : faces) {
    const FaceFrame frame = EstimateFaceFrame(face);
    std::vector<cv::Point> poly;
    for (const core::Vec2& p : FaceOutline(face, frame)) {
      poly.emplace_back(cvRound(p.x), cvRound(p.y));
    }
    cv::Mat outside(size, CV_8U, cv::Scalar(255));
    cv::fillPoly(outside, std::vector<std::vector<cv::Point>>{poly}, cv::Scalar(0));
    cv::Mat dist;
    cv::distanceTransform(outside, dist, cv::DIST_L2, cv::DIST_MASK_PRECISE);
    for (int y = 0; y < size.height; ++y) {
      for (int x = 0; x < size.width; ++x) {
        const double d = dist.at<float>(y, x) / frame.width;
        const uchar z = d == 0.0 ? kInside : d < kBand ? kNearOutline : d < 1.0 ? kAround : kFar;
        zones.at<uchar>(y, x) = std::min(zones.at<uchar>(y, x), z);
      }
    }
  }
  return zones;
}

struct Counts {
  int64_t changed[4] = {0, 0, 0, 0};
  int64_t area[4] = {0, 0, 0, 0};
  double Share(Zone z) const {  // of all changed pixels
    const int64_t all = changed[0] + changed[1] + changed[2] + changed[3];
    return all > 0 ? static_cast<double>(changed[z]) / static_cast<double>(all) : 0.0;
  }
  double Fraction(Zone z) const {  // of the zone's pixels
    return area[z] > 0 ? static_cast<double>(changed[z]) / static_cast<double>(area[z]) : 0.0;
  }
};

// Counts changed pixels per zone; paints map (the input dimmed; changed pixels green inside
// the outline, yellow near it, red beyond) when map is not null.
Counts CountChanged(const cv::Mat& input, const cv::Mat& output, const cv::Mat& zones,
                    cv::Mat* map) {
  Counts c;
  if (map != nullptr) *map = input * 0.35;
  const cv::Vec3b colour[4] = {{0, 255, 0}, {0, 230, 255}, {0, 0, 255}, {255, 0, 255}};
  for (int y = 0; y < input.rows; ++y) {
    for (int x = 0; x < input.cols; ++x) {
      const auto z = static_cast<Zone>(zones.at<uchar>(y, x));
      ++c.area[z];
      const cv::Vec3b a = input.at<cv::Vec3b>(y, x);
      const cv::Vec3b b = output.at<cv::Vec3b>(y, x);
      int diff = 0;
      for (int ch = 0; ch < 3; ++ch) diff = std::max(diff, std::abs(a[ch] - b[ch]));
      if (diff <= kChangedLevels) continue;
      ++c.changed[z];
      if (map != nullptr) map->at<cv::Vec3b>(y, x) = colour[z];
    }
  }
  return c;
}

struct PhotoResult {
  Counts before;  // the cheek pull at its old defaults
  Counts after;   // the defaults
};

PhotoResult Measure(const std::string& name) {
  const test::FaceImage fi = test::LoadFaceImage(name);
  const cv::Mat zones = Zones(fi.image.size(), fi.faces);
  PhotoResult r;
  const char* report = std::getenv("FACEWARP_REPORT_DIR");
  for (const bool after : {false, true}) {
    const core::Params params = after ? core::DefaultParams() : test::CheekPullDefaults();
    cv::Mat out;
    EXPECT_TRUE(WarpImageCpu(fi.image, test::Plan(fi.faces, params), out).ok());
    cv::Mat map;
    (after ? r.after : r.before) = CountChanged(fi.image, out, zones, report ? &map : nullptr);
    if (report != nullptr) {
      const std::string stem =
          std::string(report) + "/" + name + (after ? "_defaults" : "_cheek_pull");
      cv::imwrite(stem + "_changed.png", map);
      cv::imwrite(stem + ".jpg", out);
    }
  }
  return r;
}

void Print(const char* name, const char* label, const Counts& c) {
  std::printf(
      "%s %-10s changed: inside %.3f, near outline %.3f, beyond %.3f of them; "
      "%.2f%% of the ring 0.15-1 face widths around\n",
      name, label, c.Share(kInside), c.Share(kNearOutline), c.Share(kAround) + c.Share(kFar),
      100.0 * c.Fraction(kAround));
}

TEST(WarpRegion, AtTheDefaultsChangedPixelsLieOnTheFacesAndAlongTheirOutlines) {
  for (const char* name : {"group1", "group3", "group5", "group6"}) {
    const PhotoResult r = Measure(name);
    Print(name, "cheek pull", r.before);
    Print(name, "defaults", r.after);
    // Some of every face changes...
    EXPECT_GT(r.after.changed[kInside], 2000) << name;
    // ...and nothing beyond the band outside the outlines.
    EXPECT_LE(r.after.Fraction(kAround), 0.0005) << name;
    EXPECT_LE(r.after.Share(kAround) + r.after.Share(kFar), 0.01) << name;
    EXPECT_GE(r.after.Share(kInside), 0.6) << name;
  }
}

}  // namespace
}  // namespace fw::warp
