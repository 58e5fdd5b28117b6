// Face axes and pose from landmarks. Pure.
#include "warp/face_frame.h"

#include <algorithm>
#include <cmath>

namespace fw::warp {

namespace {

core::Vec2 Mean(const core::Face& face, int first, int count) {
  core::Vec2 sum;
  for (int i = first; i < first + count; ++i) sum = sum + face.points[i];
  return (1.0 / count) * sum;
}

// How fast the far side's weight falls with sin(yaw): 0 at sin(yaw) = 1 / kYawFade (24 deg).
constexpr double kYawFade = 2.5;
// The nose tip's distance from the head's vertical axis over the half width at p1/p15 (about
// 10 cm over 7 cm on an adult head).
constexpr double kNoseDepth = 1.4;

}  // namespace

FaceFrame EstimateFaceFrame(const core::Face& face) {
  FaceFrame f;
  const core::Vec2 left_eye = Mean(face, core::lm::kLeftEyeFirst, core::lm::kEyeRingSize);
  const core::Vec2 right_eye = Mean(face, core::lm::kRightEyeFirst, core::lm::kEyeRingSize);
  const core::Vec2 across = right_eye - left_eye;
  const double eye_distance = core::Norm(across);
  f.width = core::Distance(face.points[0], face.points[16]);
  if (!(eye_distance > 0.0) || !std::isfinite(eye_distance) || !(f.width > 0.0) ||
      !std::isfinite(f.width)) {
    return f;
  }
  f.right = (1.0 / eye_distance) * across;
  f.down = {-f.right.y, f.right.x};
  f.roll = std::atan2(f.right.y, f.right.x);
  f.centre = Mean(face, 27, 4);
  const double left = core::Dot(face.points[1], f.right);
  const double right = core::Dot(face.points[15], f.right);
  const double half = 0.5 * (right - left);
  if (half > 0.0) {
    const double offset =
        core::Dot(face.points[core::lm::kNoseTip], f.right) - 0.5 * (left + right);
    f.yaw = std::asin(std::clamp(offset / (kNoseDepth * half), -1.0, 1.0));
  }
  f.valid = std::isfinite(f.centre.x) && std::isfinite(f.centre.y) && std::isfinite(f.yaw);
  return f;
}

double SideWeight(const FaceFrame& frame, int side) {
  const bool far = (side > 0) == (frame.yaw > 0.0);
  if (!far) return 1.0;
  return std::clamp(1.0 - kYawFade * std::abs(std::sin(frame.yaw)), 0.0, 1.0);
}

std::array<core::Vec2, kOutlinePoints> FaceOutline(const core::Face& face, const FaceFrame& frame) {
  std::array<core::Vec2, kOutlinePoints> out;
  for (int i = 0; i <= 16; ++i) out[i] = face.points[i];
  const core::Vec2 up = (-kForeheadHeight * frame.width) * frame.down;
  for (int i = 0; i < 10; ++i) out[17 + i] = face.points[26 - i] + up;
  return out;
}

}  // namespace fw::warp
