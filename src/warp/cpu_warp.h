// The CPU reference warp: one composed inverse map and one bilinear fetch per changed pixel.
// A CpuWarpBackend is used from one thread; it spreads its rows over OpenCV's worker pool.
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <vector>

#include "core/geometry.h"
#include "core/result.h"
#include "core/yuv_image.h"
#include "warp/warp_backend.h"
#include "warp/warp_plan.h"

namespace fw::warp {

// Bilinear sample of 8-bit BGR src at u (pixel units, pixel centres at integer positions),
// clamped to the edge, rounded to the nearest level. An integer u returns that pixel exactly.
cv::Vec3b BilinearSample(const cv::Mat& src, core::Vec2 u);

// Warps 8-bit BGR src by plan into dst (reallocated only when its size or type differ). Pixels
// outside every op's disc are copied unchanged. src and dst must not share pixels.
// Convenience form of CpuWarpBackend::Warp (same errors) that allocates its scratch on every
// call.
core::Status WarpImageCpu(const cv::Mat& src, const WarpPlan& plan, cv::Mat& dst);

class CpuWarpBackend : public WarpBackend {
 public:
  const char* name() const override { return "cpu"; }
  // Errors when src is not non-empty 8-bit BGR or when dst shares src's pixels. No heap
  // allocation once the scratch has grown to the plan's size and dst to the frame's size.
  core::Status Warp(const cv::Mat& src, const WarpPlan& plan, cv::Mat& dst) override;
  // The same warp on I420 planes: Y at full resolution, U and V at half resolution by the same
  // composed map scaled (chroma sample (cx, cy) covers the pixel point (2cx + 0.5, 2cy + 0.5)),
  // so that no colour conversion is needed. Errors as Warp's; dst's planes are (re)created
  // only when their size differs (or they are views).
  core::Status WarpYuv(const core::YuvImage& src, const WarpPlan& plan, core::YuvImage& dst);

  // One run of pixels [x0, x1] on row y that lies inside at least one op's disc.
  struct Span {
    int y;
    int x0;
    int x1;
  };

 private:
  // Fills span_ops_begin_ and span_ops_ for spans_.
  void ListSpanOps(const WarpPlan& plan);
  // Warps `planes` images of one size (dst already holding a copy of src) by plan.
  template <int kChannels>
  void WarpPlanes(const cv::Mat* src, int planes, const WarpPlan& plan, cv::Mat* dst);

  WarpPlan chroma_plan_;  // the plan at half resolution, reused

  std::vector<Span> spans_;  // reused from frame to frame
  // For span i, the indices of the ops that can move its pixels, last op first:
  // span_ops_[span_ops_begin_[i] .. span_ops_begin_[i + 1]).
  std::vector<size_t> span_ops_begin_;
  std::vector<uint32_t> span_ops_;
  std::vector<double> max_move_;  // per op: the farthest it moves any point
};

// The runs of pixels of a rows x cols image that some op of plan may change, row by row,
// left to right, disjoint; a pixel outside them lies outside every disc. Appends to spans.
void CollectSpans(const WarpPlan& plan, int rows, int cols,
                  std::vector<CpuWarpBackend::Span>& spans);

}  // namespace fw::warp
