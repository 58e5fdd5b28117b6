#include "warp/warp_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/params.h"
#include "test_faces.h"
#include "warp/warp_math.h"
#include "warp_test_params.h"

namespace fw::warp {
namespace {

using core::Vec2;

// The classic warp alone (warp_test_params.h).
core::Params Settings(double thin, double thin_radius, double eyes, double eye_radius) {
  return test::ClassicParams(thin, thin_radius, eyes, eye_radius);
}

const core::ParamSpec& Spec(const char* key) { return *core::FindParam(key); }

Vec2 EyeCentre(const core::Face& f, int first) {
  Vec2 c;
  for (int i = first; i < first + 6; ++i) c = c + f.points[i];
  return (1.0 / 6.0) * c;
}

TEST(WarpPlan, ZeroThinAndZeroEyesGiveAnEmptyPlan) {
  const test::FaceImage group = test::LoadFaceImage("group3");
  EXPECT_TRUE(test::Plan(group.faces, Settings(0.0, 1.2, 0.0, 1.5)).empty());
}

TEST(WarpPlan, FaceOpsFollowTheDesignTable) {
  const core::Face face = test::LoadFaceImage("astronaut").faces.at(0);
  const core::Params p = Settings(1.0, 1.0, 0.25, 1.5);
  const WarpPlan plan = test::Plan({face}, p);
  ASSERT_EQ(plan.size(), 4u);
  const auto& q = face.points;

  // Left cheek, then right cheek: p3 and p13 pulled toward the nose tip p30; the seed's geometry
  // at thin = 1, thin_radius = 1, far below the fold-over bound.
  EXPECT_EQ(plan[0].kind, OpKind::kTranslate);
  EXPECT_EQ(plan[0].c.x, q[3].x);
  EXPECT_EQ(plan[0].c.y, q[3].y);
  EXPECT_EQ(plan[0].m.x, q[30].x);
  EXPECT_EQ(plan[0].m.y, q[30].y);
  EXPECT_DOUBLE_EQ(plan[0].r, core::Distance(q[3], q[5]));
  EXPECT_DOUBLE_EQ(plan[0].strength, 1.0);
  EXPECT_EQ(plan[1].kind, OpKind::kTranslate);
  EXPECT_EQ(plan[1].c.x, q[13].x);
  EXPECT_EQ(plan[1].m.y, q[30].y);
  EXPECT_DOUBLE_EQ(plan[1].r, core::Distance(q[13], q[15]));
  EXPECT_DOUBLE_EQ(plan[1].strength, 1.0);

  // Left eye, then right eye: centred on the mean of each six-point ring.
  EXPECT_EQ(plan[2].kind, OpKind::kScale);
  EXPECT_NEAR(plan[2].c.x, EyeCentre(face, 36).x, 1e-12);
  EXPECT_NEAR(plan[2].c.y, EyeCentre(face, 36).y, 1e-12);
  EXPECT_DOUBLE_EQ(plan[2].r, 1.5 * core::Distance(q[36], q[39]));
  EXPECT_DOUBLE_EQ(plan[2].strength, 0.25);
  EXPECT_EQ(plan[3].kind, OpKind::kScale);
  EXPECT_NEAR(plan[3].c.x, EyeCentre(face, 42).x, 1e-12);
  EXPECT_NEAR(plan[3].c.y, EyeCentre(face, 42).y, 1e-12);
  EXPECT_DOUBLE_EQ(plan[3].r, 1.5 * core::Distance(q[42], q[45]));
  EXPECT_DOUBLE_EQ(plan[3].strength, 0.25);
}

TEST(WarpPlan, OnlyTheNonZeroEffectAddsOps) {
  const core::Faces faces = test::LoadFaceImage("astronaut").faces;
  const WarpPlan thin_only = test::Plan(faces, Settings(1.0, 1.2, 0.0, 1.5));
  ASSERT_EQ(thin_only.size(), 2u);
  EXPECT_EQ(thin_only[1].kind, OpKind::kTranslate);
  const WarpPlan eyes_only = test::Plan(faces, Settings(0.0, 1.2, 0.2, 1.5));
  ASSERT_EQ(eyes_only.size(), 2u);
  EXPECT_EQ(eyes_only[0].kind, OpKind::kScale);
}

TEST(WarpPlan, StrengthsScaleWithTheFaceWeight) {
  core::Face face = test::LoadFaceImage("astronaut").faces.at(0);
  const core::Params p = Settings(1.0, 1.0, 0.3, 1.5);
  face.weight = 0.5;
  const WarpPlan half = test::Plan({face}, p);
  ASSERT_EQ(half.size(), 4u);
  EXPECT_DOUBLE_EQ(half[0].strength, 0.5);
  EXPECT_DOUBLE_EQ(half[3].strength, 0.15);
  face.weight = 0.0;
  EXPECT_TRUE(test::Plan({face}, p).empty());
}

TEST(WarpPlan, TranslationStrengthIsHeldBelowTheFoldOverLimit) {
  const core::Faces faces = test::LoadFaceImage("group6").faces;
  const WarpPlan plan = test::Plan(faces, Settings(100.0, Spec("thin_radius").max, 0.0, 1.0));
  ASSERT_EQ(plan.size(), 2 * faces.size());
  for (const WarpOp& op : plan) {
    const double limit = FoldOverStrengthLimit(op.r, core::Distance(op.m, op.c));
    EXPECT_DOUBLE_EQ(op.strength, kFoldOverMargin * limit);
  }
}

TEST(WarpPlan, ScalingStrengthStaysBelowOne) {
  const WarpPlan plan =
      test::Plan(test::LoadFaceImage("astronaut").faces, Settings(0.0, 1.0, 3.0, 1.5));
  ASSERT_EQ(plan.size(), 2u);
  for (const WarpOp& op : plan) EXPECT_DOUBLE_EQ(op.strength, kMaxScaleStrength);
}

TEST(WarpPlan, PlanFrameAppendsEveryFaceInOrderAndRecordsItsOps) {
  const core::Faces faces = test::LoadFaceImage("group3").faces;
  const WarpPlan plan = test::Plan(faces, Settings(1.4, 1.2, 0.2, 1.5));
  ASSERT_EQ(plan.size(), 4 * faces.size());
  ASSERT_EQ(plan.faces().size(), faces.size());
  for (size_t i = 0; i < faces.size(); ++i) {
    EXPECT_EQ(plan[4 * i].c.x, faces[i].points[3].x) << "face " << i;
    EXPECT_EQ(plan.faces()[i].begin, static_cast<int>(4 * i));
    EXPECT_EQ(plan.faces()[i].end, static_cast<int>(4 * i + 4));
  }
  // Defaults: the slimming and the eyes of every face; the faces' ranges follow each other
  // and hold every op.
  const WarpPlan defaults = test::Plan(faces, core::DefaultParams());
  ASSERT_EQ(defaults.faces().size(), faces.size());
  int next = 0;
  for (const FaceOps& face : defaults.faces()) {
    EXPECT_EQ(face.begin, next);
    EXPECT_GT(face.end, face.begin);
    next = face.end;
  }
  EXPECT_EQ(next, static_cast<int>(defaults.size()));
}

TEST(WarpPlan, PlanFrameIntoWarpsTheFirstEightFacesAndCountsTheRest) {
  const core::Face face = test::LoadFaceImage("astronaut").faces[0];
  core::Faces faces;
  for (int i = 0; i < kMaxWarpedFaces + 3; ++i) {
    core::Face f = face;
    for (core::Vec2& p : f.points) p = p + core::Vec2{600.0 * i, 0.0};
    faces.push_back(f);
  }
  WarpPlan plan;
  EXPECT_EQ(PlanFrameInto(faces, core::DefaultParams(), plan), 3);
  ASSERT_EQ(plan.faces().size(), static_cast<size_t>(kMaxWarpedFaces));
  // Planned again, the plan is replaced, not appended to.
  const size_t ops = plan.size();
  EXPECT_EQ(PlanFrameInto(faces, core::DefaultParams(), plan), 3);
  EXPECT_EQ(plan.size(), ops);
  EXPECT_EQ(plan.faces().size(), static_cast<size_t>(kMaxWarpedFaces));
}

TEST(WarpPlan, OnlySlimAndEyesAreOnByDefault) {
  const core::Params d = core::DefaultParams();
  EXPECT_EQ(d.thin, 0.0);
  EXPECT_GT(d.slim, 0.0);
  EXPECT_GT(d.eyes, 0.0);
  for (const char* key : {"chin_length", "jaw_width", "nose_width", "mouth_width",
                          "forehead_height", "eye_distance"}) {
    EXPECT_EQ(Spec(key).def, 0.0) << key;
    EXPECT_LT(Spec(key).min, 0.0) << key;
    EXPECT_GT(Spec(key).max, 0.0) << key;
  }
}

TEST(WarpPlan, TheSeedSettingsOnTheCommandLineGiveExactlyTheSeedsTwoCheekPulls) {
  core::Params p = core::DefaultParams();
  for (const char* set : {"thin=1", "thin_radius=1", "eyes=0", "slim=0"}) {
    ASSERT_TRUE(core::SetFromString(p, set).ok()) << set;
  }
  const core::Face face = test::LoadFaceImage("group6").faces.at(1);
  const WarpPlan plan = test::Plan({face}, p);
  ASSERT_EQ(plan.size(), 2u);
  const auto& q = face.points;
  for (int side = 0; side < 2; ++side) {
    const int c = side == 0 ? 3 : 13;
    const int lower = side == 0 ? 5 : 15;
    EXPECT_EQ(plan[side].kind, OpKind::kTranslate);
    EXPECT_EQ(plan[side].c.x, q[c].x);
    EXPECT_EQ(plan[side].c.y, q[c].y);
    EXPECT_EQ(plan[side].m.x, q[30].x);
    EXPECT_EQ(plan[side].m.y, q[30].y);
    EXPECT_EQ(plan[side].r, core::Distance(q[c], q[lower]));
    EXPECT_EQ(plan[side].strength, 1.0);
  }
}

TEST(WarpPlan, CollapsedOrNonFiniteLandmarksAddNoOp) {
  const core::Params p = Settings(2.0, 1.2, 0.3, 1.5);
  core::Face face;
  face.points.fill({40.0, 40.0});
  EXPECT_TRUE(test::Plan({face}, p).empty());
  face.points.fill({std::nan(""), 40.0});
  EXPECT_TRUE(test::Plan({face}, p).empty());
  face.points.fill({std::numeric_limits<double>::infinity(), 40.0});
  EXPECT_TRUE(test::Plan({face}, p).empty());
}

// The Jacobian determinant of plan's composed map at (x, y), by central differences.
double ComposedDet(const WarpPlan& plan, double x, double y) {
  constexpr double kH = 1e-3;
  const Vec2 ux = ComposedSource(plan, {x + kH, y}) - ComposedSource(plan, {x - kH, y});
  const Vec2 uy = ComposedSource(plan, {x, y + kH}) - ComposedSource(plan, {x, y - kH});
  return (ux.x * uy.y - ux.y * uy.x) / (4.0 * kH * kH);
}

// Smallest Jacobian determinant of the composed map, by central differences on a 0.5 px grid
// over the bounding box of every op's disc.
double MinComposedDet(const WarpPlan& plan, Vec2* where) {
  constexpr double kStep = 0.5;
  double min_det = std::numeric_limits<double>::infinity();
  for (const WarpOp& op : plan) {
    for (double y = op.c.y - op.r; y <= op.c.y + op.r; y += kStep) {
      for (double x = op.c.x - op.r; x <= op.c.x + op.r; x += kStep) {
        const double det = ComposedDet(plan, x, y);
        if (det < min_det) {
          min_det = det;
          *where = {x, y};
        }
      }
    }
  }
  return min_det;
}

TEST(WarpPlan, ComposedMapDoesNotFoldAtTheMaximumSettingsOnRealFaces) {
  const double thin = Spec("thin").max;
  const double eyes = Spec("eyes").max;
  const double eye_radius = Spec("eye_radius").max;
  for (const char* name : {"astronaut", "group3", "group6"}) {
    const core::Faces faces = test::LoadFaceImage(name).faces;
    // Every maximum at once, and the largest strength over the narrowest and widest cheeks.
    for (double thin_radius : {Spec("thin_radius").min, Spec("thin_radius").max}) {
      const WarpPlan plan = test::Plan(faces, Settings(thin, thin_radius, eyes, eye_radius));
      ASSERT_EQ(plan.size(), 4 * faces.size());
      Vec2 where;
      const double min_det = MinComposedDet(plan, &where);
      EXPECT_GT(min_det, 0.0) << name << " thin_radius " << thin_radius << " at (" << where.x
                              << ", " << where.y << ")";
    }
  }
}

// Smallest Jacobian determinant of one face's composed map, by central differences on a 1 px
// grid over the box of its ops' discs.
double MinFaceDet(const WarpPlan& plan, Vec2* where) {
  double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
  for (const WarpOp& op : plan) {
    x0 = std::min(x0, op.c.x - op.r);
    y0 = std::min(y0, op.c.y - op.r);
    x1 = std::max(x1, op.c.x + op.r);
    y1 = std::max(y1, op.c.y + op.r);
  }
  double min_det = std::numeric_limits<double>::infinity();
  for (double y = std::floor(y0); y <= y1; y += 1.0) {
    for (double x = std::floor(x0); x <= x1; x += 1.0) {
      const double det = ComposedDet(plan, x, y);
      if (det < min_det) {
        min_det = det;
        *where = {x, y};
      }
    }
  }
  return min_det;
}

TEST(WarpPlan, EveryShapeParameterAtItsExtremeAtOnceDoesNotFoldOnRealFaces) {
  // Every warp parameter at its maximum (the shape controls also at their minima), the cheek
  // pull included, face by face (the faces' boxes do not overlap).
  for (const char* name : {"astronaut", "group1", "group3", "group5", "group6"}) {
    for (const core::Face& face : test::LoadFaceImage(name).faces) {
      for (const bool low : {false, true}) {
        const WarpPlan plan = test::Plan({face}, test::AllWarpExtremes(low));
        // 26 ops; fewer on a face turned so far that its far side is left alone.
        ASSERT_GE(plan.size(), 20u);
        Vec2 where;
        const double min_det = MinFaceDet(plan, &where);
        EXPECT_GT(min_det, 0.0) << name << (low ? " minima" : " maxima") << " at (" << where.x
                                << ", " << where.y << ")";
      }
    }
  }
}

}  // namespace
}  // namespace fw::warp
