// Where the tracker's next detection on a video frame looks, and what it may skip. A new face
// can only appear where the picture shows something new (NoveltyMap): the whole-frame pass
// runs where something is new, of the small-face tiles the one with the most new cells; the
// followed faces due to be found again get theirs (DetectHint::faces); and a slow sweep covers
// the rest, for a face the detector missed without any change. Used by one thread.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

#include "core/geometry.h"
#include "core/params.h"
#include "tracking/blazeface.h"
#include "tracking/face_analyzer.h"
#include "tracking/novelty_map.h"

namespace fw::tracking {

class DetectionSchedule {
 public:
  // `analyzer` gives the tile layout (FaceAnalyzer::DetectionTiles); it must outlive this.
  explicit DetectionSchedule(const FaceAnalyzer& analyzer) : analyzer_(analyzer) {}

  // Forgets the frames seen; the next frame is searched everywhere (Everything).
  void Reset();
  // Every frame, before its detection: marks what is new on `grey` away from the `followed`
  // face boxes.
  void Update(const cv::Mat& grey, const std::vector<core::Rect>& followed);
  // The detection at t_s: `due`, the followed faces to find again, and where something new
  // shows or the sweep is due. Empty (DetectHint::empty): nothing to look at.
  DetectHint Plan(double t_s, const core::Params& params, std::vector<core::Rect> due);
  // A full search (a clip's first frame): the whole frame and every tile.
  DetectHint Everything(double t_s, const core::Params& params);
  // The detector looks (or looked) where `hint` says: clears those marks.
  void Looked(const DetectHint& hint, double t_s);

 private:
  // The analyzer's small-face tiles for the frame's size (cached).
  const std::vector<core::Rect>& Tiles(const core::Params& params, double t_s);

  const FaceAnalyzer& analyzer_;
  NoveltyMap novelty_;
  cv::Size frame_;  // of the last Update
  std::vector<core::Rect> tiles_;
  cv::Size tiles_size_;
  double tiles_width_ = 0.0, tiles_detector_ = 0.0;
  std::vector<double> tile_seen_s_;  // when each tile was last looked at
  double whole_seen_s_ = 0.0;        // when the whole-frame pass last ran
  double tile_sweep_s_ = 0.0;        // when a tile was last looked at with nothing new in it
};

}  // namespace fw::tracking
