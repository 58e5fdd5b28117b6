// 2-D points and rectangles in pixel units (origin top-left, pixel centres at integer
// positions, dlib's convention). Pure value types.
#pragma once

#include <cmath>

namespace fw::core {

struct Vec2 {
  double x = 0.0;
  double y = 0.0;
};

inline Vec2 operator+(Vec2 a, Vec2 b) { return {a.x + b.x, a.y + b.y}; }
inline Vec2 operator-(Vec2 a, Vec2 b) { return {a.x - b.x, a.y - b.y}; }
inline Vec2 operator*(double s, Vec2 a) { return {s * a.x, s * a.y}; }
inline Vec2 operator*(Vec2 a, double s) { return {s * a.x, s * a.y}; }
inline double Dot(Vec2 a, Vec2 b) { return a.x * b.x + a.y * b.y; }
inline double Norm2(Vec2 a) { return Dot(a, a); }
inline double Norm(Vec2 a) { return std::sqrt(Norm2(a)); }
inline double Distance(Vec2 a, Vec2 b) { return Norm(a - b); }

// Axis-aligned box: left, top, width, height.
struct Rect {
  double x = 0.0;
  double y = 0.0;
  double w = 0.0;
  double h = 0.0;

  double Area() const { return w * h; }
  Vec2 Centre() const { return {x + 0.5 * w, y + 0.5 * h}; }
};

// Intersection over union of two boxes, 0 when they do not overlap.
inline double Iou(const Rect& a, const Rect& b) {
  const double ix = std::fmax(0.0, std::fmin(a.x + a.w, b.x + b.w) - std::fmax(a.x, b.x));
  const double iy = std::fmax(0.0, std::fmin(a.y + a.h, b.y + b.h) - std::fmax(a.y, b.y));
  const double inter = ix * iy;
  const double uni = a.Area() + b.Area() - inter;
  return uni > 0.0 ? inter / uni : 0.0;
}

}  // namespace fw::core
