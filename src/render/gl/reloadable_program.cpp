// Hot-reloading shader program. Main thread only.
#include "render/gl/reloadable_program.h"

#include <algorithm>
#include <system_error>
#include <utility>

namespace fw::render {

core::Result<ReloadableProgram> ReloadableProgram::Create(std::string dir, ProgramSpec spec) {
  auto built = BuildProgram(dir, spec);
  if (!built) return built.error();
  return ReloadableProgram(std::move(dir), std::move(spec), std::move(built).value());
}

ReloadableProgram::ReloadableProgram(std::string dir, ProgramSpec spec, BuiltProgram built)
    : dir_(std::move(dir)),
      spec_(std::move(spec)),
      program_(std::move(built.program)),
      next_check_(std::chrono::steady_clock::now() + check_interval_) {
  Watch(built.files);
}

void ReloadableProgram::Watch(const std::vector<std::string>& files) {
  files_.assign(files.begin(), files.end());
  mtimes_.clear();
  for (const std::filesystem::path& f : files_) {
    std::error_code ec;
    mtimes_.push_back(std::filesystem::last_write_time(f, ec));
    if (ec) mtimes_.back() = FileTime::min();
  }
}

bool ReloadableProgram::ReloadIfChanged() {
  const auto now = std::chrono::steady_clock::now();
  if (now < next_check_) return false;
  next_check_ = now + check_interval_;
  bool changed = false;
  for (size_t i = 0; i < files_.size(); ++i) {
    std::error_code ec;
    FileTime t = std::filesystem::last_write_time(files_[i], ec);
    if (ec) t = FileTime::min();
    if (t != mtimes_[i]) {
      mtimes_[i] = t;
      changed = true;
    }
  }
  if (!changed) return false;

  auto built = BuildProgram(dir_, spec_);
  if (!built) {
    last_error_ = built.error().message;
    return false;
  }
  program_ = std::move(built->program);
  // An edit may have added or dropped an #include.
  if (!std::equal(files_.begin(), files_.end(), built->files.begin(), built->files.end())) {
    Watch(built->files);
  }
  last_error_.clear();
  return true;
}

}  // namespace fw::render
