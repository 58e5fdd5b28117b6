// A GLFW window with its OpenGL 3.3 core context: visible for the live preview, hidden for
// headless GL work. Main thread only: create, use and destroy it on the frame-loop thread.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"

struct GLFWwindow;

namespace fw::render {

struct GlContextOptions {
  int width = 1280;  // window size in screen coordinates (a hidden window only needs 1x1)
  int height = 720;
  std::string title = "facewarp";
  bool visible = false;
  bool vsync = true;  // visible windows only
};

class GlContext {
 public:
  // Initialises GLFW (once per process, with its error callback installed first; terminated at
  // exit), opens the window, makes its context current and loads the GL functions. Fails with
  // "cannot create an OpenGL 3.3 context: <GLFW's reason>" when there is no display or no 3.3
  // core context.
  static core::Result<std::unique_ptr<GlContext>> Create(const GlContextOptions& options);
  ~GlContext();  // destroys the window (and its context)

  GlContext(const GlContext&) = delete;
  GlContext& operator=(const GlContext&) = delete;

  GLFWwindow* window() const { return window_; }
  // Makes this context current on the calling thread (a no-op when it already is).
  void MakeCurrent();
  bool ShouldClose() const;
  void SwapBuffers();
  static void PollEvents();
  // The default framebuffer's size in pixels (differs from the window size on HiDPI screens).
  void FramebufferSize(int& width, int& height) const;
  // GL_RENDERER and GL_VERSION, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)", "4.5 (Core Profile)...".
  const std::string& renderer() const { return renderer_; }
  const std::string& version() const { return version_; }

 private:
  explicit GlContext(GLFWwindow* window);

  GLFWwindow* window_;
  std::string renderer_;
  std::string version_;
};

}  // namespace fw::render
