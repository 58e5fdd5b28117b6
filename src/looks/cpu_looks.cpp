// The CPU reference of the appearance layers. Apply() runs on its caller's thread and fans rows
// out to OpenCV's pool; pool threads read before_ and canon_ and write disjoint rows.
#include "looks/cpu_looks.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "looks/canonical_layers.h"

namespace fw::looks {

namespace {

struct Box {
  int x0, y0, x1, y1;  // inclusive
  bool empty() const { return x1 < x0 || y1 < y0; }
};

Box BoundsOf(const MeshPoints& points, int cols, int rows) {
  double x0 = points[0].x, x1 = x0, y0 = points[0].y, y1 = y0;
  for (const core::Vec2& p : points) {
    x0 = std::min(x0, p.x);
    x1 = std::max(x1, p.x);
    y0 = std::min(y0, p.y);
    y1 = std::max(y1, p.y);
  }
  auto clamp = [](double v, int hi) {
    return static_cast<int>(std::clamp(v, -1.0, static_cast<double>(hi)));
  };
  return {clamp(std::ceil(x0), cols - 1), clamp(std::ceil(y0), rows - 1),
          clamp(std::floor(x1), cols - 1), clamp(std::floor(y1), rows - 1)};
}

// Writes the canonical point of every pixel centre of box inside a triangle of the mesh.
void Rasterise(const MeshPoints& points, const Box& box, cv::Mat& canon) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  canon.setTo(cv::Scalar(nan, nan));
  const MeshPoints& uv = CanonicalMesh();
  const std::vector<uint16_t>& tri = MeshTriangles();
  for (size_t t = 0; t + 2 < tri.size(); t += 3) {
    const core::Vec2 a = points[tri[t]], b = points[tri[t + 1]], c = points[tri[t + 2]];
    const double area = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
    if (!(std::abs(area) > 1e-9)) continue;
    const int x0 = std::max(box.x0, static_cast<int>(std::ceil(std::min({a.x, b.x, c.x}))));
    const int x1 = std::min(box.x1, static_cast<int>(std::floor(std::max({a.x, b.x, c.x}))));
    const int y0 = std::max(box.y0, static_cast<int>(std::ceil(std::min({a.y, b.y, c.y}))));
    const int y1 = std::min(box.y1, static_cast<int>(std::floor(std::max({a.y, b.y, c.y}))));
    const core::Vec2 ua = LayerTexel(uv[tri[t]]), ub = LayerTexel(uv[tri[t + 1]]),
                     uc = LayerTexel(uv[tri[t + 2]]);
    for (int y = y0; y <= y1; ++y) {
      cv::Vec2f* row = canon.ptr<cv::Vec2f>(y - box.y0);
      for (int x = x0; x <= x1; ++x) {
        const double wa = ((b.x - x) * (c.y - y) - (b.y - y) * (c.x - x)) / area;
        const double wb = ((c.x - x) * (a.y - y) - (c.y - y) * (a.x - x)) / area;
        const double wc = 1.0 - wa - wb;
        // A little slack, so a pixel centre on an edge two triangles share is never missed by
        // both through rounding (GL's rasterisation is watertight).
        constexpr double kSlack = -1e-7;
        if (wa < kSlack || wb < kSlack || wc < kSlack) continue;
        row[x - box.x0] = cv::Vec2f(static_cast<float>(wa * ua.x + wb * ub.x + wc * uc.x),
                                    static_cast<float>(wa * ua.y + wb * ub.y + wc * uc.y));
      }
    }
  }
}

inline void ReadRgb(const cv::Mat& bgr, int x, int y, float out[3]) {
  const uchar* p = bgr.ptr<uchar>(y) + 3 * x;
  out[0] = p[2] * (1.0f / 255.0f);
  out[1] = p[1] * (1.0f / 255.0f);
  out[2] = p[0] * (1.0f / 255.0f);
}

// Mean of the pixel at (x, y) and its four neighbours, each clamped to the image.
inline void ReadPlus(const cv::Mat& bgr, int x, int y, float out[3]) {
  const int xs[5] = {x, x - 1, x + 1, x, x};
  const int ys[5] = {y, y, y, y - 1, y + 1};
  float sum[3] = {0.0f, 0.0f, 0.0f};
  for (int k = 0; k < 5; ++k) {
    float c[3];
    ReadRgb(bgr, std::clamp(xs[k], 0, bgr.cols - 1), std::clamp(ys[k], 0, bgr.rows - 1), c);
    for (int ch = 0; ch < 3; ++ch) sum[ch] += c[ch];
  }
  for (int ch = 0; ch < 3; ++ch) out[ch] = sum[ch] * 0.2f;
}

class ShadeRows : public cv::ParallelLoopBody {
 public:
  ShadeRows(const FaceLook& look, const Box& box, const cv::Mat& before, const cv::Mat& canon,
            cv::Mat& image)
      : look_(look), box_(box), before_(before), canon_(canon), image_(image) {}

  void operator()(const cv::Range& range) const override {
    const int step = look_.tap_step;
    for (int y = box_.y0 + range.start; y < box_.y0 + range.end; ++y) {
      const cv::Vec2f* row = canon_.ptr<cv::Vec2f>(y - box_.y0);
      for (int x = box_.x0; x <= box_.x1; ++x) {
        const cv::Vec2f t = row[x - box_.x0];
        if (std::isnan(t[0])) continue;
        float texel[4];
        SampleLayers(t[0], t[1], texel);
        const LayerWeights w = WeighLayers(look_.shade, texel);
        if (!AnyWeight(w)) continue;
        float c0[3];
        ReadRgb(before_, x, y, c0);
        float edge[3] = {c0[0], c0[1], c0[2]};
        float mean[3] = {c0[0], c0[1], c0[2]};
        if (NeedsTaps(w)) {
          float edge_sum[3] = {0.0f, 0.0f, 0.0f}, mean_sum[3] = {0.0f, 0.0f, 0.0f};
          float edge_w = 0.0f, mean_w = 0.0f;
          for (int i = 0; i < kNumTaps; ++i) {
            float c[3];
            ReadPlus(before_, x + kTapOffsets[i][0] * step, y + kTapOffsets[i][1] * step, c);
            const float ws = kTapWeights[i];
            const float we = ws * RangeWeight(c, c0);
            for (int ch = 0; ch < 3; ++ch) {
              edge_sum[ch] += we * c[ch];
              mean_sum[ch] += ws * c[ch];
            }
            edge_w += we;
            mean_w += ws;
          }
          for (int ch = 0; ch < 3; ++ch) {
            edge[ch] = edge_sum[ch] / edge_w;
            mean[ch] = mean_sum[ch] / mean_w;
          }
        }
        float out[3];
        Shade(look_.shade, w, c0, edge, mean, out);
        uchar* p = image_.ptr<uchar>(y) + 3 * x;
        for (int ch = 0; ch < 3; ++ch) {
          // NOLINTNEXTLINE(bugprone-incorrect-roundings): out is in [0, 1]
          p[2 - ch] = static_cast<uchar>(out[ch] * 255.0f + 0.5f);
        }
      }
    }
  }

 private:
  const FaceLook& look_;
  const Box& box_;
  const cv::Mat& before_;
  const cv::Mat& canon_;
  cv::Mat& image_;
};

}  // namespace

void SampleLayers(float tx, float ty, float out[4]) {
  const cv::Mat& layers = CanonicalLayers();
  tx = std::clamp(tx, 0.0f, static_cast<float>(layers.cols - 1));
  ty = std::clamp(ty, 0.0f, static_cast<float>(layers.rows - 1));
  const int x0 = static_cast<int>(tx);
  const int y0 = static_cast<int>(ty);
  const int x1 = std::min(x0 + 1, layers.cols - 1);
  const int y1 = std::min(y0 + 1, layers.rows - 1);
  const float fx = tx - static_cast<float>(x0);
  const float fy = ty - static_cast<float>(y0);
  const cv::Vec4b& a = layers.at<cv::Vec4b>(y0, x0);
  const cv::Vec4b& b = layers.at<cv::Vec4b>(y0, x1);
  const cv::Vec4b& c = layers.at<cv::Vec4b>(y1, x0);
  const cv::Vec4b& d = layers.at<cv::Vec4b>(y1, x1);
  for (int i = 0; i < 4; ++i) {
    const float top = a[i] + (b[i] - a[i]) * fx;
    const float bottom = c[i] + (d[i] - c[i]) * fx;
    out[i] = top + (bottom - top) * fy;
  }
}

core::Status CpuLooks::Apply(const LookPlan& plan, cv::Mat& image) {
  if (plan.empty()) return core::Status::Ok();
  if (image.empty() || image.type() != CV_8UC3) {
    return core::Error::Runtime("looks: the image must be a non-empty 8-bit BGR image");
  }
  image.copyTo(before_);
  for (int f = 0; f < plan.num_faces; ++f) {
    const FaceLook& look = plan.faces[f];
    const Box box = BoundsOf(look.points, image.cols, image.rows);
    const Box clipped{std::max(box.x0, 0), std::max(box.y0, 0), box.x1, box.y1};
    if (clipped.empty()) continue;
    if (canon_.size() != image.size()) canon_.create(image.size(), CV_32FC2);
    cv::Mat canon = canon_(
        cv::Rect(clipped.x0, clipped.y0, clipped.x1 - clipped.x0 + 1, clipped.y1 - clipped.y0 + 1));
    Rasterise(look.points, clipped, canon);
    const ShadeRows body(look, clipped, before_, canon, image);
    cv::parallel_for_(cv::Range(0, canon.rows), body, 8.0);
  }
  return core::Status::Ok();
}

}  // namespace fw::looks
