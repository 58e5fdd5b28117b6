// The seed's loops, kept as they were: x outer, y inner (column order, as the script's
// `for i in range(W): for j in range(H)`), a double-precision distance test per pixel, and the
// script's four-tap interpolation truncated to 8 bits.
#include "bench/seed_warp.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace fw::bench {

namespace {

// BilinearInsert of the script, with the taps kept inside the image.
void BilinearInsert(const cv::Mat& src, double ux, double uy, uint8_t* out) {
  const int x1 = std::clamp(static_cast<int>(ux), 0, src.cols - 1);
  const int y1 = std::clamp(static_cast<int>(uy), 0, src.rows - 1);
  const int x2 = std::min(x1 + 1, src.cols - 1);
  const int y2 = std::min(y1 + 1, src.rows - 1);
  const double wx1 = (x1 + 1.0) - ux;
  const double wx2 = ux - x1;
  const double wy1 = (y1 + 1.0) - uy;
  const double wy2 = uy - y1;
  const uint8_t* p11 = src.ptr<uint8_t>(y1) + 3 * x1;
  const uint8_t* p12 = src.ptr<uint8_t>(y1) + 3 * x2;
  const uint8_t* p21 = src.ptr<uint8_t>(y2) + 3 * x1;
  const uint8_t* p22 = src.ptr<uint8_t>(y2) + 3 * x2;
  for (int ch = 0; ch < 3; ++ch) {
    const double v =
        p11[ch] * wx1 * wy1 + p12[ch] * wx2 * wy1 + p21[ch] * wx1 * wy2 + p22[ch] * wx2 * wy2;
    out[ch] = static_cast<uint8_t>(std::clamp(v, 0.0, 255.0));
  }
}

}  // namespace

void SeedTranslationWarp(const cv::Mat& src, core::Vec2 c, core::Vec2 m, double r, cv::Mat& dst) {
  src.copyTo(dst);
  const double rr = r * r;
  const double mc = core::Norm2(m - c);
  for (int i = 0; i < src.cols; ++i) {
    for (int j = 0; j < src.rows; ++j) {
      // The script's (loose) bounding test: it skips a pixel only when both offsets are large.
      if (std::abs(i - c.x) > r && std::abs(j - c.y) > r) continue;
      const double d = (i - c.x) * (i - c.x) + (j - c.y) * (j - c.y);
      if (d >= rr) continue;
      double ratio = (rr - d) / (rr - d + mc);
      ratio = ratio * ratio;
      BilinearInsert(src, i - ratio * (m.x - c.x), j - ratio * (m.y - c.y),
                     dst.ptr<uint8_t>(j) + 3 * i);
    }
  }
}

void SeedThinFace(const cv::Mat& src, const core::Face& face, cv::Mat& tmp, cv::Mat& dst) {
  const auto& p = face.points;
  const core::Vec2 nose = p[core::lm::kNoseTip];
  SeedTranslationWarp(src, p[core::lm::kJawLeftCheek], nose,
                      core::Distance(p[core::lm::kJawLeftCheek], p[core::lm::kJawLeftLower]), tmp);
  SeedTranslationWarp(tmp, p[core::lm::kJawRightCheek], nose,
                      core::Distance(p[core::lm::kJawRightCheek], p[core::lm::kJawRightLower]),
                      dst);
}

}  // namespace fw::bench
