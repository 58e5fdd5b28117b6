// A face's own axes and pose, estimated from its 68 landmarks: where the shape controls
// (warp/face_shape_ops.h) place their local warps and which way they push. Pure.
#pragma once

#include <array>

#include "core/face.h"
#include "core/geometry.h"

namespace fw::warp {

struct FaceFrame {
  core::Vec2 centre;   // on the face's vertical axis: mean of the nose bridge p27..p30
  core::Vec2 right;    // unit, from the left eye's centre toward the right eye's ("left" and
                       // "right" as seen in the image)
  core::Vec2 down;     // unit, perpendicular to right, toward the chin
  double width = 0.0;  // face width |p0 - p16|, the unit of every shape control
  double roll = 0.0;   // radians, angle of `right` from the image's x axis (clockwise on screen)
  // Radians, estimated: > 0 when the head is turned so that its nose moves toward the image's
  // right. Then the right contour is the far side (the face's silhouette against what lies
  // behind it). From a cylinder model: sin(yaw) = offset of the nose tip p30 from the middle
  // of the contour points p1/p15, across the face, over 1.4 times half their distance (the
  // nose tip stands about 1.4 half-widths in front of the head's axis).
  double yaw = 0.0;
  bool valid = false;  // false for non-finite or collapsed landmarks
};

FaceFrame EstimateFaceFrame(const core::Face& face);

// Weight of the displacements on one side of a turned face: 1 on the near side and on a
// frontal face, fading to 0 on the far side as |yaw| grows: 1 - 2.5 |sin(yaw)|, 0 from 24
// degrees.
// side: -1 for the image-left half of the face, +1 for the right.
double SideWeight(const FaceFrame& frame, int side);

// The face's outline as a closed polygon: the jaw p0..p16, then the brows p26..p17 raised by
// kForeheadHeight face widths along the face's axis (an estimate of the hairline).
inline constexpr double kForeheadHeight = 0.4;
inline constexpr int kOutlinePoints = 27;
std::array<core::Vec2, kOutlinePoints> FaceOutline(const core::Face& face, const FaceFrame& frame);

}  // namespace fw::warp
