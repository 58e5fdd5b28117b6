// Draws a frame texture into the window's default framebuffer, scaled to fit with its aspect
// ratio kept (black bars), image top at the window top, optionally with the unfiltered frame
// on the left for comparison. Main thread only.
#pragma once

#include <string>

#include "core/fit.h"
#include "core/result.h"
#include "render/gl/handle.h"
#include "render/gl/reloadable_program.h"

namespace fw::render {

// The viewport, in framebuffer pixels, that fits a width x height image into the window.
using ViewportRect = core::PixelRect;
// The image fitted (core::FitInside) into the part of the window right of `left_margin` pixels
// (a side panel).
ViewportRect FitViewportBeside(int image_width, int image_height, int window_width,
                               int window_height, int left_margin);

class PresentPass {
 public:
  // Builds fullscreen.vert + present.frag from shader_dir; needs a current context.
  static core::Result<PresentPass> Create(const std::string& shader_dir);

  // Clears framebuffer 0 (window_width x window_height pixels) to black and draws texture
  // (image_width x image_height) into FitViewportBeside(...); left of split (fraction of the image
  // width in [0, 1], 0 = off) it draws original (same size) instead. Sets every state it
  // depends on.
  void Draw(GLuint texture, GLuint original, float split, int image_width, int image_height,
            int window_width, int window_height, int left_margin = 0);

  bool ReloadIfChanged() { return program_.ReloadIfChanged(); }
  const std::string& shader_error() const { return program_.last_error(); }

 private:
  PresentPass(ReloadableProgram program, GlVertexArray vertex_array, GlSampler sampler);

  struct Uniforms {
    GLint image = -1;
    GLint original = -1;
    GLint split = -1;
  };
  static Uniforms LookUpUniforms(GLuint program);

  PassProgram<Uniforms> program_;
  GlVertexArray vertex_array_;
  GlSampler sampler_;
};

}  // namespace fw::render
