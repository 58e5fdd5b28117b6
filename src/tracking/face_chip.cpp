#include "tracking/face_chip.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace fw::tracking {

namespace {

// The chip is sampled at this many times its size and then averaged down, so that a large
// face's chip is not aliased noise. 24 pixels: enough to tell a face from background or a flat
// frame, few enough to cost microseconds.
constexpr int kChipOversample = 4;

core::Vec2 Mean(const core::Face& face, int first, int count) {
  core::Vec2 sum;
  for (int i = first; i < first + count; ++i) sum = sum + face.points[i];
  return (1.0 / count) * sum;
}

}  // namespace

void FaceChip(const cv::Mat& grey, const core::Face& face, const core::Rect& box, cv::Mat& out,
              cv::Mat& large, cv::Mat& small) {
  // Upright and at the face's own scale, so that the chip of a face that turns in the image
  // plane or comes closer stays the same.
  const core::Vec2 eyes = Mean(face, core::lm::kRightEyeFirst, core::lm::kEyeRingSize) -
                          Mean(face, core::lm::kLeftEyeFirst, core::lm::kEyeRingSize);
  const core::Vec2 c = box.Centre();
  const int size = kChipSize * kChipOversample;
  const double angle = std::atan2(eyes.y, eyes.x);
  const double scale = size / std::max(box.w, 1.0);
  const double a = scale * std::cos(angle), b = scale * std::sin(angle);
  const double half = 0.5 * (size - 1);
  const cv::Matx23d m(a, b, half - a * c.x - b * c.y, -b, a, half + b * c.x - a * c.y);
  cv::warpAffine(grey, large, m, cv::Size(size, size), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar(128));
  cv::resize(large, small, cv::Size(kChipSize, kChipSize), 0.0, 0.0, cv::INTER_AREA);
  small.convertTo(out, CV_32F);
  out -= cv::mean(out)[0];
  const double norm = cv::norm(out);
  if (norm > 1e-3 * kChipSize) {
    out *= 1.0 / norm;
  } else {
    out.setTo(0.0);
  }
}

}  // namespace fw::tracking
