// One move-only RAII owner for every kind of GL name (textures, buffers, framebuffers, vertex
// arrays, samplers, shaders, programs). Main thread only: the context that made a name must be
// current when its handle is destroyed.
#pragma once

#include <glad/gl.h>

#include <utility>

namespace fw::render {

// Traits: static GLuint Create(args...) and static void Destroy(GLuint).
template <class Traits>
class GlHandle {
 public:
  GlHandle() = default;
  explicit GlHandle(GLuint id) : id_(id) {}
  ~GlHandle() { Reset(); }

  GlHandle(const GlHandle&) = delete;
  GlHandle& operator=(const GlHandle&) = delete;
  GlHandle(GlHandle&& other) noexcept : id_(std::exchange(other.id_, 0)) {}
  GlHandle& operator=(GlHandle&& other) noexcept {
    if (this != &other) {
      Reset();
      id_ = std::exchange(other.id_, 0);
    }
    return *this;
  }

  template <class... Args>
  static GlHandle Create(Args... args) {
    return GlHandle(Traits::Create(args...));
  }

  GLuint id() const { return id_; }
  explicit operator bool() const { return id_ != 0; }

  void Reset() {
    if (id_ != 0) Traits::Destroy(id_);
    id_ = 0;
  }

 private:
  GLuint id_ = 0;
};

namespace gl_traits {

struct Texture {
  static GLuint Create() {
    GLuint id = 0;
    glGenTextures(1, &id);
    return id;
  }
  static void Destroy(GLuint id) { glDeleteTextures(1, &id); }
};

struct Buffer {
  static GLuint Create() {
    GLuint id = 0;
    glGenBuffers(1, &id);
    return id;
  }
  static void Destroy(GLuint id) { glDeleteBuffers(1, &id); }
};

struct Framebuffer {
  static GLuint Create() {
    GLuint id = 0;
    glGenFramebuffers(1, &id);
    return id;
  }
  static void Destroy(GLuint id) { glDeleteFramebuffers(1, &id); }
};

struct VertexArray {
  static GLuint Create() {
    GLuint id = 0;
    glGenVertexArrays(1, &id);
    return id;
  }
  static void Destroy(GLuint id) { glDeleteVertexArrays(1, &id); }
};

struct Sampler {
  static GLuint Create() {
    GLuint id = 0;
    glGenSamplers(1, &id);
    return id;
  }
  static void Destroy(GLuint id) { glDeleteSamplers(1, &id); }
};

struct Shader {
  static GLuint Create(GLenum stage) { return glCreateShader(stage); }
  static void Destroy(GLuint id) { glDeleteShader(id); }
};

struct Program {
  static GLuint Create() { return glCreateProgram(); }
  static void Destroy(GLuint id) { glDeleteProgram(id); }
};

}  // namespace gl_traits

using GlTexture = GlHandle<gl_traits::Texture>;
using GlBuffer = GlHandle<gl_traits::Buffer>;
using GlFramebuffer = GlHandle<gl_traits::Framebuffer>;
using GlVertexArray = GlHandle<gl_traits::VertexArray>;
using GlSampler = GlHandle<gl_traits::Sampler>;
using GlShader = GlHandle<gl_traits::Shader>;
using GlProgram = GlHandle<gl_traits::Program>;

}  // namespace fw::render
