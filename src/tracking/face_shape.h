// Pure geometry on 68-point shapes: the least-squares similarity fit of the model's mean
// shape to a face's landmarks (its scale and roll), and the box a face's landmarks imply, for
// tracking from the previous frame. Pure functions.
#pragma once

#include <array>

#include "core/face.h"
#include "core/geometry.h"

namespace fw::tracking {

using Shape = std::array<core::Vec2, core::kNumLandmarks>;

// points ≈ R(angle) · scale · mean + translation, fitted by least squares over all 68 points.
struct ShapeFit {
  double scale = 0.0;      // pixels per box-normalised unit
  double angle = 0.0;      // radians, image axes (y down)
  core::Vec2 translation;  // where the mean shape's (0, 0) lands, pixels
};

// `mean` is in box-normalised coordinates (see ShapeModel::MeanShape), `points` in pixels.
ShapeFit FitMeanShape(const Shape& points, const Shape& mean);

// The box (input pixels, dlib's convention: w = right - left + 1) whose normalised frame the
// fit maps onto the face, rotation dropped: a detector-like box from the landmarks alone.
core::Rect BoxFromFit(const ShapeFit& fit);

}  // namespace fw::tracking
