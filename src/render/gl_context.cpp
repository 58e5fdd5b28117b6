// GLFW window and GL 3.3 core context. Main thread only.
#include "render/gl_context.h"

#include <glad/gl.h>
#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <cstdlib>
#include <string>

#include "core/log.h"

namespace fw::render {

namespace {

bool g_glfw_initialised = false;
std::string g_last_glfw_error;

void OnGlfwError(int code, const char* description) {
  g_last_glfw_error = description != nullptr ? description : "unknown GLFW error";
  spdlog::debug("GLFW error {}: {}", code, g_last_glfw_error);
}

core::Error ContextError(const std::string& reason) {
  return core::Error::Runtime("cannot create an OpenGL 3.3 context: " + reason +
                              " (no display? run under xvfb-run, or use --backend cpu)");
}

std::string GlString(GLenum name) {
  const GLubyte* s = glGetString(name);
  return s != nullptr ? reinterpret_cast<const char*>(s) : "";
}

// GLFW is initialised by the first context and stays so until exit: cycling glfwInit and
// glfwTerminate leaks X connections (Xlib/Mesa GLX) until the server refuses new ones.
core::Status InitialiseGlfwOnce() {
  if (g_glfw_initialised) return core::Status::Ok();
  glfwSetErrorCallback(OnGlfwError);
  g_last_glfw_error.clear();
  if (glfwInit() != GLFW_TRUE) return ContextError(g_last_glfw_error);
  std::atexit([] { glfwTerminate(); });
  g_glfw_initialised = true;
  return core::Status::Ok();
}

}  // namespace

core::Result<std::unique_ptr<GlContext>> GlContext::Create(const GlContextOptions& options) {
  FW_RETURN_IF_ERROR(InitialiseGlfwOnce());
  g_last_glfw_error.clear();
  glfwDefaultWindowHints();
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_VISIBLE, options.visible ? GLFW_TRUE : GLFW_FALSE);
  glfwWindowHint(GLFW_DEPTH_BITS, 0);
  glfwWindowHint(GLFW_STENCIL_BITS, 0);
  GLFWwindow* window = glfwCreateWindow(options.width > 0 ? options.width : 1,
                                        options.height > 0 ? options.height : 1,
                                        options.title.c_str(), nullptr, nullptr);
  if (window == nullptr) {
    return ContextError(g_last_glfw_error.empty() ? "window creation failed" : g_last_glfw_error);
  }
  std::unique_ptr<GlContext> context(new GlContext(window));
  glfwMakeContextCurrent(window);
  const int version = gladLoadGL(glfwGetProcAddress);
  if (version == 0) return ContextError("cannot load the OpenGL functions");
  if (GLAD_VERSION_MAJOR(version) * 100 + GLAD_VERSION_MINOR(version) < 303) {
    return ContextError("the driver offers only OpenGL " +
                        std::to_string(GLAD_VERSION_MAJOR(version)) + "." +
                        std::to_string(GLAD_VERSION_MINOR(version)));
  }
  glfwSwapInterval(options.visible && options.vsync ? 1 : 0);
  context->renderer_ = GlString(GL_RENDERER);
  context->version_ = GlString(GL_VERSION);
  spdlog::debug("OpenGL context: {} / {}", context->renderer_, context->version_);
  return context;
}

GlContext::GlContext(GLFWwindow* window) : window_(window) {}

GlContext::~GlContext() {
  if (glfwGetCurrentContext() == window_) glfwMakeContextCurrent(nullptr);
  glfwDestroyWindow(window_);
}

void GlContext::MakeCurrent() {
  if (glfwGetCurrentContext() != window_) glfwMakeContextCurrent(window_);
}

bool GlContext::ShouldClose() const { return glfwWindowShouldClose(window_) == GLFW_TRUE; }

void GlContext::SwapBuffers() { glfwSwapBuffers(window_); }

void GlContext::PollEvents() { glfwPollEvents(); }

void GlContext::FramebufferSize(int& width, int& height) const {
  glfwGetFramebufferSize(window_, &width, &height);
}

}  // namespace fw::render
