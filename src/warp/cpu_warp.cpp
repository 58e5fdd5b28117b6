// The CPU reference warp. Warp() runs on its caller's thread and fans rows out to OpenCV's
// worker pool; the pool threads only read src and the plan and write disjoint runs of dst.
#include "warp/cpu_warp.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "core/yuv_image.h"
#include "warp/warp_math.h"

namespace fw::warp {

namespace {

using Span = CpuWarpBackend::Span;

// Below this many pixels handing work to the pool costs more than it saves (one face at 720p
// puts 25-60 thousand pixels inside its discs).
constexpr int64_t kMinParallelPixels = 8192;

// Clamping u to the pixel-centre range before the fetch is the same as clamping each of the
// four texel indices (GL's CLAMP_TO_EDGE). Written so that a NaN lands on 0, never on an
// out-of-range index.
inline double ClampCoord(double v, int size) {
  return v > 0.0 ? std::min(v, static_cast<double>(size - 1)) : 0.0;
}

// kChannels interleaved 8-bit channels (3: BGR, 1: a YUV plane).
template <int kChannels>
inline void Sample(const cv::Mat& src, core::Vec2 u, uchar* out) {
  const double ux = ClampCoord(u.x, src.cols);
  const double uy = ClampCoord(u.y, src.rows);
  const int x0 = static_cast<int>(ux);
  const int y0 = static_cast<int>(uy);
  const double fx = ux - x0;
  const double fy = uy - y0;
  const int dx = x0 + 1 < src.cols ? kChannels : 0;
  const size_t dy = y0 + 1 < src.rows ? src.step[0] : 0;
  const uchar* p = src.ptr<uchar>(y0) + kChannels * static_cast<ptrdiff_t>(x0);
  for (int ch = 0; ch < kChannels; ++ch) {
    const double top = (1.0 - fx) * p[ch] + fx * p[ch + dx];
    const double bottom = (1.0 - fx) * p[dy + ch] + fx * p[dy + ch + dx];
    // Weights sum to 1, so the value lies in [0, 255], where adding 0.5 and truncating rounds
    // to nearest at a fraction of lround's cost.
    // NOLINTNEXTLINE(bugprone-incorrect-roundings)
    out[ch] = static_cast<uchar>((1.0 - fy) * top + fy * bottom + 0.5);
  }
}

// Applies only the ops listed for the span (last op first): the others are the identity on
// every point the span's pixels reach, so the result is ComposedSource's to the last bit.
// Planes: one BGR image, or one or two single-channel planes moved by the same map.
template <int kChannels>
void WarpSpan(const cv::Mat* src, int planes, const WarpPlan& plan, const Span& span,
              const uint32_t* ops, const uint32_t* ops_end, cv::Mat* dst) {
  const double y = span.y;
  for (int x = span.x0; x <= span.x1; ++x) {
    core::Vec2 u{static_cast<double>(x), y};
    for (const uint32_t* op = ops; op != ops_end; ++op) u = ApplyOp(plan[*op], u);
    for (int i = 0; i < planes; ++i) {
      Sample<kChannels>(src[i], u,
                        dst[i].ptr<uchar>(span.y) + kChannels * static_cast<ptrdiff_t>(x));
    }
  }
}

template <int kChannels>
class WarpSpans : public cv::ParallelLoopBody {
 public:
  WarpSpans(const cv::Mat* src, int planes, const WarpPlan& plan, const std::vector<Span>& spans,
            const std::vector<size_t>& ops_begin, const std::vector<uint32_t>& ops, cv::Mat* dst)
      : src_(src),
        planes_(planes),
        plan_(plan),
        spans_(spans),
        ops_begin_(ops_begin),
        ops_(ops),
        dst_(dst) {}

  void operator()(const cv::Range& range) const override {
    for (int i = range.start; i < range.end; ++i) {
      WarpSpan<kChannels>(src_, planes_, plan_, spans_[i], ops_.data() + ops_begin_[i],
                          ops_.data() + ops_begin_[i + 1], dst_);
    }
  }

 private:
  const cv::Mat* src_;
  int planes_;
  const WarpPlan& plan_;
  const std::vector<Span>& spans_;
  const std::vector<size_t>& ops_begin_;
  const std::vector<uint32_t>& ops_;
  cv::Mat* dst_;
};

// The farthest any point can move under one op: translation s·k²·|m - c| peaks at the centre,
// where k = r² / (r² + |m - c|²); scaling a·(1 - d/r)²·d peaks at d = r/3, at 4·a·r/27.
double MaxDisplacement(const WarpOp& op) {
  if (op.kind == OpKind::kScale) return 4.0 * op.strength * op.r / 27.0;
  const double d2 = core::Norm2(op.m - op.c);
  const double k = op.r * op.r / (op.r * op.r + d2);
  return op.strength * k * k * std::sqrt(d2);
}

// Clamps in double, so far-off discs cannot overflow the int conversion; NaN gives lo.
int ClampToInt(double v, int lo, int hi) {
  if (!(v > lo)) return lo;
  return v < hi ? static_cast<int>(v) : hi;
}

bool Overlaps(const cv::Mat& a, const cv::Mat& b) {
  return !a.empty() && !b.empty() && a.datastart < b.dataend && b.datastart < a.dataend;
}

// The plan in the pixel space of a plane subsampled by 2 in both directions, whose sample
// (cx, cy) covers the full-resolution point (2cx + 0.5, 2cy + 0.5). Both kinds of op commute
// with that similarity, so this plan is the full-resolution map, scaled.
void HalfResolutionPlan(const WarpPlan& plan, WarpPlan& out) {
  out.clear();
  for (const FaceOps& face : plan.faces()) {
    out.StartFace();
    for (int i = face.begin; i < face.end; ++i) {
      WarpOp op = plan[static_cast<size_t>(i)];
      op.c = (op.c - core::Vec2{0.5, 0.5}) * 0.5;
      op.m = (op.m - core::Vec2{0.5, 0.5}) * 0.5;
      op.r *= 0.5;
      out.push_back(op);
    }
  }
}

}  // namespace

cv::Vec3b BilinearSample(const cv::Mat& src, core::Vec2 u) {
  cv::Vec3b out;
  Sample<3>(src, u, out.val);
  return out;
}

void CollectSpans(const WarpPlan& plan, int rows, int cols, std::vector<Span>& spans) {
  if (plan.empty() || rows <= 0 || cols <= 0) return;
  // Every bound is widened by one pixel: a pixel the rounding leaves in by mistake maps to
  // itself (exactly, at an integer point), one it left out would be wrong.
  int y_lo = rows;
  int y_hi = -1;
  for (const WarpOp& op : plan) {
    y_lo = std::min(y_lo, ClampToInt(std::floor(op.c.y - op.r) - 1.0, 0, rows - 1));
    y_hi = std::max(y_hi, ClampToInt(std::ceil(op.c.y + op.r) + 1.0, 0, rows - 1));
  }
  for (int y = y_lo; y <= y_hi; ++y) {
    const size_t first = spans.size();
    for (const WarpOp& op : plan) {
      const double dy = y - op.c.y;
      if (std::abs(dy) > op.r + 1.0) continue;
      const double h = std::sqrt(std::max(0.0, op.r * op.r - dy * dy));
      if (op.c.x + h + 1.0 < 0.0 || op.c.x - h - 1.0 > cols - 1) continue;
      spans.push_back({y, ClampToInt(std::floor(op.c.x - h) - 1.0, 0, cols - 1),
                       ClampToInt(std::ceil(op.c.x + h) + 1.0, 0, cols - 1)});
    }
    std::sort(spans.begin() + static_cast<ptrdiff_t>(first), spans.end(),
              [](const Span& a, const Span& b) { return a.x0 < b.x0; });
    size_t kept = first;
    for (size_t i = first; i < spans.size(); ++i) {
      if (kept > first && spans[i].x0 <= spans[kept - 1].x1 + 1) {
        spans[kept - 1].x1 = std::max(spans[kept - 1].x1, spans[i].x1);
      } else {
        spans[kept++] = spans[i];
      }
    }
    spans.resize(kept);
  }
}

core::Status CpuWarpBackend::Warp(const cv::Mat& src, const WarpPlan& plan, cv::Mat& dst) {
  if (src.empty() || src.type() != CV_8UC3) {
    return core::Error::Runtime("cpu warp: the input must be a non-empty 8-bit BGR image");
  }
  if (Overlaps(src, dst)) {
    return core::Error::Runtime("cpu warp: the output must not share the input's pixels");
  }
  src.copyTo(dst);
  WarpPlanes<3>(&src, 1, plan, &dst);
  return core::Status::Ok();
}

template <int kChannels>
void CpuWarpBackend::WarpPlanes(const cv::Mat* src, int planes, const WarpPlan& plan,
                                cv::Mat* dst) {
  spans_.clear();
  CollectSpans(plan, src[0].rows, src[0].cols, spans_);
  ListSpanOps(plan);
  int64_t pixels = 0;
  for (const Span& s : spans_) pixels += s.x1 - s.x0 + 1;
  const WarpSpans<kChannels> body(src, planes, plan, spans_, span_ops_begin_, span_ops_, dst);
  const cv::Range all(0, static_cast<int>(spans_.size()));
  if (pixels * planes < kMinParallelPixels) {
    body(all);
  } else {
    cv::parallel_for_(all, body, std::min(static_cast<double>(spans_.size()), 16.0));
  }
}

core::Status CpuWarpBackend::WarpYuv(const core::YuvImage& src, const WarpPlan& plan,
                                     core::YuvImage& dst) {
  const cv::Size chroma = core::ChromaSize(src.size());
  if (src.empty() || src.y.type() != CV_8UC1 || src.u.type() != CV_8UC1 ||
      src.v.type() != CV_8UC1 || src.u.size() != chroma || src.v.size() != chroma) {
    return core::Error::Runtime("cpu warp: the input must be non-empty 8-bit I420 planes");
  }
  if (Overlaps(src.y, dst.y) || Overlaps(src.u, dst.u) || Overlaps(src.v, dst.v)) {
    return core::Error::Runtime("cpu warp: the output must not share the input's pixels");
  }
  dst.Create(src.width(), src.height());
  src.y.copyTo(dst.y);
  src.u.copyTo(dst.u);
  src.v.copyTo(dst.v);
  if (plan.empty()) return core::Status::Ok();
  WarpPlanes<1>(&src.y, 1, plan, &dst.y);
  HalfResolutionPlan(plan, chroma_plan_);
  const cv::Mat chroma_src[2] = {src.u, src.v};
  cv::Mat chroma_dst[2] = {dst.u, dst.v};
  WarpPlanes<1>(chroma_src, 2, chroma_plan_, chroma_dst);
  return core::Status::Ok();
}

void CpuWarpBackend::ListSpanOps(const WarpPlan& plan) {
  // The ops run last to first. Before op j runs, the span's pixels have reached a box: the
  // span itself grown by the largest displacement of each later op that could touch it. Op j
  // is the identity on every point of that box when its disc (plus one pixel of slack for
  // rounding) misses the box, so it is left out; otherwise it is listed and grows the box.
  const size_t n = plan.size();
  max_move_.resize(n);
  for (size_t j = 0; j < n; ++j) max_move_[j] = MaxDisplacement(plan[j]);
  span_ops_begin_.clear();
  span_ops_.clear();
  for (const Span& s : spans_) {
    span_ops_begin_.push_back(span_ops_.size());
    double x0 = s.x0;
    double x1 = s.x1;
    double y0 = s.y;
    double y1 = s.y;
    for (size_t j = n; j-- > 0;) {
      const WarpOp& op = plan[j];
      const double dx = std::max({x0 - op.c.x, 0.0, op.c.x - x1});
      const double dy = std::max({y0 - op.c.y, 0.0, op.c.y - y1});
      const double reach = op.r + 1.0;
      // Written so that a NaN distance, reach or displacement keeps the op.
      if (dx * dx + dy * dy >= reach * reach) continue;
      span_ops_.push_back(static_cast<uint32_t>(j));
      const double grow = max_move_[j];
      x0 -= grow;
      x1 += grow;
      y0 -= grow;
      y1 += grow;
    }
  }
  span_ops_begin_.push_back(span_ops_.size());
}

core::Status WarpImageCpu(const cv::Mat& src, const WarpPlan& plan, cv::Mat& dst) {
  CpuWarpBackend backend;
  return backend.Warp(src, plan, dst);
}

}  // namespace fw::warp
