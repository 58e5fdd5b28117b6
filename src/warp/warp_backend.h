// The warp stage behind one interface: the CPU reference backend (warp/cpu_warp) and the GL
// backend (render/) implement it. Each instance is used from one thread.
#pragma once

#include <opencv2/core.hpp>
#include <string>

#include "core/result.h"
#include "core/yuv_image.h"
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
  // Planar frames (I420 as decoded): whether WarpYuvWithLooks takes them, for a backend that
  // converts the planes on its own side (the GL backend, in shaders). The default: no.
  virtual bool takes_planes() const { return false; }
  // src's planes warped by plan with the appearance layers of looks drawn, as WarpWithLooks
  // does for src in BGR, into I420 planes (dst as core::YuvImage::Create leaves it) ...
  virtual core::Status WarpYuvWithLooks(const core::YuvImage& /*src*/, const WarpPlan& /*plan*/,
                                        const looks::LookPlan& /*looks*/, core::YuvImage& /*dst*/) {
    return PlanesNotTaken();
  }
  // ... or into 8-bit BGR (a consumer that needs it). Both only where takes_planes().
  virtual core::Status WarpYuvWithLooks(const core::YuvImage& /*src*/, const WarpPlan& /*plan*/,
                                        const looks::LookPlan& /*looks*/, cv::Mat& /*dst*/) {
    return PlanesNotTaken();
  }
  // Of the last Warp(), the milliseconds spent reading the result back from a GPU (included
  // in Warp's time); 0 for backends that work in memory.
  virtual double last_readback_ms() const { return 0.0; }

 private:
  core::Status PlanesNotTaken() const {
    return core::Error::Runtime(std::string("internal: the ") + name() +
                                " backend does not take planar frames");
  }

  looks::CpuLooks cpu_looks_;
};

}  // namespace fw::warp
