#include "core/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <utility>
#include <vector>

#include "core/fd_writer.h"

namespace fw::core {
namespace {

constexpr size_t kMaxKeptExtension = 16;

std::string Why(int error) { return std::strerror(error); }

bool IsOwnDescriptor(const std::string& path) {
  for (const char* prefix : {"/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/"}) {
    if (path.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

Error CannotWrite(const std::string& target, const std::string& why) {
  return Error::Runtime("cannot write " + target + ": " + why);
}

}  // namespace

Result<PendingFile> PendingFile::Create(const std::string& target) {
  PendingFile file;
  file.target_ = target;
  struct stat st;
  if (lstat(target.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) return CannotWrite(target, "it is a directory");
    // Written in place, never replaced. O_NONBLOCK: a FIFO without a reader fails at once
    // (ENXIO) instead of hanging; writes wait in poll() instead of write(). One of this
    // process's own descriptors (/dev/stdout redirected to a file) is appended to, as the
    // shell's redirection may already hold other output.
    const bool own_descriptor = IsOwnDescriptor(target);
    const int fd = open(target.c_str(), O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC |
                                            (own_descriptor ? O_APPEND : 0));
    if (fd < 0) {
      const int e = errno;
      if (e == ENXIO) return CannotWrite(target, "no process is reading it");
      return CannotWrite(target, Why(e));
    }
    struct stat opened;
    if (fstat(fd, &opened) == 0) {
      if (S_ISDIR(opened.st_mode)) {
        close(fd);
        return CannotWrite(target, "it is a directory");
      }
      if (S_ISREG(opened.st_mode) && !own_descriptor && ftruncate(fd, 0) != 0) {
        const int e = errno;
        close(fd);
        return CannotWrite(target, Why(e));
      }
    }
    file.fd_ = fd;
    return file;
  }

  const std::filesystem::path path(target);
  const std::filesystem::path parent = path.has_parent_path() ? path.parent_path() : ".";
  std::string pattern = (parent / ".facewarp-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {  // mode 0700, a fresh unpredictable name
    const int e = errno;
    if (e == ENOENT) return CannotWrite(target, "directory " + parent.string() + " does not exist");
    return CannotWrite(target, Why(e));
  }
  file.dir_ = pattern;
  std::string extension = path.extension().string();
  if (extension.size() > kMaxKeptExtension) extension.clear();
  file.temp_ = file.dir_ + "/out" + extension;
  const int fd = open(file.temp_.c_str(),
                      O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0666);
  if (fd < 0) {
    const int e = errno;
    rmdir(file.dir_.c_str());
    file.dir_.clear();
    file.temp_.clear();
    return CannotWrite(target, Why(e));
  }
  file.fd_ = fd;
  return file;
}

PendingFile::PendingFile(PendingFile&& other) noexcept
    : target_(std::move(other.target_)),
      dir_(std::move(other.dir_)),
      temp_(std::move(other.temp_)),
      fd_(std::exchange(other.fd_, -1)) {
  other.dir_.clear();
  other.temp_.clear();
}

PendingFile& PendingFile::operator=(PendingFile&& other) noexcept {
  if (this != &other) {
    Discard();
    target_ = std::move(other.target_);
    dir_ = std::move(other.dir_);
    temp_ = std::move(other.temp_);
    fd_ = std::exchange(other.fd_, -1);
    other.dir_.clear();
    other.temp_.clear();
  }
  return *this;
}

PendingFile::~PendingFile() { Discard(); }

Status PendingFile::Write(const void* data, size_t size) {
  if (fd_ < 0) return Error::Runtime("internal: write to a closed output " + target_);
  return WriteAllToFd(fd_, data, size, target_);
}

Status PendingFile::Commit() {
  if (fd_ < 0) return Error::Runtime("internal: commit of an inactive file " + target_);
  const int rc = close(std::exchange(fd_, -1));
  if (rc != 0) {
    const int e = errno;
    Discard();
    return CannotWrite(target_, Why(e));
  }
  if (temp_.empty()) return Status::Ok();  // written in place
  if (std::rename(temp_.c_str(), target_.c_str()) != 0) {
    const int e = errno;
    Discard();
    return CannotWrite(target_, Why(e));
  }
  rmdir(dir_.c_str());
  dir_.clear();
  temp_.clear();
  return Status::Ok();
}

void PendingFile::Discard() {
  if (fd_ >= 0) close(std::exchange(fd_, -1));
  if (!temp_.empty()) {
    unlink(temp_.c_str());
    temp_.clear();
  }
  if (!dir_.empty()) {
    // Writers that open by name may have left siblings (an encoder's side file): the
    // directory is ours alone, so everything in it goes.
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    dir_.clear();
  }
}

Result<PendingFileSet> PendingFileSet::Create(const std::string& pattern) {
  const std::filesystem::path path(pattern);
  const std::filesystem::path parent = path.has_parent_path() ? path.parent_path() : ".";
  if (parent.string().find('%') != std::string::npos) {
    return CannotWrite(pattern, "only the file name may vary, not its directory");
  }
  if (!path.has_filename()) return CannotWrite(pattern, "it names a directory");
  std::string dir = (parent / ".facewarp-XXXXXX").string();
  if (mkdtemp(dir.data()) == nullptr) {  // mode 0700, a fresh unpredictable name
    const int e = errno;
    if (e == ENOENT) {
      return CannotWrite(pattern, "directory " + parent.string() + " does not exist");
    }
    return CannotWrite(pattern, Why(e));
  }
  PendingFileSet set;
  set.pattern_ = pattern;
  set.target_dir_ = parent.string();
  set.dir_ = dir;
  set.temp_pattern_ = dir + "/" + path.filename().string();
  return set;
}

PendingFileSet::PendingFileSet(PendingFileSet&& other) noexcept
    : pattern_(std::move(other.pattern_)),
      target_dir_(std::move(other.target_dir_)),
      dir_(std::move(other.dir_)),
      temp_pattern_(std::move(other.temp_pattern_)) {
  other.dir_.clear();
}

PendingFileSet& PendingFileSet::operator=(PendingFileSet&& other) noexcept {
  if (this != &other) {
    Discard();
    pattern_ = std::move(other.pattern_);
    target_dir_ = std::move(other.target_dir_);
    dir_ = std::move(other.dir_);
    temp_pattern_ = std::move(other.temp_pattern_);
    other.dir_.clear();
  }
  return *this;
}

PendingFileSet::~PendingFileSet() { Discard(); }

Status PendingFileSet::Commit() {
  if (dir_.empty()) return Error::Runtime("internal: commit of an inactive file set " + pattern_);
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    names.push_back(entry.path().filename().string());
  }
  if (ec) {
    Discard();
    return CannotWrite(pattern_, ec.message());
  }
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    const std::string target = (std::filesystem::path(target_dir_) / name).string();
    if (std::rename((dir_ + "/" + name).c_str(), target.c_str()) != 0) {
      const int e = errno;
      Discard();
      return CannotWrite(target, Why(e));
    }
  }
  rmdir(dir_.c_str());
  dir_.clear();
  return Status::Ok();
}

void PendingFileSet::Discard() {
  if (dir_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  dir_.clear();
}

Status WriteFileAtomically(const std::string& path, const std::string& contents) {
  FW_ASSIGN_OR_RETURN(PendingFile file, PendingFile::Create(path));
  FW_RETURN_IF_ERROR(file.Write(contents));
  return file.Commit();
}

}  // namespace fw::core
