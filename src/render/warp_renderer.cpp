// The GL warp pipeline. Main thread only.
#include "render/warp_renderer.h"

#include <utility>

#include "render/gl/shader.h"

namespace fw::render {

core::Result<WarpRenderer> WarpRenderer::Create(const std::string& shader_dir) {
  std::string dir = shader_dir;
  if (dir.empty()) {
    auto found = FindShaderDir();
    if (!found) return found.error();
    dir = std::move(found).value();
  }
  auto planes_pass = PlanesToRgbPass::Create(dir);
  if (!planes_pass) return planes_pass.error();
  auto warp_pass = WarpPass::Create(dir);
  if (!warp_pass) return warp_pass.error();
  auto appearance_pass = AppearancePass::Create(dir);
  if (!appearance_pass) return appearance_pass.error();
  auto readback_pass = RgbToPlanesPass::Create(dir);
  if (!readback_pass) return readback_pass.error();
  auto present_pass = PresentPass::Create(dir);
  if (!present_pass) return present_pass.error();
  return WarpRenderer(std::move(planes_pass).value(), std::move(warp_pass).value(),
                      std::move(appearance_pass).value(), std::move(readback_pass).value(),
                      std::move(present_pass).value());
}

WarpRenderer::WarpRenderer(PlanesToRgbPass planes_pass, WarpPass warp_pass,
                           AppearancePass appearance_pass, RgbToPlanesPass readback_pass,
                           PresentPass present_pass)
    : planes_pass_(std::move(planes_pass)),
      warp_pass_(std::move(warp_pass)),
      appearance_pass_(std::move(appearance_pass)),
      readback_pass_(std::move(readback_pass)),
      present_pass_(std::move(present_pass)) {}

core::Status WarpRenderer::Upload(const cv::Mat& bgr) { return source_.Upload(bgr); }

core::Status WarpRenderer::Upload(const core::YuvImage& yuv) {
  return planes_pass_.Draw(yuv, source_);
}

core::Status WarpRenderer::Warp(const warp::WarpPlan& plan) {
  warp::PackWarpPlan(plan, packed_);
  return Warp(packed_);
}

core::Status WarpRenderer::Warp(const warp::PackedWarp& packed) {
  if (source_.width() == 0) return core::Error::Runtime("GL warp before any frame was uploaded");
  FW_RETURN_IF_ERROR(target_.Resize(source_.width(), source_.height()));
  if (&packed != &packed_) packed_ = packed;
  warp_pass_.Draw(source_, packed_, target_);
  return core::Status::Ok();
}

core::Status WarpRenderer::DrawLooks(const looks::LookPlan& looks) {
  if (looks.empty()) return core::Status::Ok();
  if (target_.width() == 0) return core::Error::Runtime("GL looks before any warp");
  return appearance_pass_.Draw(looks, target_);
}

core::Status WarpRenderer::Read(cv::Mat& dst) { return ReadTarget(target_, dst); }

core::Status WarpRenderer::ReadYuv(core::YuvImage& dst) {
  if (target_.width() == 0) return core::Error::Runtime("GL readback before any warp");
  return readback_pass_.Read(target_, dst);
}

void WarpRenderer::DrawToWindow(int framebuffer_width, int framebuffer_height, float split,
                                int left_margin) {
  present_pass_.Draw(target_.texture(), source_.id(), split, target_.width(), target_.height(),
                     framebuffer_width, framebuffer_height, left_margin);
}

bool WarpRenderer::ReloadShadersIfChanged() {
  const bool planes_changed = planes_pass_.ReloadIfChanged();
  const bool warp_changed = warp_pass_.ReloadIfChanged();
  const bool appearance_changed = appearance_pass_.ReloadIfChanged();
  const bool readback_changed = readback_pass_.ReloadIfChanged();
  const bool present_changed = present_pass_.ReloadIfChanged();
  return planes_changed || warp_changed || appearance_changed || readback_changed ||
         present_changed;
}

const std::string& WarpRenderer::shader_error() const {
  if (!planes_pass_.shader_error().empty()) return planes_pass_.shader_error();
  if (!warp_pass_.shader_error().empty()) return warp_pass_.shader_error();
  if (!appearance_pass_.shader_error().empty()) return appearance_pass_.shader_error();
  if (!readback_pass_.shader_error().empty()) return readback_pass_.shader_error();
  return present_pass_.shader_error();
}

}  // namespace fw::render
