// Where a video frame shows something the face detector has not looked at yet. A new face can
// only appear where the picture changed: on a still camera where something moved, in a pan on
// the strip that came into view. The map follows that on a coarse grid of the frame: each
// frame is compared, on a few dozen cells across, with the previous one moved by the
// picture's overall shift (a pan), and the cells that differ, or that came into view, are
// marked new, except around the faces already followed (they move by themselves). A cell stays
// new until a detection has looked at it: the detector's whole-frame pass (large faces) and
// its tiles (small faces) each clear their own mark. Used by one thread.
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

#include "core/geometry.h"

namespace fw::tracking {

class NoveltyMap {
 public:
  // Compares `grey` (CV_8UC1, a video frame) with the previous frame and marks the cells
  // that show new content outside `followed` (face boxes, frame pixels). The first frame, and
  // a frame of another size, start a clean map (the caller detects on it everywhere).
  void Update(const cv::Mat& grey, const std::vector<core::Rect>& followed);
  // Forgets the previous frame; the next Update starts a clean map.
  void Reset();

  // Some cell is new to the whole-frame pass.
  bool NewForWhole() const;
  // How many cells whose centre lies in `r` (frame pixels) are new to the tiles.
  int NewInTile(const core::Rect& r) const;
  // A detection looked at the whole frame, or at tile `r`.
  void ClearWhole();
  void ClearTile(const core::Rect& r);
  // Marks every cell new (the picture changed all over: a cut, a jump in exposure).
  void MarkAll();

 private:
  enum : uint8_t { kNewForWhole = 1, kNewForTiles = 2 };
  cv::Size frame_;                             // size of the frames compared, pixels
  cv::Mat small_;                              // this frame on the grid (CV_32F)
  cv::Mat previous_;                           // the previous frame on the grid
  cv::Mat moved_;                              // previous_ moved by the overall shift
  cv::Mat window_;                             // Hann window for the shift estimate
  cv::Mat fine_, previous_fine_, moved_fine_;  // the same on a finer grid
  cv::Mat weight_;                             // the window, zero around the faces
  cv::Mat mask_;
  cv::Mat windowed_[2];
  cv::Mat resized_;  // work buffer
  cv::Mat marks_;    // CV_8U per cell: kNewForWhole | kNewForTiles
  // Per pass (whole frame, tiles): each cell's change since the pass last looked (CV_32F).
  cv::Mat change_[2];
  // The shift (cells) not yet counted as a strip come into view.
  cv::Point2d pending_shift_;
};

}  // namespace fw::tracking
