// Writing files so that a failed run never leaves a partial output: data goes to a temporary
// name beside the target and is renamed over it only when complete. Thread-compatible.
#pragma once

#include <string>

#include "core/result.h"

namespace fw::core {

// A temporary path in the target's directory that keeps the target's extension (so encoders
// that choose the container by extension still work): "dir/.name.facewarp-<pid>-<n>.ext".
std::string TemporaryPathFor(const std::string& target);

// Owns a temporary file: Commit() renames it to the target; destruction without Commit()
// removes it. Move-only.
class PendingFile {
 public:
  explicit PendingFile(std::string target);
  PendingFile(PendingFile&& other) noexcept;
  PendingFile& operator=(PendingFile&& other) noexcept;
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;
  ~PendingFile();

  const std::string& temp_path() const { return temp_; }
  const std::string& target() const { return target_; }
  Status Commit();
  void Discard();

 private:
  std::string target_;
  std::string temp_;
  bool active_ = false;
};

Status WriteFileAtomically(const std::string& path, const std::string& contents);

}  // namespace fw::core
