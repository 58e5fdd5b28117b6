#include "tracking/novelty_map.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace fw::tracking {

namespace {

// Cells across the frame: a face the detector can find (about 40 pixels at 720p) covers at
// least one, and comparing the grid costs next to nothing.
constexpr int kColumns = 48;
// The picture's overall shift is measured on a grid this many times finer (phase correlation
// on the cells alone is off by up to half a cell).
constexpr int kFine = 4;
// A cell whose mean grey level has changed by more than this since a pass last looked at it
// (followed with the picture's overall shift) is new to that pass. Sensor noise, compression
// and the resampling of a pan stay well below it once averaged over a cell (measured in
// novelty_map_test and on the real clips).
constexpr double kMinChange = 8.0;
// A shift is taken as the camera's when it leaves at most this share of the still camera's
// difference away from the people.
constexpr double kMovedGain = 0.7;
// The faces left out of the shift's measure: their boxes grown by this many widths (twice
// that upward, for the hair).
constexpr double kShiftMask = 0.25;
// The overall shift is measured when at least this share of the (windowed) frame is away from
// the faces; else the camera is taken as still.
constexpr double kMinBackground = 0.2;
// Below this shift (cells) the camera is taken as still.
constexpr double kStillShift = 0.1;
// An overall shift this large (a fraction of the frame) is a cut or a jump, not a pan.
constexpr double kMaxShift = 0.25;
// Around a followed face nothing is new: the head, the hair and the shoulders move with it.
// The head: the box grown by this many of its widths sideways and upward; the shoulders:
// below the box, this many widths to each side and downward.
constexpr double kAroundHead = 0.6;
constexpr double kAboveHead = 0.8;
constexpr double kShoulders = 1.5;
constexpr double kBelowHead = 2.0;

}  // namespace

void NoveltyMap::Reset() {
  frame_ = cv::Size();
  previous_.release();
  marks_.release();
}

void NoveltyMap::Update(const cv::Mat& grey, const std::vector<core::Rect>& followed) {
  if (grey.empty()) return;
  const int rows = std::max(
      1, static_cast<int>(std::lround(kColumns * grey.rows / static_cast<double>(grey.cols))));
  cv::resize(grey, resized_, cv::Size(kColumns * kFine, rows * kFine), 0.0, 0.0, cv::INTER_AREA);
  resized_.convertTo(fine_, CV_32F);
  cv::resize(fine_, small_, cv::Size(kColumns, rows), 0.0, 0.0, cv::INTER_AREA);
  if (previous_.empty() || grey.size() != frame_) {
    frame_ = grey.size();
    marks_.create(rows, kColumns, CV_8U);
    marks_.setTo(0);
    for (cv::Mat& change : change_) change = cv::Mat::zeros(rows, kColumns, CV_32F);
    pending_shift_ = cv::Point2d(0.0, 0.0);
    cv::swap(small_, previous_);
    cv::swap(fine_, previous_fine_);
    return;
  }
  const double cell_w = static_cast<double>(frame_.width) / small_.cols;
  const double cell_h = static_cast<double>(frame_.height) / rows;
  const auto near_face = [&](int x, int y) {
    const double px = (x + 0.5) * cell_w, py = (y + 0.5) * cell_h;
    return std::any_of(followed.begin(), followed.end(), [&](const core::Rect& f) {
      const double bottom = f.y + f.h;
      if (py >= f.y - kAboveHead * f.w && py <= bottom) {
        return px >= f.x - kAroundHead * f.w && px <= f.x + (1.0 + kAroundHead) * f.w;
      }
      return py > bottom && py <= bottom + kBelowHead * f.w && px >= f.x - kShoulders * f.w &&
             px <= f.x + (1.0 + kShoulders) * f.w;
    });
  };
  // On the fine grid, the faces themselves (with their hair).
  const double fine_w = cell_w / kFine, fine_h = cell_h / kFine;
  const auto on_face = [&](int x, int y) {
    const double px = (x + 0.5) * fine_w, py = (y + 0.5) * fine_h;
    return std::any_of(followed.begin(), followed.end(), [&](const core::Rect& f) {
      return px >= f.x - kShiftMask * f.w && px <= f.x + (1.0 + kShiftMask) * f.w &&
             py >= f.y - 2.0 * kShiftMask * f.w && py <= f.y + f.h + kShiftMask * f.w;
    });
  };
  // The overall shift, from the picture but the faces (a face moves by itself and, close to
  // the camera, would pass its motion to the background; the body around it moves less, and
  // in a pan with everything else). Phase correlation on windowed
  // copies (OpenCV 4.6's phaseCorrelate applies a window to its inputs in place); none when
  // faces cover most of the frame.
  if (window_.size() != fine_.size()) cv::createHanningWindow(window_, fine_.size(), CV_32F);
  weight_.create(fine_.size(), CV_32F);
  for (int y = 0; y < fine_.rows; ++y) {
    float* w = weight_.ptr<float>(y);
    const float* hann = window_.ptr<float>(y);
    for (int x = 0; x < fine_.cols; ++x) w[x] = on_face(x, y) ? 0.0f : hann[x];
  }
  cv::Point2d shift(0.0, 0.0);
  if (cv::sum(weight_)[0] >= kMinBackground * cv::sum(window_)[0]) {
    cv::compare(weight_, 0.0, mask_, cv::CMP_GT);
    cv::subtract(previous_fine_, cv::mean(previous_fine_, mask_), windowed_[0]);
    cv::subtract(fine_, cv::mean(fine_, mask_), windowed_[1]);
    for (cv::Mat& w : windowed_) cv::multiply(w, weight_, w);
    shift = (1.0 / kFine) * cv::phaseCorrelate(windowed_[0], windowed_[1]);
  }
  if (!(std::abs(shift.x) <= kMaxShift * small_.cols && std::abs(shift.y) <= kMaxShift * rows)) {
    MarkAll();
    cv::swap(small_, previous_);
    cv::swap(fine_, previous_fine_);
    return;
  }
  // A still camera: the frame is compared with the previous one as it is, and each pass's
  // change since it last looked adds up (slow changes reach what a fast one shows at once;
  // noise does not, the sum telescopes to a difference). A moving one: the previous frame is
  // moved by the shift, each frame stands alone (moving the sums frame after frame would blur
  // them into false changes), and the strip that came into view is new once it is half a
  // cell wide.
  bool still = std::abs(shift.x) < kStillShift && std::abs(shift.y) < kStillShift;
  if (!still) {
    // Moved on the fine grid, then averaged into cells: moving the cells themselves by a
    // fraction of a cell blurs sharp edges into false changes.
    const cv::Matx23d move(1.0, 0.0, kFine * shift.x, 0.0, 1.0, kFine * shift.y);
    cv::warpAffine(previous_fine_, moved_fine_, move, fine_.size(), cv::INTER_LINEAR,
                   cv::BORDER_REPLICATE);
    cv::resize(moved_fine_, moved_, small_.size(), 0.0, 0.0, cv::INTER_AREA);
    // The shift is the camera's only if it explains the picture away from the people better
    // than a still camera does: a body moving before a flat or still background gives a
    // shift of its own.
    double residual_moved = 0.0, residual_still = 0.0;
    for (int y = 0; y < rows; ++y) {
      const float* now = small_.ptr<float>(y);
      const float* then = previous_.ptr<float>(y);
      const float* moved = moved_.ptr<float>(y);
      for (int x = 0; x < small_.cols; ++x) {
        if (near_face(x, y)) continue;
        residual_moved += std::abs(now[x] - moved[x]);
        residual_still += std::abs(now[x] - then[x]);
      }
    }
    still = residual_moved > kMovedGain * residual_still;
  }
  if (still) {
    previous_.copyTo(moved_);
  } else {
    pending_shift_ += cv::Point2d(shift.x, shift.y);
  }
  const int in_x = static_cast<int>(std::lround(pending_shift_.x));
  const int in_y = static_cast<int>(std::lround(pending_shift_.y));
  pending_shift_ -= cv::Point2d(in_x, in_y);
  const auto came_in = [&](int x, int y) {
    return x < in_x || y < in_y || x >= small_.cols + in_x || y >= rows + in_y;
  };
  for (int y = 0; y < rows; ++y) {
    const float* now = small_.ptr<float>(y);
    const float* then = moved_.ptr<float>(y);
    float* change[2] = {change_[0].ptr<float>(y), change_[1].ptr<float>(y)};
    uint8_t* mark = marks_.ptr<uint8_t>(y);
    for (int x = 0; x < small_.cols; ++x) {
      if (near_face(x, y)) {
        change[0][x] = change[1][x] = 0.0f;
        continue;
      }
      const float d = now[x] - then[x];
      for (float* c : change) c[x] = still ? c[x] + d : d;
      const bool in = came_in(x, y);
      if (in || std::abs(change[0][x]) > kMinChange) mark[x] |= kNewForWhole;
      if (in || std::abs(change[1][x]) > kMinChange) mark[x] |= kNewForTiles;
    }
  }
  cv::swap(small_, previous_);
  cv::swap(fine_, previous_fine_);
}

bool NoveltyMap::NewForWhole() const {
  for (int y = 0; y < marks_.rows; ++y) {
    const uint8_t* mark = marks_.ptr<uint8_t>(y);
    for (int x = 0; x < marks_.cols; ++x) {
      if ((mark[x] & kNewForWhole) != 0) return true;
    }
  }
  return false;
}

int NoveltyMap::NewInTile(const core::Rect& r) const {
  if (marks_.empty()) return 0;
  const double cell_w = static_cast<double>(frame_.width) / marks_.cols;
  const double cell_h = static_cast<double>(frame_.height) / marks_.rows;
  int count = 0;
  for (int y = 0; y < marks_.rows; ++y) {
    const double py = (y + 0.5) * cell_h;
    if (py < r.y || py >= r.y + r.h) continue;
    const uint8_t* mark = marks_.ptr<uint8_t>(y);
    for (int x = 0; x < marks_.cols; ++x) {
      const double px = (x + 0.5) * cell_w;
      if (px >= r.x && px < r.x + r.w && (mark[x] & kNewForTiles) != 0) ++count;
    }
  }
  return count;
}

void NoveltyMap::ClearWhole() {
  for (int y = 0; y < marks_.rows; ++y) {
    uint8_t* mark = marks_.ptr<uint8_t>(y);
    for (int x = 0; x < marks_.cols; ++x) mark[x] &= static_cast<uint8_t>(~kNewForWhole);
  }
  if (!change_[0].empty()) change_[0].setTo(0.0);
}

void NoveltyMap::ClearTile(const core::Rect& r) {
  if (marks_.empty()) return;
  const double cell_w = static_cast<double>(frame_.width) / marks_.cols;
  const double cell_h = static_cast<double>(frame_.height) / marks_.rows;
  for (int y = 0; y < marks_.rows; ++y) {
    const double py = (y + 0.5) * cell_h;
    if (py < r.y || py >= r.y + r.h) continue;
    uint8_t* mark = marks_.ptr<uint8_t>(y);
    for (int x = 0; x < marks_.cols; ++x) {
      const double px = (x + 0.5) * cell_w;
      if (px >= r.x && px < r.x + r.w) {
        mark[x] &= static_cast<uint8_t>(~kNewForTiles);
        change_[1].at<float>(y, x) = 0.0f;
      }
    }
  }
}

void NoveltyMap::MarkAll() {
  if (!marks_.empty()) marks_.setTo(kNewForWhole | kNewForTiles);
}

}  // namespace fw::tracking
