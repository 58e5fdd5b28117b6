#include "core/fit.h"

#include <algorithm>
#include <cmath>

namespace fw::core {
namespace {

// A length along an outer dimension of `limit` pixels; even when asked and `limit` is even.
int RoundLength(double length, int limit, bool even_chroma) {
  const bool even = even_chroma && limit % 2 == 0;
  const int n = even ? 2 * static_cast<int>(std::lround(length / 2.0))
                     : static_cast<int>(std::lround(length));
  return std::clamp(n, even ? 2 : 1, limit);
}

int CentredOffset(int outer, int inner, bool even_chroma) {
  const int offset = (outer - inner) / 2;
  return even_chroma && outer % 2 == 0 ? offset & ~1 : offset;
}

}  // namespace

PixelRect FitInside(int inner_width, int inner_height, int outer_width, int outer_height,
                    bool even_chroma) {
  if (inner_width <= 0 || inner_height <= 0 || outer_width <= 0 || outer_height <= 0) return {};
  const double scale = std::min(static_cast<double>(outer_width) / inner_width,
                                static_cast<double>(outer_height) / inner_height);
  PixelRect r;
  r.width = RoundLength(inner_width * scale, outer_width, even_chroma);
  r.height = RoundLength(inner_height * scale, outer_height, even_chroma);
  r.x = CentredOffset(outer_width, r.width, even_chroma);
  r.y = CentredOffset(outer_height, r.height, even_chroma);
  return r;
}

}  // namespace fw::core
