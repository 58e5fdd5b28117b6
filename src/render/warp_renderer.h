// The GL warp pipeline on the current context: upload an 8-bit BGR frame (or I420 planes,
// converted to RGB in a shader), warp it by the ops of every face into an output texture, then
// read it back (as BGR, or as I420 planes converted in shaders) or draw it into the window. Main
// thread only (the thread whose context is current).
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>
#include <string>

#include "core/result.h"
#include "core/yuv_image.h"
#include "looks/look_plan.h"
#include "render/appearance_pass.h"
#include "render/gl/texture.h"
#include "render/planes_to_rgb_pass.h"
#include "render/present_pass.h"
#include "render/readback.h"
#include "render/rgb_to_planes_pass.h"
#include "render/warp_pass.h"
#include "warp/uniform_pack.h"
#include "warp/warp_plan.h"

namespace fw::render {

class WarpRenderer {
 public:
  // Builds the shaders from shader_dir (empty: FindShaderDir()). Needs a current GL context,
  // which must stay current whenever this object is used or destroyed.
  static core::Result<WarpRenderer> Create(const std::string& shader_dir = "");

  // bgr: CV_8UC3 (any stride). The output takes the size of the last uploaded frame.
  core::Status Upload(const cv::Mat& bgr);
  // I420 planes (any row strides), uploaded as they are and converted to RGB on the GPU as
  // core::YuvToBgr converts them (within a level). Everything after is the same as for BGR.
  core::Status Upload(const core::YuvImage& yuv);
  // Renders the uploaded frame warped by plan (source-frame pixel coordinates) into
  // the output texture. Only the first warp::kMaxShaderFaces faces are warped; faces_dropped()
  // counts the rest. No allocation.
  core::Status Warp(const warp::WarpPlan& plan);
  core::Status Warp(const warp::PackedWarp& packed);
  // Draws the appearance layers of looks (meshes in output pixels, see warp/look_mapping.h) on
  // the output, after Warp. No-op for an empty plan.
  core::Status DrawLooks(const looks::LookPlan& looks);

  // Synchronous readback of the output into dst (BGR, dst reallocated only on size change).
  core::Status Read(cv::Mat& dst);
  // Synchronous readback of the output as I420 planes, converted on the GPU as core::BgrToYuv
  // converts BGR (to the level); dst as YuvImage::Create leaves it.
  core::Status ReadYuv(core::YuvImage& dst);

  // Draws the output into the current window's default framebuffer (framebuffer pixels, see
  // GlContext::FramebufferSize), letterboxed as FitViewportBeside says (use it to place overlays in
  // image coordinates). Left of split (fraction of the width, 0 = off) shows the uploaded,
  // unfiltered frame. Draw ImGui after this.
  void DrawToWindow(int framebuffer_width, int framebuffer_height, float split = 0.0f,
                    int left_margin = 0);

  int width() const { return target_.width(); }
  int height() const { return target_.height(); }
  int faces_dropped() const { return packed_.faces_dropped; }

  // Hot reload of every shader; call once per frame (it checks files a few times a second).
  // True when a program changed. shader_error() is "" or the last failed build's message.
  bool ReloadShadersIfChanged();
  const std::string& shader_error() const;

 private:
  WarpRenderer(PlanesToRgbPass planes_pass, WarpPass warp_pass, AppearancePass appearance_pass,
               RgbToPlanesPass readback_pass, PresentPass present_pass);

  PlanesToRgbPass planes_pass_;
  WarpPass warp_pass_;
  AppearancePass appearance_pass_;
  RgbToPlanesPass readback_pass_;
  PresentPass present_pass_;
  UploadTexture source_;
  RenderTarget target_;
  warp::PackedWarp packed_;
};

}  // namespace fw::render
