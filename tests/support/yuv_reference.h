// Straightforward BT.601 limited-range (studio swing) conversions to check libyuv against, in
// the usual 8-bit integer form: Y = ((66 R + 129 G + 25 B + 128) >> 8) + 16. Header-only.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include <opencv2/core.hpp>

namespace fw::iotest {

inline int ReferenceY(const cv::Vec3b& bgr) {
  return ((66 * bgr[2] + 129 * bgr[1] + 25 * bgr[0] + 128) >> 8) + 16;
}

// U and V of a mean colour (b, g, r may be fractional).
inline int ReferenceU(double b, double g, double r) {
  return static_cast<int>(std::floor((112.0 * b - 74.0 * g - 38.0 * r + 128.0) / 256.0)) + 128;
}
inline int ReferenceV(double b, double g, double r) {
  return static_cast<int>(std::floor((112.0 * r - 94.0 * g - 18.0 * b + 128.0) / 256.0)) + 128;
}

// Packed YUYV 4:2:2 (Y0 U Y1 V) of an 8-bit BGR image of even width: each U/V from the mean
// colour of its horizontal pixel pair.
inline std::vector<int> ReferenceYuyv(const cv::Mat& bgr) {
  std::vector<int> out(static_cast<size_t>(bgr.cols) * bgr.rows * 2);
  size_t i = 0;
  for (int r = 0; r < bgr.rows; ++r) {
    for (int c = 0; c + 1 < bgr.cols; c += 2) {
      const cv::Vec3b p0 = bgr.at<cv::Vec3b>(r, c);
      const cv::Vec3b p1 = bgr.at<cv::Vec3b>(r, c + 1);
      const double b = (p0[0] + p1[0]) / 2.0;
      const double g = (p0[1] + p1[1]) / 2.0;
      const double rr = (p0[2] + p1[2]) / 2.0;
      out[i++] = ReferenceY(p0);
      out[i++] = ReferenceU(b, g, rr);
      out[i++] = ReferenceY(p1);
      out[i++] = ReferenceV(b, g, rr);
    }
  }
  return out;
}

// The largest difference between converted bytes and a reference.
inline int MaxDifference(const uint8_t* got, const std::vector<int>& want) {
  int max = 0;
  for (size_t i = 0; i < want.size(); ++i) max = std::max(max, std::abs(got[i] - want[i]));
  return max;
}

}  // namespace fw::iotest
