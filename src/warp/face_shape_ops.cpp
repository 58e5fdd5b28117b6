// Shape controls as local translation warps. Pure.
#include "warp/face_shape_ops.h"

#include <algorithm>
#include <cmath>

#include "warp/warp_math.h"

namespace fw::warp {

namespace {

using core::Vec2;

// All lengths below are in face widths (FaceFrame::width) unless named otherwise.
// Contour slimming: one op per jaw point, its centre kSlimInset inside the contour, radius
// kSlimRadius (so its disc ends kSlimRadius - kSlimInset = 0.1 outside), pushing toward the
// face's axis by slim * kSlimShift * kSlimProfile[|i - 8|].
constexpr double kSlimInset = 0.05;
constexpr double kSlimRadius = 0.15;
constexpr double kSlimShift = 0.04;
// Index |i - 8| (distance from the chin point p8): none at the chin, most at the cheeks
// (p4/p12), fading toward the temples (p2/p14).
constexpr double kSlimProfile[7] = {0.0, 0.15, 0.45, 0.8, 1.0, 0.85, 0.45};
// Jaw width: ops at p6 and p10.
constexpr double kJawInset = 0.05;
constexpr double kJawRadius = 0.16;
constexpr double kJawShift = 0.05;
// Chin length: one op above p8 along the axis.
constexpr double kChinInset = 0.03;
constexpr double kChinRadius = 0.13;
constexpr double kChinShift = 0.04;
// Forehead height: one op on the axis, kForeheadLift above the brows' mean.
constexpr double kForeheadLift = 0.28;
constexpr double kForeheadRadius = 0.19;
constexpr double kForeheadShift = 0.05;
// Nose, mouth and eyes: in multiples of the feature's own width.
constexpr double kNoseRadius = 0.55;  // of |p31 - p35|
constexpr double kNoseShift = 0.12;
constexpr double kMouthRadius = 0.4;  // of |p48 - p54|
constexpr double kMouthShift = 0.1;
constexpr double kEyeRadius = 1.0;  // of the eye's corner-to-corner width
constexpr double kEyeShift = 0.12;

// Unit normal of the jaw contour at point i, pointing into the face.
Vec2 InwardNormal(const core::Face& face, const FaceFrame& frame, int i) {
  const Vec2 tangent = face.points[std::min(i + 1, 16)] - face.points[std::max(i - 1, 0)];
  const double len = core::Norm(tangent);
  if (!(len > 0.0)) return (-1.0) * frame.down;
  Vec2 n{-tangent.y / len, tangent.x / len};
  if (core::Dot(n, frame.centre - face.points[i]) < 0.0) n = (-1.0) * n;
  return n;
}

// -1 for a point on the image-left half of the face, +1 on the right.
int Side(const FaceFrame& frame, Vec2 p) {
  return core::Dot(p - frame.centre, frame.right) < 0.0 ? -1 : 1;
}

Vec2 Mean(const core::Face& face, int first, int count) {
  Vec2 sum;
  for (int i = first; i < first + count; ++i) sum = sum + face.points[i];
  return (1.0 / count) * sum;
}

// A pair of ops at points a (image left) and b (right) pushing outward by amount pixels each
// (inward when amount < 0).
void AppendPair(Vec2 a, Vec2 b, const FaceFrame& frame, double amount, double r, WarpPlan& plan) {
  AppendShift(a, (-amount) * frame.right, r, plan);
  AppendShift(b, amount * frame.right, r, plan);
}

}  // namespace

void AppendShift(Vec2 c, Vec2 shift, double r, WarpPlan& plan) {
  const double amount = core::Norm(shift);
  if (!(amount > 0.0 && r > 0.0 && std::isfinite(amount) && std::isfinite(r) &&
        std::isfinite(c.x) && std::isfinite(c.y))) {
    return;
  }
  const Vec2 m = c + (r / amount) * shift;
  // At the centre k = r^2 / (r^2 + r^2) = 1/2, so the content there moves s * r / 4.
  const double s = std::min(4.0 * amount / r, kFoldOverMargin * FoldOverStrengthLimit(r, r));
  plan.push_back({OpKind::kTranslate, c, m, r, s});
}

void AppendShapeOps(const core::Face& face, const FaceFrame& frame, const core::Params& params,
                    double weight, WarpPlan& plan) {
  if (!frame.valid || !(weight > 0.0)) return;
  const double w = frame.width;
  if (params.slim > 0.0) {
    for (int i = 2; i <= 14; ++i) {
      const double profile = kSlimProfile[std::abs(i - 8)];
      if (profile == 0.0) continue;
      const Vec2 p = face.points[i];
      const int side = Side(frame, p);
      const double amount =
          weight * params.slim * kSlimShift * w * profile * SideWeight(frame, side);
      const Vec2 c = p + (kSlimInset * w) * InwardNormal(face, frame, i);
      AppendShift(c, (-side * amount) * frame.right, kSlimRadius * w, plan);
    }
  }
  if (params.jaw_width != 0.0) {
    for (int i : {6, 10}) {
      const Vec2 p = face.points[i];
      const int side = Side(frame, p);
      const double amount = weight * params.jaw_width * kJawShift * w * SideWeight(frame, side);
      const Vec2 c = p + (kJawInset * w) * InwardNormal(face, frame, i);
      AppendShift(c, (side * amount) * frame.right, kJawRadius * w, plan);
    }
  }
  if (params.chin_length != 0.0) {
    const Vec2 c = face.points[8] - (kChinInset * w) * frame.down;
    AppendShift(c, (weight * params.chin_length * kChinShift * w) * frame.down, kChinRadius * w,
                plan);
  }
  if (params.forehead_height != 0.0) {
    const Vec2 c = Mean(face, 17, 10) - (kForeheadLift * w) * frame.down;
    AppendShift(c, (-weight * params.forehead_height * kForeheadShift * w) * frame.down,
                kForeheadRadius * w, plan);
  }
  if (params.nose_width != 0.0) {
    const double nose = core::Distance(face.points[31], face.points[35]);
    AppendPair(face.points[31], face.points[35], frame,
               weight * params.nose_width * kNoseShift * nose, kNoseRadius * nose, plan);
  }
  if (params.mouth_width != 0.0) {
    const double mouth = core::Distance(face.points[48], face.points[54]);
    AppendPair(face.points[48], face.points[54], frame,
               weight * params.mouth_width * kMouthShift * mouth, kMouthRadius * mouth, plan);
  }
  if (params.eye_distance != 0.0) {
    const double left = core::Distance(face.points[36], face.points[39]);
    const double right = core::Distance(face.points[42], face.points[45]);
    const double eye = 0.5 * (left + right);
    AppendPair(Mean(face, core::lm::kLeftEyeFirst, core::lm::kEyeRingSize),
               Mean(face, core::lm::kRightEyeFirst, core::lm::kEyeRingSize), frame,
               weight * params.eye_distance * kEyeShift * eye, kEyeRadius * eye, plan);
  }
}

}  // namespace fw::warp
