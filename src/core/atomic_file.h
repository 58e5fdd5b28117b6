// Writing files so that a failed run never leaves a partial output and nobody else can steer
// where the bytes go. A new target (or an existing regular file) is written to a temporary file
// created exclusively (O_CREAT|O_EXCL|O_NOFOLLOW) inside a private 0700 directory with an
// unpredictable name beside the target, ".facewarp-XXXXXX/out<ext>" (short, whatever the
// target's length, and keeping the extension for encoders that pick the container by it), and
// renamed over the target by Commit(). An existing target that is not a regular file (a
// symlink, device node, FIFO or socket, /dev/stdout...) is never replaced: it is opened and
// written in place (a regular file reached through a symlink is truncated first, except
// /dev/stdout, /dev/fd/N and the like, which are appended to), which cannot be undone.
// Thread-compatible.
#pragma once

#include <string>

#include "core/result.h"

namespace fw::core {

// Owns one output being written. Destruction without Commit() removes the temporary file and
// its directory. Move-only.
class PendingFile {
 public:
  // Checks the target and opens where the bytes go (runtime error naming the target if the
  // directory is missing or unwritable, the target is a directory, or an in-place target
  // cannot be opened, e.g. a FIFO with no reader).
  static Result<PendingFile> Create(const std::string& target);

  PendingFile() = default;
  PendingFile(PendingFile&& other) noexcept;
  PendingFile& operator=(PendingFile&& other) noexcept;
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;
  ~PendingFile();

  const std::string& target() const { return target_; }
  // The temporary file's path, for writers that open by name; empty when written in place.
  const std::string& temp_path() const { return temp_; }
  bool in_place() const { return temp_.empty(); }
  bool active() const { return fd_ >= 0; }
  int fd() const { return fd_; }

  // Appends bytes (core/fd_writer.h: a stop signal interrupts a wait on a stalled pipe).
  Status Write(const void* data, size_t size);
  Status Write(const std::string& bytes) { return Write(bytes.data(), bytes.size()); }

  // Closes the descriptor (reporting write errors that were deferred: a full disk, NFS) and
  // renames the temporary over the target. Any failure discards the temporary.
  Status Commit();
  void Discard();

 private:
  std::string target_;
  std::string dir_;   // the private directory, empty in place
  std::string temp_;  // dir_/out<ext>, empty in place
  int fd_ = -1;
};

// Files that a writer names by itself from a printf-style pattern ("frames/f%05d.png":
// GStreamer's multifilesink and splitmuxsink). The writer is given the pattern inside a private
// directory beside the pattern's own ("frames/.facewarp-XXXXXX/f%05d.png"); Commit() moves
// every file written there into the pattern's directory under its own name (replacing files of
// that name). Destruction without Commit() removes them all, so a failed run leaves none.
// Move-only.
class PendingFileSet {
 public:
  // Runtime error naming the pattern when its directory is missing or unwritable, or when
  // more than its file name would vary.
  static Result<PendingFileSet> Create(const std::string& pattern);

  PendingFileSet() = default;
  PendingFileSet(PendingFileSet&& other) noexcept;
  PendingFileSet& operator=(PendingFileSet&& other) noexcept;
  PendingFileSet(const PendingFileSet&) = delete;
  PendingFileSet& operator=(const PendingFileSet&) = delete;
  ~PendingFileSet();

  const std::string& pattern() const { return pattern_; }
  // The pattern the writer gets.
  const std::string& temp_pattern() const { return temp_pattern_; }

  // Moves the files written, in name order; a failure discards those not moved yet.
  Status Commit();
  void Discard();

 private:
  std::string pattern_;
  std::string target_dir_;
  std::string dir_;  // the private directory; empty once committed or discarded
  std::string temp_pattern_;
};

// The whole of `contents` to `path` through a PendingFile.
Status WriteFileAtomically(const std::string& path, const std::string& contents);

}  // namespace fw::core
