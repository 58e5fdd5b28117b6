#include "core/atomic_file.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace fw::core {

std::string TemporaryPathFor(const std::string& target) {
  static std::atomic<int> counter{0};
  const std::filesystem::path p(target);
  const std::string name = "." + p.stem().string() + ".facewarp-" + std::to_string(getpid()) +
                           "-" + std::to_string(counter++) + p.extension().string();
  return (p.parent_path() / name).string();
}

PendingFile::PendingFile(std::string target)
    : target_(std::move(target)), temp_(TemporaryPathFor(target_)), active_(true) {}

PendingFile::PendingFile(PendingFile&& other) noexcept
    : target_(std::move(other.target_)), temp_(std::move(other.temp_)), active_(other.active_) {
  other.active_ = false;
}

PendingFile& PendingFile::operator=(PendingFile&& other) noexcept {
  if (this != &other) {
    Discard();
    target_ = std::move(other.target_);
    temp_ = std::move(other.temp_);
    active_ = other.active_;
    other.active_ = false;
  }
  return *this;
}

PendingFile::~PendingFile() { Discard(); }

Status PendingFile::Commit() {
  if (!active_) return Error::Runtime("internal: commit of an inactive file " + target_);
  if (std::rename(temp_.c_str(), target_.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    Discard();
    return Error::Runtime("cannot write " + target_ + ": " + why);
  }
  active_ = false;
  return Status::Ok();
}

void PendingFile::Discard() {
  if (!active_) return;
  std::remove(temp_.c_str());
  active_ = false;
}

Status WriteFileAtomically(const std::string& path, const std::string& contents) {
  PendingFile file(path);
  {
    std::ofstream out(file.temp_path(), std::ios::binary | std::ios::trunc);
    if (!out) {
      return Error::Runtime("cannot write " + path + ": " + std::strerror(errno));
    }
    out << contents;
    out.flush();
    if (!out) return Error::Runtime("cannot write " + path + ": write failed");
  }
  return file.Commit();
}

}  // namespace fw::core
