// Closed-form 2-D similarity fit (Umeyama without reflection).
#include "tracking/face_shape.h"

#include <cmath>

namespace fw::tracking {

ShapeFit FitMeanShape(const Shape& points, const Shape& mean) {
  const double n = static_cast<double>(core::kNumLandmarks);
  core::Vec2 p_bar, m_bar;
  for (int i = 0; i < core::kNumLandmarks; ++i) {
    p_bar = p_bar + points[i];
    m_bar = m_bar + mean[i];
  }
  p_bar = p_bar * (1.0 / n);
  m_bar = m_bar * (1.0 / n);

  // With p' = points - p_bar and m' = mean - m_bar, the best [a -b; b a] minimises
  // sum |[a -b; b a] m' - p'|^2.
  double mm = 0.0, dot = 0.0, cross = 0.0;
  for (int i = 0; i < core::kNumLandmarks; ++i) {
    const core::Vec2 m = mean[i] - m_bar;
    const core::Vec2 p = points[i] - p_bar;
    mm += core::Norm2(m);
    dot += core::Dot(m, p);
    cross += m.x * p.y - m.y * p.x;
  }
  ShapeFit fit;
  if (mm <= 0.0) return fit;
  const double a = dot / mm;
  const double b = cross / mm;
  fit.scale = std::hypot(a, b);
  fit.angle = std::atan2(b, a);
  fit.translation = p_bar - core::Vec2{a * m_bar.x - b * m_bar.y, b * m_bar.x + a * m_bar.y};
  return fit;
}

core::Rect BoxFromFit(const ShapeFit& fit) {
  // The normalised square [0,1]^2 spans right - left = scale pixels; its centre maps to
  // translation + R·scale·(0.5, 0.5).
  const double c = std::cos(fit.angle), s = std::sin(fit.angle);
  const double h = 0.5 * fit.scale;
  const core::Vec2 centre = fit.translation + core::Vec2{h * (c - s), h * (s + c)};
  return {centre.x - h, centre.y - h, fit.scale + 1.0, fit.scale + 1.0};
}

}  // namespace fw::tracking
