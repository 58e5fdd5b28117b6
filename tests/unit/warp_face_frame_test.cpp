// A face's axes and pose from its landmarks (warp/face_frame.h), on real faces.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "test_faces.h"
#include "warp/face_frame.h"

namespace fw::warp {
namespace {

using core::Vec2;

core::Face Transformed(const core::Face& face, double angle, double scale, Vec2 shift) {
  core::Face out = face;
  for (Vec2& p : out.points) {
    p = shift + scale * Vec2{std::cos(angle) * p.x - std::sin(angle) * p.y,
                             std::sin(angle) * p.x + std::cos(angle) * p.y};
  }
  return out;
}

TEST(FaceFrame, AnUprightFrontalFaceHasLittleRollOrYaw) {
  const FaceFrame f = EstimateFaceFrame(test::LoadFaceImage("astronaut").faces[0]);
  ASSERT_TRUE(f.valid);
  EXPECT_LT(std::abs(f.roll), 0.1);
  EXPECT_LT(std::abs(f.yaw), 0.05);
  EXPECT_NEAR(core::Norm(f.right), 1.0, 1e-12);
  EXPECT_NEAR(core::Dot(f.right, f.down), 0.0, 1e-12);
  EXPECT_GT(f.down.y, 0.9);  // toward the chin, down the image
}

TEST(FaceFrame, RotatingAFaceAddsToItsRollAndKeepsItsYaw) {
  for (const char* name : {"astronaut", "group3", "group6"}) {
    for (const core::Face& face : test::LoadFaceImage(name).faces) {
      const FaceFrame before = EstimateFaceFrame(face);
      for (double angle : {0.3, -0.5}) {
        const FaceFrame after = EstimateFaceFrame(Transformed(face, angle, 1.7, {40.0, -25.0}));
        EXPECT_NEAR(after.roll, before.roll + angle, 1e-9) << name;
        EXPECT_NEAR(after.yaw, before.yaw, 1e-9) << name;
        EXPECT_NEAR(after.width, 1.7 * before.width, 1e-9) << name;
      }
    }
  }
}

TEST(FaceFrame, AMirroredFaceTurnsTheOtherWay) {
  for (const char* name : {"group1", "group5", "group6"}) {
    for (const core::Face& face : test::LoadFaceImage(name).faces) {
      // Mirror x and swap the 68-point layout's left and right so it is a face again.
      core::Face mirrored = face;
      const int pairs[][2] = {{0, 16},  {1, 15},  {2, 14},  {3, 13},  {4, 12},  {5, 11},
                              {6, 10},  {7, 9},   {17, 26}, {18, 25}, {19, 24}, {20, 23},
                              {21, 22}, {31, 35}, {32, 34}, {36, 45}, {37, 44}, {38, 43},
                              {39, 42}, {40, 47}, {41, 46}, {48, 54}, {49, 53}, {50, 52},
                              {55, 59}, {56, 58}, {60, 64}, {61, 63}, {65, 67}};
      for (Vec2& p : mirrored.points) p.x = -p.x;
      for (const auto& pair : pairs) std::swap(mirrored.points[pair[0]], mirrored.points[pair[1]]);
      EXPECT_NEAR(EstimateFaceFrame(mirrored).yaw, -EstimateFaceFrame(face).yaw, 1e-9) << name;
    }
  }
}

TEST(FaceFrame, TheNoseMovingAcrossTheFaceTurnsIt) {
  const core::Face frontal = test::LoadFaceImage("astronaut").faces[0];
  const FaceFrame f0 = EstimateFaceFrame(frontal);
  double last = f0.yaw;
  for (double shift : {0.05, 0.1, 0.2}) {
    core::Face turned = frontal;
    for (int i = 27; i <= 35; ++i) turned.points[i].x += shift * f0.width;
    const double yaw = EstimateFaceFrame(turned).yaw;
    EXPECT_GT(yaw, last + 0.02) << shift;
    last = yaw;
  }
  EXPECT_LT(last, 0.8);
}

TEST(FaceFrame, TheFarSideOfATurnedFaceWeighsLess) {
  FaceFrame f;
  f.yaw = 0.0;
  EXPECT_EQ(SideWeight(f, -1), 1.0);
  EXPECT_EQ(SideWeight(f, 1), 1.0);
  f.yaw = 0.2;  // nose toward the image's right: the right side is far
  EXPECT_EQ(SideWeight(f, -1), 1.0);
  EXPECT_NEAR(SideWeight(f, 1), 1.0 - 2.5 * std::sin(0.2), 1e-12);
  f.yaw = -0.6;
  EXPECT_EQ(SideWeight(f, -1), 0.0);
  EXPECT_EQ(SideWeight(f, 1), 1.0);
}

TEST(FaceFrame, CollapsedOrNonFiniteLandmarksGiveNoFrame) {
  core::Face face = test::LoadFaceImage("astronaut").faces[0];
  face.points.fill({10.0, 10.0});
  EXPECT_FALSE(EstimateFaceFrame(face).valid);
  face.points.fill({std::nan(""), 1.0});
  EXPECT_FALSE(EstimateFaceFrame(face).valid);
  face.points.fill({std::numeric_limits<double>::infinity(), 1.0});
  EXPECT_FALSE(EstimateFaceFrame(face).valid);
}

TEST(FaceFrame, TheOutlineRunsAlongTheJawAndAboveTheBrows) {
  const core::Face face = test::LoadFaceImage("astronaut").faces[0];
  const FaceFrame f = EstimateFaceFrame(face);
  const auto outline = FaceOutline(face, f);
  for (int i = 0; i <= 16; ++i) EXPECT_EQ(outline[i].x, face.points[i].x);
  // p17's raised copy is the last point, kForeheadHeight face widths above p17.
  EXPECT_NEAR(core::Distance(outline[26], face.points[17]), kForeheadHeight * f.width, 1e-9);
  EXPECT_LT(outline[26].y, face.points[17].y);
}

}  // namespace
}  // namespace fw::warp
