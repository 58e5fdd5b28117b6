// The GL warp backend. Main thread only.
#include "render/gl_warp_backend.h"

#include <chrono>
#include <cstdlib>
#include <string>
#include <utility>

#include "core/log.h"

namespace fw::render {

core::Result<std::unique_ptr<GlWarpBackend>> GlWarpBackend::Create(const std::string& shader_dir) {
  GlContextOptions options;
  options.width = 1;
  options.height = 1;
  options.title = "facewarp (headless)";
  options.visible = false;
  auto context = GlContext::Create(options);
  if (!context) return context.error();
  auto renderer = WarpRenderer::Create(shader_dir);
  if (!renderer) return renderer.error();
  std::unique_ptr<GlWarpBackend> backend(
      new GlWarpBackend(std::move(context).value(), std::move(renderer).value()));
  const std::string& name = backend->context_->renderer();
  backend->takes_planes_ = !IsSoftwareRenderer(name);
  const char* force = std::getenv("FACEWARP_GL_PLANES");
  if (force != nullptr && (std::string(force) == "0" || std::string(force) == "1")) {
    backend->takes_planes_ = std::string(force) == "1";
  }
  spdlog::debug("GL backend on {}: planar frames converted {}", name,
                backend->takes_planes_ ? "in shaders" : "on the CPU");
  return backend;
}

bool GlWarpBackend::IsSoftwareRenderer(const std::string& renderer) {
  for (const char* software : {"llvmpipe", "softpipe", "swrast", "Software Rasterizer"}) {
    if (renderer.find(software) != std::string::npos) return true;
  }
  return false;
}

GlWarpBackend::GlWarpBackend(std::unique_ptr<GlContext> context, WarpRenderer renderer)
    : context_(std::move(context)), renderer_(std::move(renderer)) {}

GlWarpBackend::~GlWarpBackend() { context_->MakeCurrent(); }

core::Status GlWarpBackend::Warp(const cv::Mat& src, const warp::WarpPlan& plan, cv::Mat& dst) {
  return WarpWithLooks(src, plan, looks::LookPlan{}, dst);
}

template <class Read>
core::Status GlWarpBackend::WarpUploaded(const warp::WarpPlan& plan, const looks::LookPlan& looks,
                                         Read read) {
  FW_RETURN_IF_ERROR(renderer_.Warp(plan));
  FW_RETURN_IF_ERROR(renderer_.DrawLooks(looks));
  const auto t0 = std::chrono::steady_clock::now();
  core::Status status = read();
  last_readback_ms_ =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return status;
}

core::Status GlWarpBackend::WarpWithLooks(const cv::Mat& src, const warp::WarpPlan& plan,
                                          const looks::LookPlan& looks, cv::Mat& dst) {
  context_->MakeCurrent();
  FW_RETURN_IF_ERROR(renderer_.Upload(src));
  return WarpUploaded(plan, looks, [&] { return renderer_.Read(dst); });
}

core::Status GlWarpBackend::WarpYuvWithLooks(const core::YuvImage& src, const warp::WarpPlan& plan,
                                             const looks::LookPlan& looks, core::YuvImage& dst) {
  context_->MakeCurrent();
  FW_RETURN_IF_ERROR(renderer_.Upload(src));
  return WarpUploaded(plan, looks, [&] { return renderer_.ReadYuv(dst); });
}

core::Status GlWarpBackend::WarpYuvWithLooks(const core::YuvImage& src, const warp::WarpPlan& plan,
                                             const looks::LookPlan& looks, cv::Mat& dst) {
  context_->MakeCurrent();
  FW_RETURN_IF_ERROR(renderer_.Upload(src));
  return WarpUploaded(plan, looks, [&] { return renderer_.Read(dst); });
}

}  // namespace fw::render
