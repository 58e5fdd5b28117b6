// The 68-point regression-tree cascade of dlib's shape_predictor, read from dlib's model file
// and run with dlib's own routines, but keeping sub-pixel points (dlib rounds them to whole
// pixels, which makes video landmarks jump by a pixel). Internal to tracking; immutable once
// loaded, so one model serves several threads (Predict's scratch buffers are per thread).
#pragma once

#include <memory>
#include <opencv2/core.hpp>
#include <string>

#include "core/face.h"
#include "core/result.h"
#include "tracking/face_shape.h"

namespace fw::tracking {

class ShapeModel {
 public:
  // Reads and validates a dlib shape_predictor file with 68 parts. The error message is the
  // reason alone ("truncated or corrupt: ..."); the caller names the path and the remedy.
  static core::Result<std::unique_ptr<ShapeModel>> Load(const std::string& path);
  virtual ~ShapeModel() = default;

  // The model's mean shape in box-normalised coordinates: (0,0) is the box's top-left pixel
  // centre and (1,1) its bottom-right one, as in dlib's shape_predictor.
  virtual const Shape& MeanShape() const = 0;

  // Landmarks in `box` (input pixels; rounded to whole pixels, as dlib's rectangle holds
  // them) on `grey` (CV_8UC1). Points are in grey's pixel space; rounding them gives exactly
  // what dlib::shape_predictor returns for the same box on the same intensities.
  virtual void Predict(const cv::Mat& grey, const core::Rect& box, Shape& points) const = 0;
  // Predict on each of `n` boxes into points[0..n): the same results, cheaper than one call
  // per box when the boxes lie on one face (the trees' leaves are fetched once for all).
  virtual void PredictMany(const cv::Mat& grey, const core::Rect* boxes, int n,
                           Shape* points) const = 0;
};

}  // namespace fw::tracking
