// The contour slimming and the shape controls (warp/face_shape_ops.h) on real landmarks,
// analytically on the composed map: what moves, how far, and what stays put.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/params.h"
#include "test_faces.h"
#include "warp/face_frame.h"
#include "warp/face_shape_ops.h"
#include "warp/warp_math.h"
#include "warp/warp_plan.h"
#include "warp_test_params.h"

namespace fw::warp {
namespace {

using core::Vec2;

const char* const kPhotos[] = {"astronaut", "group1", "group3", "group5", "group6"};

// Distance from p to the closed polygon's boundary, negative inside.
double SignedDistance(const std::array<Vec2, kOutlinePoints>& poly, Vec2 p) {
  double best = 1e300;
  bool inside = false;
  for (size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
    const Vec2 a = poly[j];
    const Vec2 b = poly[i];
    const Vec2 ab = b - a;
    const double t = std::clamp(core::Dot(p - a, ab) / std::max(core::Norm2(ab), 1e-12), 0.0, 1.0);
    best = std::min(best, core::Distance(p, a + t * ab));
    if ((a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) * ab.x / ab.y) inside = !inside;
  }
  return inside ? -best : best;
}

// Largest displacement of the composed map over a 1 px grid, at the points that lie farther
// than `grown` face widths outside every face's outline. Only the boxes of the ops' discs are
// scanned: every op is the identity outside its disc, so the map is too.
double MaxDisplacementOutside(const core::Faces& faces, const core::Params& params, double grown) {
  const WarpPlan plan = test::Plan(faces, params);
  std::vector<std::array<Vec2, kOutlinePoints>> outlines;
  std::vector<double> widths;
  for (const core::Face& f : faces) {
    const FaceFrame frame = EstimateFaceFrame(f);
    outlines.push_back(FaceOutline(f, frame));
    widths.push_back(frame.width);
  }
  double worst = 0.0;
  for (const WarpOp& op : plan) {
    for (double y = std::floor(op.c.y - op.r); y <= op.c.y + op.r; y += 1.0) {
      for (double x = std::floor(op.c.x - op.r); x <= op.c.x + op.r; x += 1.0) {
        const Vec2 p{x, y};
        if (core::Norm2(p - op.c) >= op.r * op.r) continue;
        bool near = false;
        for (size_t i = 0; i < outlines.size() && !near; ++i) {
          near = SignedDistance(outlines[i], p) <= grown * widths[i];
        }
        if (!near) worst = std::max(worst, core::Distance(ComposedSource(plan, p), p));
      }
    }
  }
  return worst;
}

// Where the content at source point p ends up: the x with ComposedSource(x) = p.
// Newton's method with a central-difference Jacobian (the map is injective, so x is unique).
Vec2 ForwardImage(const WarpPlan& plan, Vec2 p) {
  constexpr double kH = 1e-4;
  Vec2 x = p;
  for (int i = 0; i < 50; ++i) {
    const Vec2 r = ComposedSource(plan, x) - p;
    if (core::Norm(r) < 1e-10) break;
    const Vec2 jx = (0.5 / kH) * (ComposedSource(plan, x + Vec2{kH, 0.0}) -
                                  ComposedSource(plan, x - Vec2{kH, 0.0}));
    const Vec2 jy = (0.5 / kH) * (ComposedSource(plan, x + Vec2{0.0, kH}) -
                                  ComposedSource(plan, x - Vec2{0.0, kH}));
    const double det = jx.x * jy.y - jy.x * jx.y;
    x = x - (1.0 / det) * Vec2{jy.y * r.x - jy.x * r.y, -jx.y * r.x + jx.x * r.y};
  }
  return x;
}

// How far the content at p moves under params, in face widths.
Vec2 Moved(const core::Face& face, const core::Params& params, Vec2 p) {
  const double width = EstimateFaceFrame(face).width;
  return (1.0 / width) * (ForwardImage(test::Plan({face}, params), p) - p);
}

// Inward movement of jaw point i (toward the face's axis, across the face), in face widths.
double JawInward(const core::Face& face, const core::Params& params, int i) {
  const FaceFrame frame = EstimateFaceFrame(face);
  const Vec2 p = face.points[i];
  const double side = core::Dot(p - frame.centre, frame.right) < 0.0 ? -1.0 : 1.0;
  return -side * core::Dot(Moved(face, params, p), frame.right);
}

// The largest inward movement of the cheek points p3-p5 (side -1) or p11-p13 (side +1).
double CheekInward(const core::Face& face, const core::Params& params, int side) {
  double best = 0.0;
  for (int i : side < 0 ? std::array<int, 3>{3, 4, 5} : std::array<int, 3>{11, 12, 13}) {
    best = std::max(best, JawInward(face, params, i));
  }
  return best;
}

core::Params SlimOnly(double slim) {
  core::Params p = test::ClassicParams(0.0, 1.0, 0.0, 1.5);
  p.slim = slim;
  return p;
}

TEST(WarpShape, DisplacementOutsideTheGrownOutlineStaysBelowHalfAPixelAtTheDefaults) {
  for (const char* name : kPhotos) {
    const double worst =
        MaxDisplacementOutside(test::LoadFaceImage(name).faces, core::DefaultParams(), 0.12);
    std::printf("%s: defaults, largest displacement 0.12 face widths outside: %.3f px\n", name,
                worst);
    EXPECT_LE(worst, 0.5) << name;
  }
}

TEST(WarpShape, DisplacementOutsideTheGrownOutlineStaysBelowOnePixelWithEveryReshapeAtAnExtreme) {
  // Slim and every shape control at its maximum, or at its minimum, all at once; the eye
  // magnification at its defaults (its disc, eye_radius times the eye's width, is no reshape
  // of the outline), the classic cheek pull off.
  for (const char* name : kPhotos) {
    const core::Faces faces = test::LoadFaceImage(name).faces;
    for (const bool low : {false, true}) {
      core::Params p = test::AllReshapeExtremes(low);
      p.eyes = core::FindParam("eyes")->def;
      p.eye_radius = core::FindParam("eye_radius")->def;
      const double worst = MaxDisplacementOutside(faces, p, 0.12);
      std::printf("%s: %s, largest displacement 0.12 face widths outside: %.3f px\n", name,
                  low ? "minima" : "maxima", worst);
      EXPECT_LE(worst, 1.0) << name << (low ? " minima" : " maxima");
    }
  }
}

TEST(WarpShape, CheeksMoveInwardByTwoPercentOfTheFaceWidthAtTheDefaultSlim) {
  const double slim = core::FindParam("slim")->def;
  for (const char* name : kPhotos) {
    for (const core::Face& face : test::LoadFaceImage(name).faces) {
      const FaceFrame frame = EstimateFaceFrame(face);
      const int near = frame.yaw > 0.0 ? -1 : 1;
      const double near_inward = CheekInward(face, SlimOnly(slim), near);
      std::printf("%s yaw %+.2f: cheeks inward %.1f%% (near side), %.1f%% (far side)\n", name,
                  frame.yaw, 100.0 * near_inward, 100.0 * CheekInward(face, SlimOnly(slim), -near));
      EXPECT_GE(near_inward, 0.02) << name << " yaw " << frame.yaw;
      if (std::abs(frame.yaw) < 0.1) {  // a frontal face: both sides
        EXPECT_GE(CheekInward(face, SlimOnly(slim), -near), 0.02) << name;
      }
      // Never past the face's axis nor outward anywhere on the jaw.
      for (int i = 2; i <= 14; ++i) {
        EXPECT_GT(JawInward(face, SlimOnly(slim), i), -0.002) << name << " p" << i;
        EXPECT_LT(JawInward(face, SlimOnly(1.0), i), 0.08) << name << " p" << i;
      }
    }
  }
}

TEST(WarpShape, TheFarCheekOfATurnedFaceMovesLess) {
  int turned = 0;
  for (const char* name : kPhotos) {
    for (const core::Face& face : test::LoadFaceImage(name).faces) {
      const FaceFrame frame = EstimateFaceFrame(face);
      if (std::abs(frame.yaw) < 0.2) continue;
      ++turned;
      const int far = frame.yaw > 0.0 ? 1 : -1;
      // The far side's contour points lie closer together in the image, so its discs overlap
      // more: it still moves less.
      EXPECT_LT(CheekInward(face, SlimOnly(1.0), far), 0.7 * CheekInward(face, SlimOnly(1.0), -far))
          << name << " yaw " << frame.yaw;
    }
  }
  EXPECT_GE(turned, 5);  // the group photos hold several turned faces
}

TEST(WarpShape, TurningAFrontalFaceTakesDisplacementFromTheFarCheekOnly) {
  // The astronaut's nose (p27-p35) moved toward the image's right, as if the head turned.
  const core::Face frontal = test::LoadFaceImage("astronaut").faces[0];
  const double width = EstimateFaceFrame(frontal).width;
  double last_far = CheekInward(frontal, SlimOnly(1.0), 1);
  const double near = CheekInward(frontal, SlimOnly(1.0), -1);
  for (double shift : {0.04, 0.08, 0.12}) {
    core::Face turned = frontal;
    for (int i = 27; i <= 35; ++i) turned.points[i].x += shift * width;
    ASSERT_GT(EstimateFaceFrame(turned).yaw, 0.0);
    const double far = CheekInward(turned, SlimOnly(1.0), 1);
    EXPECT_LT(far, last_far - 0.002) << shift;
    EXPECT_NEAR(CheekInward(turned, SlimOnly(1.0), -1), near, 0.002) << shift;
    last_far = far;
  }
}

Vec2 Rotate(Vec2 p, Vec2 centre, double angle) {
  const Vec2 d = p - centre;
  return centre + Vec2{std::cos(angle) * d.x - std::sin(angle) * d.y,
                       std::sin(angle) * d.x + std::cos(angle) * d.y};
}

TEST(WarpShape, TheWarpTurnsWithTheFacesRoll) {
  const core::Face upright = test::LoadFaceImage("astronaut").faces[0];
  const Vec2 centre{250.0, 200.0};
  for (double angle : {0.35, -0.6}) {
    core::Face rolled = upright;
    for (Vec2& p : rolled.points) p = Rotate(p, centre, angle);
    for (const core::Params& params : {core::DefaultParams(), test::AllReshapeExtremes(false)}) {
      for (int i : {3, 5, 8, 12, 31, 48, 36}) {
        const Vec2 a = Moved(upright, params, upright.points[i]);
        const Vec2 b = Moved(rolled, params, rolled.points[i]);
        const Vec2 a_rolled = Rotate(a, {0.0, 0.0}, angle);
        EXPECT_NEAR(b.x, a_rolled.x, 1e-6) << "p" << i << " angle " << angle;
        EXPECT_NEAR(b.y, a_rolled.y, 1e-6) << "p" << i << " angle " << angle;
      }
    }
  }
}

// Each control alone at +1 moves its feature the way its help says, by at least 1% of the
// face width (half a percent per side for the small features); -1 the other way.
TEST(WarpShape, EveryShapeControlMovesItsFeatureTheWayItsHelpSays) {
  for (const char* name : {"astronaut", "group3", "group6"}) {
    for (const core::Face& face : test::LoadFaceImage(name).faces) {
      const FaceFrame f = EstimateFaceFrame(face);
      if (std::abs(f.yaw) > 0.2) continue;  // the far side of turned faces moves less
      Vec2 brows;
      for (int i = 17; i <= 26; ++i) brows = brows + 0.1 * face.points[i];
      Vec2 left_eye, right_eye;
      for (int i = 0; i < 6; ++i) {
        left_eye = left_eye + (1.0 / 6.0) * face.points[36 + i];
        right_eye = right_eye + (1.0 / 6.0) * face.points[42 + i];
      }
      struct Case {
        double core::Params::*field;
        Vec2 point;
        Vec2 direction;  // of the content's movement at +1
        double least;    // face widths
      };
      const Case cases[] = {
          {&core::Params::chin_length, face.points[8], f.down, 0.02},
          {&core::Params::jaw_width, face.points[6], -1.0 * f.right, 0.015},
          {&core::Params::jaw_width, face.points[10], f.right, 0.015},
          {&core::Params::forehead_height, brows - (0.35 * f.width) * f.down, -1.0 * f.down, 0.02},
          {&core::Params::nose_width, face.points[31], -1.0 * f.right, 0.005},
          {&core::Params::nose_width, face.points[35], f.right, 0.005},
          {&core::Params::mouth_width, face.points[48], -1.0 * f.right, 0.005},
          {&core::Params::mouth_width, face.points[54], f.right, 0.005},
          {&core::Params::eye_distance, left_eye, -1.0 * f.right, 0.005},
          {&core::Params::eye_distance, right_eye, f.right, 0.005},
      };
      for (const Case& c : cases) {
        for (const double v : {1.0, -1.0}) {
          core::Params p = test::ClassicParams(0.0, 1.0, 0.0, 1.5);
          p.*c.field = v;
          const double along = core::Dot(Moved(face, p, c.point), c.direction);
          EXPECT_GE(v * along, c.least) << name << " value " << v;
        }
      }
    }
  }
}

TEST(WarpShape, ZeroShapeControlsAddNoOp) {
  const core::Faces faces = test::LoadFaceImage("group3").faces;
  EXPECT_TRUE(test::Plan(faces, test::ClassicParams(0.0, 1.0, 0.0, 1.5)).empty());
  core::Params p = test::ClassicParams(0.0, 1.0, 0.0, 1.5);
  p.slim = 0.5;
  EXPECT_EQ(test::Plan(faces, p).size(), 12 * faces.size());
  p.nose_width = -0.5;
  EXPECT_EQ(test::Plan(faces, p).size(), 14 * faces.size());
}

TEST(WarpShape, AppendShiftShowsAtTheCentreWhatLayShiftAwayFromIt) {
  WarpPlan plan;
  AppendShift({100.0, 80.0}, {3.0, -4.0}, 40.0, plan);
  ASSERT_EQ(plan.size(), 1u);
  const Vec2 source = ComposedSource(plan, {100.0, 80.0});
  EXPECT_NEAR(source.x, 97.0, 1e-9);
  EXPECT_NEAR(source.y, 84.0, 1e-9);
  // A shift beyond what the radius allows without folding is held to the fold-over bound.
  plan.clear();
  AppendShift({0.0, 0.0}, {30.0, 0.0}, 40.0, plan);
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_NEAR(plan[0].strength, kFoldOverMargin * FoldOverStrengthLimit(40.0, 40.0), 1e-12);
  plan.clear();
  AppendShift({0.0, 0.0}, {0.0, 0.0}, 40.0, plan);
  AppendShift({std::nan(""), 0.0}, {1.0, 0.0}, 40.0, plan);
  EXPECT_TRUE(plan.empty());
}

}  // namespace
}  // namespace fw::warp
