#include "app/backend_factory.h"

#include "core/log.h"
#include "warp/cpu_warp.h"

namespace fw::app {

core::Result<std::unique_ptr<warp::WarpBackend>> CreateWarpBackend(Backend backend) {
  if (backend == Backend::kGl) {
    return core::Error::Usage(
        "the GL backend is not built into this facewarp yet; use --backend cpu");
  }
  return std::unique_ptr<warp::WarpBackend>(std::make_unique<warp::CpuWarpBackend>());
}

}  // namespace fw::app
