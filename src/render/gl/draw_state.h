// Fixed-function state every full-screen pass resets before it draws. Main thread only.
#pragma once

#include <glad/gl.h>

namespace fw::render {

// Blending, depth, stencil, scissor, culling and sRGB conversion off; all colour channels on.
inline void SetPlainDrawState() {
  glDisable(GL_BLEND);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_STENCIL_TEST);
  glDisable(GL_SCISSOR_TEST);
  glDisable(GL_CULL_FACE);
  glDisable(GL_FRAMEBUFFER_SRGB);
  glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
}

}  // namespace fw::render
