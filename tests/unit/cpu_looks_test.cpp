// The CPU reference of the appearance layers (age, skin smoothing) on real faces from assets/.
#include "looks/cpu_looks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "core/params.h"
#include "core/preset.h"
#include "looks/canonical_layers.h"
#include "looks/face_mesh.h"
#include "looks/look_plan.h"
#include "test_faces.h"

namespace fw::looks {
namespace {

core::Params Looks(double age, double smooth) {
  core::Params p = core::DefaultParams();
  p.age = age;
  p.skin_smooth = smooth;
  return p;
}

cv::Mat Apply(const test::FaceImage& fi, const core::Params& params) {
  LookPlan plan;
  PlanLooks(fi.faces, params, fi.image, plan);
  cv::Mat out = fi.image.clone();
  CpuLooks looks;
  EXPECT_TRUE(looks.Apply(plan, out).ok());
  return out;
}

std::vector<cv::Point> ToPolygon(const std::vector<core::Vec2>& points) {
  std::vector<cv::Point> out;
  for (const core::Vec2& p : points) {
    out.emplace_back(static_cast<int>(std::lround(p.x)), static_cast<int>(std::lround(p.y)));
  }
  return out;
}

// The head as the tests see it, independent of the mesh: the jaw line's hull and, for the skull
// and hair, an ellipse centred a quarter of an eye distance above the eyes, 2 eye distances wide
// and 2.4 high.
cv::Mat HeadRegion(const core::Face& face, cv::Size size) {
  const FaceFrame frame = FrameOf(face);
  std::vector<core::Vec2> outline;
  for (int i = 0; i <= 16; ++i) outline.push_back(face.points[i]);
  for (int k = 0; k < 72; ++k) {
    const double a = k * 2.0 * M_PI / 72.0;
    outline.push_back(frame.ToImage({std::cos(a), -0.25 + 1.2 * std::sin(a)}));
  }
  std::vector<cv::Point> convex;
  cv::convexHull(ToPolygon(outline), convex);
  cv::Mat mask = cv::Mat::zeros(size, CV_8U);
  cv::fillConvexPoly(mask, convex, cv::Scalar(255));
  return mask;
}

// The face outline: the jaw line, closed by the brows raised by 0.6 eye distances.
cv::Mat FaceOutline(const core::Face& face, cv::Size size) {
  const FaceFrame frame = FrameOf(face);
  std::vector<core::Vec2> outline;
  for (int i = 0; i <= 16; ++i) outline.push_back(face.points[i]);
  for (int i = 26; i >= 17; --i)
    outline.push_back(face.points[i] - 0.6 * frame.scale * frame.y_axis);
  cv::Mat mask = cv::Mat::zeros(size, CV_8U);
  cv::fillPoly(mask, std::vector<std::vector<cv::Point>>{ToPolygon(outline)}, cv::Scalar(255));
  return mask;
}

cv::Mat Changed(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  cv::Mat grey;
  cv::cvtColor(diff, grey, cv::COLOR_BGR2GRAY);
  cv::Mat changed;
  cv::threshold(grey, changed, 0, 255, cv::THRESH_BINARY);
  cv::Mat any;
  cv::transform(diff, any, cv::Matx13f(1.0f, 1.0f, 1.0f));
  return any > 0;
}

cv::Mat Luma(const cv::Mat& bgr) {
  cv::Mat grey;
  cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  cv::Mat f;
  grey.convertTo(f, CV_32F);
  return f;
}

// Mask of a disc of radius r (eye distances) at canonical point q of face.
cv::Mat Disc(const core::Face& face, core::Vec2 q, double r, cv::Size size) {
  const FaceFrame frame = FrameOf(face);
  const core::Vec2 p = frame.ToImage(q);
  cv::Mat mask = cv::Mat::zeros(size, CV_8U);
  cv::circle(mask, cv::Point(static_cast<int>(p.x), static_cast<int>(p.y)),
             static_cast<int>(r * frame.scale), cv::Scalar(255), cv::FILLED);
  return mask;
}

// Mean over mask of the squared difference from a Gaussian blur (sigma 1.5 px).
double HighFrequencyEnergy(const cv::Mat& bgr, const cv::Mat& mask) {
  const cv::Mat l = Luma(bgr);
  cv::Mat blurred;
  cv::GaussianBlur(l, blurred, cv::Size(), 1.5);
  const cv::Mat hf = l - blurred;
  return cv::mean(hf.mul(hf), mask)[0];
}

TEST(CpuLooks, ZeroAgeAndSmoothingPlanNothingAndLeaveThePictureBitExact) {
  const test::FaceImage fi = test::LoadFaceImage("group6");
  LookPlan plan;
  PlanLooks(fi.faces, Looks(0.0, 0.0), fi.image, plan);
  EXPECT_TRUE(plan.empty());
  // Even a face planned with both strengths at 0 draws nothing.
  PlanLooks(fi.faces, Looks(1.0, 0.0), fi.image, plan);
  ASSERT_EQ(plan.num_faces, 4);
  for (int f = 0; f < plan.num_faces; ++f) plan.faces[f].shade.age = 0.0f;
  cv::Mat out = fi.image.clone();
  CpuLooks looks;
  ASSERT_TRUE(looks.Apply(plan, out).ok());
  EXPECT_EQ(cv::countNonZero(Changed(out, fi.image)), 0);
}

TEST(CpuLooks, FullAgeChangesOnlyTheHeadsAndNothingFartherThanATenthOfAFaceOutside) {
  for (const char* name : {"astronaut", "group3", "group6"}) {
    SCOPED_TRACE(name);
    const test::FaceImage fi = test::LoadFaceImage(name);
    const cv::Mat out = Apply(fi, Looks(1.0, 0.0));
    const cv::Mat changed = Changed(out, fi.image);
    ASSERT_GT(cv::countNonZero(changed), 1000);
    cv::Mat allowed = cv::Mat::zeros(fi.image.size(), CV_8U);
    for (const core::Face& face : fi.faces) {
      const double width = core::Distance(face.points[0], face.points[16]);
      const int margin = static_cast<int>(0.15 * width);
      cv::Mat head = HeadRegion(face, fi.image.size());
      cv::dilate(
          head, head,
          cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * margin + 1, 2 * margin + 1)));
      allowed |= head;
    }
    EXPECT_EQ(cv::countNonZero(changed & ~allowed), 0);
  }
}

TEST(CpuLooks, WrinklesDarkenTheForeheadBandInLinesAndBesideTheOuterEyeCorners) {
  for (const char* name : {"astronaut", "group3", "group6"}) {
    SCOPED_TRACE(name);
    const test::FaceImage fi = test::LoadFaceImage(name);
    const cv::Mat delta = Luma(Apply(fi, Looks(1.0, 0.0))) - Luma(fi.image);
    for (const core::Face& face : fi.faces) {
      // Forehead: lines, so some pixels much darker while the band as a whole darkens.
      const cv::Mat band = Disc(face, {0.0, -0.48}, 0.14, fi.image.size());
      cv::Mat dark = (delta < -4.0) & band;
      EXPECT_GT(cv::countNonZero(dark), 0.05 * cv::countNonZero(band));
      EXPECT_LT(cv::mean(delta, band)[0], -0.5);
      // Crow's feet just outside the outer eye corner (0.4 of the way to the face's edge)
      // darken more than the eye itself changes; on the side turned to the camera, where the
      // temple is skin rather than hair falling over it.
      const bool left = core::Distance(face.points[36], face.points[0]) >
                        core::Distance(face.points[45], face.points[16]);
      for (double side : {left ? -1.0 : 1.0}) {
        const core::Vec2 corner = face.points[side < 0 ? 36 : 45];
        const core::Vec2 edge = face.points[side < 0 ? 0 : 16];
        const core::Vec2 at = corner + 0.4 * (edge - corner);
        cv::Mat crow = cv::Mat::zeros(fi.image.size(), CV_8U);
        cv::circle(crow, cv::Point(static_cast<int>(at.x), static_cast<int>(at.y)),
                   static_cast<int>(0.15 * core::Distance(corner, edge)), cv::Scalar(255),
                   cv::FILLED);
        const cv::Mat eye = Disc(face, {side * 0.35, 0.0}, 0.05, fi.image.size());
        EXPECT_LT(cv::mean(delta, crow)[0], -1.5);
        EXPECT_LT(cv::mean(delta, crow)[0], cv::mean(delta, eye)[0] - 1.0);
      }
    }
  }
}

TEST(CpuLooks, FullSmoothingHalvesCheekHighFrequenciesAndSparesEyesAndOutside) {
  // The group photos' faces have the size of a webcam's (astronaut's cheeks, 60 px between the
  // eyes, hold more light and shade than texture at that scale).
  for (const char* name : {"group3", "group6"}) {
    SCOPED_TRACE(name);
    const test::FaceImage fi = test::LoadFaceImage(name);
    const cv::Mat out = Apply(fi, Looks(0.0, 1.0));
    const cv::Mat changed = Changed(out, fi.image);
    cv::Mat outline = cv::Mat::zeros(fi.image.size(), CV_8U);
    cv::Mat eyes = cv::Mat::zeros(fi.image.size(), CV_8U);
    for (const core::Face& face : fi.faces) {
      outline |= FaceOutline(face, fi.image.size());
      for (int first : {36, 42}) {
        std::vector<core::Vec2> ring(face.points.begin() + first, face.points.begin() + first + 6);
        cv::fillPoly(eyes, std::vector<std::vector<cv::Point>>{ToPolygon(ring)}, cv::Scalar(255));
      }
      for (double side : {-1.0, 1.0}) {
        const cv::Mat cheek = Disc(face, {side * 0.38, 0.33}, 0.1, fi.image.size());
        EXPECT_LE(HighFrequencyEnergy(out, cheek), 0.5 * HighFrequencyEnergy(fi.image, cheek));
      }
    }
    // Landmarks sit on the outline to a pixel or two: that much is the outline's width.
    cv::dilate(outline, outline, cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(5, 5)));
    EXPECT_EQ(cv::countNonZero(changed & ~outline), 0);
    EXPECT_EQ(cv::countNonZero(changed & eyes), 0);
  }
}

TEST(CpuLooks, TheLookMovesWithTheFace) {
  // A face moved by whole pixels gets the same look moved by the same pixels: the layers are
  // tied to the landmarks, not to the frame.
  const test::FaceImage fi = test::LoadFaceImage("group3");
  const int dx = 37;
  const int dy = -23;
  test::FaceImage moved;
  const cv::Matx23d shift(1, 0, dx, 0, 1, dy);
  cv::warpAffine(fi.image, moved.image, shift, fi.image.size(), cv::INTER_NEAREST,
                 cv::BORDER_REPLICATE);
  moved.faces = fi.faces;
  for (core::Face& face : moved.faces) {
    for (core::Vec2& p : face.points) p = p + core::Vec2{dx, dy};
  }
  const cv::Mat a = Apply(fi, Looks(0.8, 0.6));
  const cv::Mat b = Apply(moved, Looks(0.8, 0.6));
  const cv::Rect inner(100, 100, fi.image.cols - 200, fi.image.rows - 200);
  cv::Mat a_moved;
  cv::warpAffine(a, a_moved, shift, fi.image.size(), cv::INTER_NEAREST, cv::BORDER_REPLICATE);
  cv::Mat diff;
  cv::absdiff(a_moved(inner), b(inner), diff);
  double max_diff = 0.0;
  cv::minMaxLoc(diff.reshape(1), nullptr, &max_diff);
  EXPECT_LE(max_diff, 1.0);
  EXPECT_GT(cv::countNonZero(Changed(a, fi.image)), 1000);
}

TEST(CpuLooks, TheAgedPresetTurnsTheLookOn) {
  core::Params params = core::DefaultParams();
  ASSERT_TRUE(core::LoadPreset("aged", params).ok());
  EXPECT_GT(params.age, 0.5);
  const test::FaceImage fi = test::LoadFaceImage("astronaut");
  EXPECT_GT(cv::countNonZero(Changed(Apply(fi, params), fi.image)), 1000);
}

TEST(FaceMesh, TriangulationUsesEveryPointAndLayersAreBlankAtTheRing) {
  std::vector<int> used(kMeshPoints, 0);
  for (uint16_t i : MeshTriangles()) used.at(i)++;
  for (int i = 0; i < kMeshPoints; ++i) EXPECT_GT(used[i], 0) << "point " << i;
  // Nothing is drawn at the outer ring, so coverage differences at the mesh edge change nothing.
  const MeshPoints& canon = CanonicalMesh();
  for (int i = kJawRingFirst; i < kMeshPoints; ++i) {
    float texel[4];
    const core::Vec2 t = LayerTexel(canon[i]);
    SampleLayers(static_cast<float>(t.x), static_cast<float>(t.y), texel);
    EXPECT_NEAR(texel[0], 128.0f, 1.0f) << "point " << i;
    EXPECT_LT(texel[1], 1.0f) << "point " << i;
    EXPECT_LT(texel[2], 1.0f) << "point " << i;
    EXPECT_LT(texel[3], 1.0f) << "point " << i;
  }
}

}  // namespace
}  // namespace fw::looks
