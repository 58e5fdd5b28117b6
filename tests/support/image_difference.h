// How far apart two 8-bit BGR images of one size are, as the parity tests measure it.
// Header-only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include <opencv2/core.hpp>

namespace fw::test {

struct ImageDifference {
  int max_level = 0;      // the largest difference of one channel
  double within_2 = 1.0;  // fraction of pixels whose channels all differ by <= 2
  double exact = 1.0;     // fraction of pixels equal in every channel
  int changed = 0;        // pixels where `reference` differs from `input`
};

// `a` against `reference`; `changed` counts what the reference's processing changed in `input`.
inline ImageDifference CompareImages(const cv::Mat& a, const cv::Mat& reference,
                                     const cv::Mat& input) {
  ImageDifference d;
  int64_t within = 0;
  int64_t exact = 0;
  for (int y = 0; y < a.rows; ++y) {
    for (int x = 0; x < a.cols; ++x) {
      const cv::Vec3b pa = a.at<cv::Vec3b>(y, x);
      const cv::Vec3b pr = reference.at<cv::Vec3b>(y, x);
      int worst = 0;
      for (int c = 0; c < 3; ++c) worst = std::max(worst, std::abs(pa[c] - pr[c]));
      d.max_level = std::max(d.max_level, worst);
      within += worst <= 2 ? 1 : 0;
      exact += worst == 0 ? 1 : 0;
      d.changed += pr != input.at<cv::Vec3b>(y, x) ? 1 : 0;
    }
  }
  const double pixels = static_cast<double>(a.rows) * a.cols;
  d.within_2 = static_cast<double>(within) / pixels;
  d.exact = static_cast<double>(exact) / pixels;
  return d;
}

}  // namespace fw::test
