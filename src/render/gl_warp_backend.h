// warp::WarpBackend on the GPU for `--headless --backend gl`: a hidden GLFW window's GL 3.3
// context and a WarpRenderer. Main thread only: create, use and destroy it on one thread.
//
// Planar frames go through the shaders (takes_planes()) on a GPU. A software rasteriser
// (Mesa's llvmpipe, softpipe, swrast) runs those full-frame conversion passes on the CPU, far
// slower than libswscale and libyuv convert (llvmpipe, 720p: about 13 ms of CPU a frame
// against 1.1 ms for the CPU conversions with the BGR upload and readback), so there the
// frames are converted on the CPU as before. $FACEWARP_GL_PLANES=1 (or 0) forces the planar
// path on (or off) whatever the renderer.
#pragma once

#include <memory>
#include <opencv2/core.hpp>
#include <string>

#include "core/result.h"
#include "render/gl_context.h"
#include "render/warp_renderer.h"
#include "warp/warp_backend.h"

namespace fw::render {

class GlWarpBackend : public warp::WarpBackend {
 public:
  // Opens a hidden window (needs a display: X or Xvfb) and builds the shaders from shader_dir
  // (empty: FindShaderDir()). Errors say which of the two failed.
  static core::Result<std::unique_ptr<GlWarpBackend>> Create(const std::string& shader_dir = "");
  // Whether a renderer (GL_RENDERER) rasterises in software on the CPU.
  static bool IsSoftwareRenderer(const std::string& renderer);
  ~GlWarpBackend() override;

  const char* name() const override { return "gl"; }
  // Upload, warp and synchronous readback. Faces beyond warp::kMaxShaderFaces stay unwarped
  // (renderer().faces_dropped()).
  core::Status Warp(const cv::Mat& src, const warp::WarpPlan& plan, cv::Mat& dst) override;
  // The same with the appearance layers drawn on the GPU after the warp.
  core::Status WarpWithLooks(const cv::Mat& src, const warp::WarpPlan& plan,
                             const looks::LookPlan& looks, cv::Mat& dst) override;
  // I420 planes uploaded as they are and converted to RGB in a shader, warped and the looks
  // drawn as above, then read back as planes converted in shaders (1.5 bytes a pixel, nothing
  // left for the CPU to convert) or as BGR.
  bool takes_planes() const override { return takes_planes_; }
  core::Status WarpYuvWithLooks(const core::YuvImage& src, const warp::WarpPlan& plan,
                                const looks::LookPlan& looks, core::YuvImage& dst) override;
  core::Status WarpYuvWithLooks(const core::YuvImage& src, const warp::WarpPlan& plan,
                                const looks::LookPlan& looks, cv::Mat& dst) override;
  double last_readback_ms() const override { return last_readback_ms_; }

  // The steps one by one, for pipelined readback and per-stage timing. The context is current
  // after Create and Warp; call context().MakeCurrent() first if another context was used.
  WarpRenderer& renderer() { return renderer_; }
  GlContext& context() { return *context_; }

 private:
  GlWarpBackend(std::unique_ptr<GlContext> context, WarpRenderer renderer);
  // Warps the uploaded frame, draws looks and reads the result back with read (timed).
  template <class Read>
  core::Status WarpUploaded(const warp::WarpPlan& plan, const looks::LookPlan& looks, Read read);

  std::unique_ptr<GlContext> context_;
  WarpRenderer renderer_;  // destroyed first, while the context is current
  double last_readback_ms_ = 0.0;
  bool takes_planes_ = false;
};

}  // namespace fw::render
