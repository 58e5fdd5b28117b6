// Procedural drawing of the canonical appearance layers. Pure; runs once.
#include "looks/canonical_layers.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "looks/face_mesh.h"

namespace fw::looks {

namespace {

using core::Vec2;
using Curve = std::vector<Vec2>;

cv::Point2f Texel(Vec2 q) {
  const Vec2 t = LayerTexel(q);
  return {static_cast<float>(t.x), static_cast<float>(t.y)};
}

// Fixed pseudo-random numbers in [0, 1), the same on every run and machine.
class Lcg {
 public:
  double Next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state_ >> 11) * (1.0 / 9007199254740992.0);
  }
  double Range(double lo, double hi) { return lo + (hi - lo) * Next(); }

 private:
  uint64_t state_ = 0x5eed;
};

// Adds depth x (a blurred stroke along curve) to layer. width and sigma in canonical units;
// the depth fades along the curve from fade_start to fade_end (1 = full).
void AddStroke(cv::Mat& layer, const Curve& curve, double width, double depth, double sigma,
               double fade_start = 1.0, double fade_end = 1.0) {
  cv::Mat stroke = cv::Mat::zeros(layer.size(), CV_32F);
  const int thickness = std::max(1, static_cast<int>(std::lround(width * kLayerScale)));
  for (size_t i = 0; i + 1 < curve.size(); ++i) {
    const double t = curve.size() > 2 ? static_cast<double>(i) / (curve.size() - 2) : 0.0;
    const double v = fade_start + (fade_end - fade_start) * t;
    cv::line(stroke, Texel(curve[i]), Texel(curve[i + 1]), cv::Scalar(v), thickness, cv::LINE_AA);
  }
  cv::GaussianBlur(stroke, stroke, cv::Size(), std::max(0.5, sigma * kLayerScale));
  layer += depth * stroke;
}

void FillPolygon(cv::Mat& layer, const Curve& polygon, double value) {
  std::vector<cv::Point> pts;
  for (const Vec2& q : polygon) {
    const cv::Point2f t = Texel(q);
    pts.emplace_back(static_cast<int>(std::lround(t.x)), static_cast<int>(std::lround(t.y)));
  }
  cv::fillPoly(layer, std::vector<std::vector<cv::Point>>{pts}, cv::Scalar(value), cv::LINE_AA);
}

void Blur(cv::Mat& layer, double sigma) {
  cv::GaussianBlur(layer, layer, cv::Size(), sigma * kLayerScale);
}

Curve Scaled(const Curve& c, Vec2 centre, double s) {
  Curve out;
  for (const Vec2& q : c) out.push_back(centre + s * (q - centre));
  return out;
}

Curve Mirrored(const Curve& c) {
  Curve out;
  for (const Vec2& q : c) out.push_back({-q.x, q.y});
  return out;
}

Curve Range(const MeshPoints& m, int first, int last) {
  Curve out;
  if (first <= last) {
    for (int i = first; i <= last; ++i) out.push_back(m[i]);
  } else {
    for (int i = first; i >= last; --i) out.push_back(m[i]);
  }
  return out;
}

Curve Concat(Curve a, const Curve& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A curve sampled from f(t), t in [0, 1].
template <class F>
Curve Sample(F f, int n = 24) {
  Curve out;
  for (int i = 0; i <= n; ++i) out.push_back(f(static_cast<double>(i) / n));
  return out;
}

// Both sides of the face: the stroke as given (image left) and mirrored.
void AddStrokePair(cv::Mat& layer, const Curve& left, double width, double depth, double sigma,
                   double fade_start = 1.0, double fade_end = 1.0) {
  AddStroke(layer, left, width, depth, sigma, fade_start, fade_end);
  AddStroke(layer, Mirrored(left), width, depth, sigma, fade_start, fade_end);
}

cv::Mat FaceRegion(const MeshPoints& m, double shrink, double sigma) {
  cv::Mat face = cv::Mat::zeros(kLayerHeight, kLayerWidth, CV_32F);
  const Curve outline = Concat(Range(m, 0, 16), Range(m, kForeheadFirst + 9, kForeheadFirst));
  FillPolygon(face, Scaled(outline, {0.0, 0.3}, shrink), 1.0);
  Blur(face, sigma);
  return face;
}

cv::Mat SkinMask(const MeshPoints& m) {
  // The face without its temples' corners (jaw p0 and p16), where hair often covers the skin
  // and a turned face's outline bends away from the mesh.
  cv::Mat skin = cv::Mat::zeros(kLayerHeight, kLayerWidth, CV_32F);
  FillPolygon(skin,
              Scaled(Concat(Range(m, 1, 15), Range(m, kForeheadFirst + 9, kForeheadFirst)),
                     {0.0, 0.3}, 0.87),
              1.0);
  Blur(skin, 0.03);
  skin = (skin - 0.1) * (1.0 / 0.9);  // the blur's far tail is cut, so it ends inside
  cv::Mat holes = cv::Mat::zeros(skin.size(), CV_32F);
  for (int first : {36, 42}) {
    Vec2 c;
    for (int i = 0; i < 6; ++i) c = c + m[first + i];
    FillPolygon(holes, Scaled(Range(m, first, first + 5), (1.0 / 6.0) * c, 1.6), 1.0);
  }
  AddStroke(holes, Range(m, 17, 21), 0.09, 1.0, 0.001);
  AddStroke(holes, Range(m, 22, 26), 0.09, 1.0, 0.001);
  for (double side : {-1.0, 1.0}) {
    cv::ellipse(
        holes, Texel({side * 0.085, 0.545}),
        cv::Size(static_cast<int>(0.07 * kLayerScale), static_cast<int>(0.04 * kLayerScale)), 0.0,
        0.0, 360.0, cv::Scalar(1.0), cv::FILLED, cv::LINE_AA);
  }
  Vec2 mouth;
  for (int i = 48; i < 60; ++i) mouth = mouth + m[i];
  FillPolygon(holes, Scaled(Range(m, 48, 59), (1.0 / 12.0) * mouth, 1.12), 1.0);
  cv::threshold(holes, holes, 1.0, 1.0, cv::THRESH_TRUNC);
  Blur(holes, 0.02);
  skin -= 1.3 * holes;
  return skin;
}

cv::Mat Wrinkles(const MeshPoints& m) {
  cv::Mat w = cv::Mat::zeros(kLayerHeight, kLayerWidth, CV_32F);
  Lcg rng;
  // Forehead lines: grooves lit from above, so a highlight just below each.
  for (int k = 0; k < 3; ++k) {
    const double y0 = -0.40 - 0.085 * k;
    const double half = 0.50 - 0.04 * k + 0.03 * (k % 2);
    const double phase = rng.Range(0.0, 6.28);
    // Broken into pieces of varying depth, as real lines are.
    double t0 = 0.0;
    while (t0 < 1.0) {
      const double t1 = std::min(1.0, t0 + rng.Range(0.18, 0.4));
      const double depth = rng.Range(0.35, 0.8) * (k == 2 ? 0.7 : 1.0);
      auto f = [&](double t) {
        const double x = -half + 2.0 * half * (t0 + (t1 - t0) * t);
        return Vec2{x, y0 + 0.16 * x * x + 0.01 * std::sin(7.0 * x + phase)};
      };
      AddStroke(w, Sample(f, 8), 0.014, -0.8 * depth, 0.012);
      Curve below = Sample(f, 8);
      for (Vec2& q : below) q.y += 0.022;
      AddStroke(w, below, 0.02, 0.3 * depth, 0.014);
      t0 = t1 + rng.Range(0.0, 0.06);
    }
  }
  // Frown lines between the brows.
  AddStrokePair(w, Sample([](double t) {
                  return Vec2{-0.05 - 0.01 * t, -0.17 - 0.13 * t};
                }),
                0.012, -0.7, 0.007, 1.0, 0.3);
  // Crow's feet: a fan of short lines from the outer eye corner toward the temple.
  const Vec2 corner = m[36];
  for (double angle : {-0.5, -0.2, 0.08, 0.36, 0.6}) {
    const double len = 0.13 + 0.05 * std::cos(2.0 * angle);
    auto f = [&](double t) {
      const double a = angle + 0.25 * t * angle;
      const double r = 0.05 + len * t;
      return Vec2{corner.x - r * std::cos(a), corner.y + r * std::sin(a)};
    };
    AddStrokePair(w, Sample(f, 10), 0.01, -0.85, 0.006, 0.8, 0.2);
  }
  // Nasolabial folds, nose wing to beside the mouth corner, with the cheek's bulge lit above.
  auto fold = [](double t) { return Vec2{-0.19 - 0.17 * t - 0.02 * t * t, 0.47 + 0.36 * t}; };
  AddStrokePair(w, Sample(fold), 0.02, -1.0, 0.014, 1.0, 0.5);
  Curve bulge = Sample(fold);
  for (Vec2& q : bulge) q = q + Vec2{-0.035, -0.01};
  AddStrokePair(w, bulge, 0.03, 0.45, 0.03, 1.0, 0.4);
  // Marionette lines, from the mouth corners down toward the jaw.
  AddStrokePair(w, Sample([](double t) {
                  return Vec2{-0.34 - 0.04 * t, 0.76 + 0.26 * t};
                }),
                0.016, -0.75, 0.014, 1.0, 0.2);
  // Lines above the upper lip.
  for (double x : {-0.13, -0.085, -0.04, 0.045, 0.09, 0.135}) {
    AddStroke(w, {Vec2{x, 0.655}, Vec2{x * 1.05, 0.695}}, 0.008, -0.4, 0.005);
  }
  // Under-eye bags: a dark hollow under the lid, a lit puff, the crease below it.
  auto arc = [](double y, double sag) {
    return [y, sag](double t) {
      const double u = 2.0 * t - 1.0;
      return Vec2{-0.335 + 0.15 * u, y + sag * (1.0 - u * u)};
    };
  };
  AddStrokePair(w, Sample(arc(0.075, 0.02)), 0.02, -0.45, 0.02);
  AddStrokePair(w, Sample(arc(0.115, 0.035)), 0.03, 0.25, 0.02);
  AddStrokePair(w, Sample(arc(0.14, 0.05)), 0.012, -0.75, 0.008, 0.4, 0.4);
  // Kept inside the face.
  cv::multiply(w, FaceRegion(m, 0.97, 0.02), w);
  return w;
}

cv::Mat Spots(const MeshPoints& m) {
  cv::Mat s = cv::Mat::zeros(kLayerHeight, kLayerWidth, CV_32F);
  Lcg rng;
  struct Zone {
    double x0, x1, y0, y1;
    int count;
  };
  for (const Zone& z : {Zone{-0.55, 0.55, -0.70, -0.35, 6}, Zone{-0.78, -0.55, -0.35, 0.15, 3},
                        Zone{0.55, 0.78, -0.35, 0.15, 3}, Zone{-0.66, -0.30, 0.18, 0.55, 5},
                        Zone{0.30, 0.66, 0.18, 0.55, 5}}) {
    for (int i = 0; i < z.count; ++i) {
      const Vec2 c{rng.Range(z.x0, z.x1), rng.Range(z.y0, z.y1)};
      const double r = rng.Range(0.008, 0.022);
      cv::circle(s, Texel(c), std::max(1, static_cast<int>(r * kLayerScale)),
                 cv::Scalar(rng.Range(0.25, 0.7)), cv::FILLED, cv::LINE_AA);
    }
  }
  Blur(s, 0.008);
  // Low-frequency mottling of the complexion.
  cv::Mat coarse(16, 13, CV_32F);
  for (int y = 0; y < coarse.rows; ++y) {
    for (int x = 0; x < coarse.cols; ++x) coarse.at<float>(y, x) = rng.Range(-0.2, 0.2);
  }
  cv::Mat mottle;
  cv::resize(coarse, mottle, s.size(), 0, 0, cv::INTER_CUBIC);
  cv::max(mottle, 0.0, mottle);
  s += mottle;
  return s;
}

cv::Mat HairRegion(const MeshPoints& m) {
  cv::Mat hair = cv::Mat::zeros(kLayerHeight, kLayerWidth, CV_32F);
  const Curve ring = Concat(Concat(Range(m, kJawRingFirst + 3, kJawRingFirst),
                                   Range(m, kForeheadRingFirst, kForeheadRingFirst + 9)),
                            Range(m, kJawRingFirst + 16, kJawRingFirst + 13));
  FillPolygon(hair, Scaled(ring, {0.0, -0.1}, 0.82), 1.0);
  Blur(hair, 0.08);
  // The face up to the forehead points is not hair.
  const Curve inner = Concat(Range(m, 0, 16), Range(m, kForeheadFirst + 9, kForeheadFirst));
  cv::Mat face = cv::Mat::zeros(hair.size(), CV_32F);
  FillPolygon(face, inner, 1.0);
  Blur(face, 0.03);
  hair -= face;
  // Nothing reaches the outer ring.
  cv::Mat inside = cv::Mat::zeros(hair.size(), CV_32F);
  FillPolygon(inside,
              Scaled(Concat(Range(m, kJawRingFirst, kJawRingFirst + 16),
                            Range(m, kForeheadRingFirst + 9, kForeheadRingFirst)),
                     {0.0, 0.0}, 0.9),
              1.0);
  Blur(inside, 0.03);
  cv::multiply(hair, inside, hair);
  // Fades out below the cheekbones, so shoulders and clothes are never in it.
  for (int y = 0; y < hair.rows; ++y) {
    const double q = y / kLayerScale + kLayerOriginY;
    const double t = std::clamp((0.5 - q) / 0.9, 0.0, 1.0);
    hair.row(y) *= t * t * (3.0 - 2.0 * t);
  }
  return hair;
}

cv::Mat Draw() {
  const MeshPoints& m = CanonicalMesh();
  const cv::Mat skin = SkinMask(m);
  std::vector<cv::Mat> channels(4);
  cv::Mat wrinkles = Wrinkles(m);
  wrinkles.convertTo(channels[0], CV_8U, 127.0, 128.0);
  skin.convertTo(channels[1], CV_8U, 255.0);
  HairRegion(m).convertTo(channels[2], CV_8U, 255.0);
  cv::Mat spots = Spots(m);
  cv::multiply(spots, skin, spots);
  spots.convertTo(channels[3], CV_8U, 255.0);
  cv::Mat out;
  cv::merge(channels, out);
  // The outermost texels are 0 (128 for the shading), so clamped reads past the edge change
  // nothing.
  const cv::Scalar none(128, 0, 0, 0);
  out.row(0).setTo(none);
  out.row(out.rows - 1).setTo(none);
  out.col(0).setTo(none);
  out.col(out.cols - 1).setTo(none);
  return out;
}

}  // namespace

const cv::Mat& CanonicalLayers() {
  static const cv::Mat kLayers = Draw();
  return kLayers;
}

}  // namespace fw::looks
