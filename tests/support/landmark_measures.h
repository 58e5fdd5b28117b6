// The landmark measures of ../shared/data/README.md, shared by the tracking tests and the
// tracking benchmark (bench/tracking_quality.cpp). All in outer-eye-corner distances (p36-p45).
// They take the faces of each frame (largest first), skipping frames without a face as each
// measure allows. Pure functions, any thread.
#pragma once

#include <cmath>
#include <vector>

#include "core/face.h"

namespace fw::measures {

// Still-face jitter of the largest face: mean over points of each point's standard deviation across
// the frames with a face (2-D: the root of the summed x and y variances), over the mean eye
// distance. -1 when no frame has a face.
inline double StillJitter(const std::vector<core::Faces>& faces) {
  std::vector<core::Vec2> mean(core::kNumLandmarks);
  double iod = 0.0;
  int n = 0;
  for (const core::Faces& f : faces) {
    if (f.empty()) continue;
    for (int i = 0; i < core::kNumLandmarks; ++i) mean[i] = mean[i] + f[0].points[i];
    iod += core::OuterEyeDistance(f[0]);
    ++n;
  }
  if (n == 0) return -1.0;
  for (core::Vec2& m : mean) m = (1.0 / n) * m;
  iod /= n;
  double sum = 0.0;
  for (int i = 0; i < core::kNumLandmarks; ++i) {
    double var = 0.0;
    for (const core::Faces& f : faces) {
      if (!f.empty()) var += core::Norm2(f[0].points[i] - mean[i]) / n;
    }
    sum += std::sqrt(var);
  }
  return sum / core::kNumLandmarks / iod;
}

// The face of `faces` whose box overlaps `box` most, at least min_iou; null when none does.
inline const core::Face* BestOverlap(const core::Faces& faces, const core::Rect& box,
                                     double min_iou = 0.3) {
  const core::Face* best = nullptr;
  double best_iou = min_iou;
  for (const core::Face& f : faces) {
    const double iou = core::Iou(f.box, box);
    if (iou >= best_iou) {
      best = &f;
      best_iou = iou;
    }
  }
  return best;
}

// Temporal noise: RMS over frames t of the mean point length of p[t] - (p[t-1] + p[t+1]) / 2,
// over frame t's eye distance; with several faces, over every face of frame t that a face of
// t - 1 and of t + 1 overlaps (BestOverlap), so that faces are never mixed. -1 when no frame
// has such a face.
inline double TemporalNoise(const std::vector<core::Faces>& faces) {
  double sum = 0.0;
  int n = 0;
  for (size_t t = 1; t + 1 < faces.size(); ++t) {
    for (const core::Face& b : faces[t]) {
      const core::Face* a = BestOverlap(faces[t - 1], b.box);
      const core::Face* c = BestOverlap(faces[t + 1], b.box);
      if (a == nullptr || c == nullptr) continue;
      double m = 0.0;
      for (int i = 0; i < core::kNumLandmarks; ++i) {
        m += core::Norm(b.points[i] - 0.5 * (a->points[i] + c->points[i]));
      }
      m /= core::kNumLandmarks * core::OuterEyeDistance(b);
      sum += m * m;
      ++n;
    }
  }
  return n > 0 ? std::sqrt(sum / n) : -1.0;
}

// Mean point distance between a face and a reference face, over the reference's eye distance
// (one frame's term of the lag).
inline double MeanPointError(const core::Face& face, const core::Face& reference) {
  double sum = 0.0;
  for (int i = 0; i < core::kNumLandmarks; ++i) {
    sum += core::Distance(face.points[i], reference.points[i]);
  }
  return sum / core::kNumLandmarks / core::OuterEyeDistance(reference);
}

}  // namespace fw::measures
