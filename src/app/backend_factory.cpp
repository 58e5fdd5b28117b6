#include "app/backend_factory.h"

#include "core/log.h"
#include "render/gl_warp_backend.h"
#include "warp/cpu_warp.h"

namespace fw::app {

core::Result<std::unique_ptr<warp::WarpBackend>> CreateWarpBackend(Backend backend) {
  if (backend == Backend::kCpu) {
    return std::unique_ptr<warp::WarpBackend>(std::make_unique<warp::CpuWarpBackend>());
  }
  auto gl = render::GlWarpBackend::Create();
  if (gl.ok()) return std::unique_ptr<warp::WarpBackend>(std::move(gl).value());
  if (backend == Backend::kGl) return gl.error();
  spdlog::warn("GL backend unavailable ({}); using the CPU backend", gl.error().message);
  return std::unique_ptr<warp::WarpBackend>(std::make_unique<warp::CpuWarpBackend>());
}

}  // namespace fw::app
