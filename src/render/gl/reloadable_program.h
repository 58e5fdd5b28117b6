// A shader program that rebuilds itself when one of its files changes on disk (hot reload).
// A broken edit keeps the last good program and exposes the error for the UI. Main thread only.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "render/gl/shader.h"

namespace fw::render {

class ReloadableProgram {
 public:
  // Builds spec from dir; fails (with the file name and whole log) if the first build fails.
  static core::Result<ReloadableProgram> Create(std::string dir, ProgramSpec spec);

  ReloadableProgram(ReloadableProgram&&) noexcept = default;
  ReloadableProgram& operator=(ReloadableProgram&&) noexcept = default;

  GLuint id() const { return program_.id(); }

  // Cheap enough to call every frame: looks at the files' modification times at most once per
  // check_interval. Returns true when a changed file was rebuilt successfully and id() is a new
  // program (whose uniform locations the caller must look up again). A failed rebuild keeps
  // the old program and sets last_error(); a later successful one clears it.
  bool ReloadIfChanged();
  const std::string& last_error() const { return last_error_; }
  const std::vector<std::filesystem::path>& files() const { return files_; }

  // How often ReloadIfChanged looks at the files (default 250 ms), counted from now.
  void set_check_interval(std::chrono::milliseconds interval) {
    check_interval_ = interval;
    next_check_ = std::chrono::steady_clock::now() + interval;
  }

 private:
  using FileTime = std::filesystem::file_time_type;

  ReloadableProgram(std::string dir, ProgramSpec spec, BuiltProgram built);
  void Watch(const std::vector<std::string>& files);

  std::string dir_;
  ProgramSpec spec_;
  GlProgram program_;
  std::vector<std::filesystem::path> files_;  // paths, so checks need no conversion
  std::vector<FileTime> mtimes_;
  std::string last_error_;
  std::chrono::milliseconds check_interval_{250};
  std::chrono::steady_clock::time_point next_check_;
};

// A ReloadableProgram with its uniform locations (Uniforms, found by look_up), looked up again
// whenever the program is rebuilt: what each render pass holds.
template <class Uniforms>
class PassProgram {
 public:
  using LookUp = Uniforms (*)(GLuint program);
  PassProgram(ReloadableProgram program, LookUp look_up)
      : program_(std::move(program)), look_up_(look_up), uniforms_(look_up_(program_.id())) {}

  GLuint id() const { return program_.id(); }
  const Uniforms& uniforms() const { return uniforms_; }
  // ReloadableProgram::ReloadIfChanged, with the uniforms of a new program looked up.
  bool ReloadIfChanged() {
    if (!program_.ReloadIfChanged()) return false;
    uniforms_ = look_up_(program_.id());
    return true;
  }
  const std::string& last_error() const { return program_.last_error(); }

 private:
  ReloadableProgram program_;
  LookUp look_up_;
  Uniforms uniforms_;
};

}  // namespace fw::render
