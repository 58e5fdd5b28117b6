#include "tracking/detection_schedule.h"

#include <algorithm>
#include <numeric>
#include <utility>

namespace fw::tracking {

namespace {

// The whole frame and each small-face tile are looked at again after this long even when
// nothing new shows there (a face the detector missed, a change too slow to see).
constexpr double kSweepS = 2.0;

}  // namespace

void DetectionSchedule::Reset() {
  novelty_.Reset();
  tiles_size_ = cv::Size();
}

void DetectionSchedule::Update(const cv::Mat& grey, const std::vector<core::Rect>& followed) {
  frame_ = grey.size();
  novelty_.Update(grey, followed);
}

const std::vector<core::Rect>& DetectionSchedule::Tiles(const core::Params& params, double t_s) {
  if (frame_ != tiles_size_ || params.detect_width != tiles_width_ ||
      params.detector != tiles_detector_) {
    tiles_ = analyzer_.DetectionTiles(frame_, params);
    tiles_size_ = frame_;
    tiles_width_ = params.detect_width;
    tiles_detector_ = params.detector;
    tile_seen_s_.assign(tiles_.size(), t_s);
  }
  return tiles_;
}

DetectHint DetectionSchedule::Plan(double t_s, const core::Params& params,
                                   std::vector<core::Rect> due) {
  DetectHint hint;
  hint.faces = std::move(due);
  // The whole frame where something new shows, or when it has not been looked at for a while
  // (BlazeFace adds it for a face due that is too large for the tiles); of the small-face tiles
  // the one with the most new cells, else (one every kSweepS / tiles) the one looked at longest
  // ago.
  hint.whole = novelty_.NewForWhole() || t_s - whole_seen_s_ >= kSweepS;
  const std::vector<core::Rect>& tiles = Tiles(params, t_s);
  int best = -1, best_new = 0;
  for (int i = 0; i < static_cast<int>(tiles.size()); ++i) {
    const int n = novelty_.NewInTile(tiles[i]);
    if (n > best_new) {
      best = i;
      best_new = n;
    }
  }
  if (best < 0 && !tiles.empty() && t_s - tile_sweep_s_ >= kSweepS / tiles.size()) {
    best = static_cast<int>(std::min_element(tile_seen_s_.begin(), tile_seen_s_.end()) -
                            tile_seen_s_.begin());
    tile_sweep_s_ = t_s;
  }
  if (best >= 0) hint.tiles.push_back(best);
  // Without tiles the whole-frame pass is the only one: the faces due need it.
  if (tiles.empty() && !hint.faces.empty()) hint.whole = true;
  return hint;
}

DetectHint DetectionSchedule::Everything(double t_s, const core::Params& params) {
  DetectHint hint;
  hint.tiles.resize(Tiles(params, t_s).size());
  std::iota(hint.tiles.begin(), hint.tiles.end(), 0);
  tile_sweep_s_ = t_s;
  return hint;
}

void DetectionSchedule::Looked(const DetectHint& hint, double t_s) {
  if (hint.whole) {
    novelty_.ClearWhole();
    whole_seen_s_ = t_s;
    // Without tiles the whole-frame pass looked for every face.
    if (tiles_.empty()) novelty_.ClearTile(core::Rect{0.0, 0.0, 1e9, 1e9});
  }
  for (int i : hint.tiles) {
    novelty_.ClearTile(tiles_[i]);
    tile_seen_s_[i] = t_s;
  }
}

}  // namespace fw::tracking
