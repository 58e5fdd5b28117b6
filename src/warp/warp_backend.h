// The warp stage behind one interface: the CPU reference backend (warp/cpu_warp) and the GL
// backend (render/) implement it. Each instance is used from one thread.
#pragma once

#include <opencv2/core.hpp>

#include "core/result.h"
#include "looks/cpu_looks.h"
#include "looks/look_plan.h"
#include "warp/warp_plan.h"

namespace fw::warp {

class WarpBackend {
 public:
  virtual ~WarpBackend() = default;
  virtual const char* name() const = 0;
  // dst receives src (8-bit BGR) warped by plan; dst is (re)allocated to src's size and type.
  virtual core::Status Warp(const cv::Mat& src, const WarpPlan& plan, cv::Mat& dst) = 0;
  // Warp, then the appearance layers of looks (meshes already moved through plan, see
  // warp/look_mapping.h) drawn on the warped image. The default draws them with the CPU
  // reference; a GPU backend overrides it to stay on the GPU.
  virtual core::Status WarpWithLooks(const cv::Mat& src, const WarpPlan& plan,
                                     const looks::LookPlan& looks, cv::Mat& dst) {
    FW_RETURN_IF_ERROR(Warp(src, plan, dst));
    return cpu_looks_.Apply(looks, dst);
  }
  // Of the last Warp(), the milliseconds spent reading the result back from a GPU (included
  // in Warp's time); 0 for backends that work in memory.
  virtual double last_readback_ms() const { return 0.0; }

 private:
  looks::CpuLooks cpu_looks_;
};

}  // namespace fw::warp
