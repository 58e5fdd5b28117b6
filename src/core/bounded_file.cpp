#include "core/bounded_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace fw::core {
namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

Error Cannot(const std::string& what, const std::string& path, const std::string& why) {
  return Error::Runtime("cannot read " + what + " " + path + ": " + why);
}

// Opens without blocking (O_NONBLOCK: a FIFO with no writer would wait forever) and checks the
// open file: regular, within the limit. On success the descriptor is blocking again.
Result<int> OpenChecked(const std::string& path, const std::string& what, uint64_t max_bytes,
                        uint64_t* size) {
  const int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    const int err = errno;
    return Cannot(what, path, err == ENOENT ? "no such file" : std::strerror(err));
  }
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    const int err = errno;
    close(fd);
    return Cannot(what, path, std::strerror(err));
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return Cannot(what, path, S_ISDIR(st.st_mode) ? "it is a directory" : "not a regular file");
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    close(fd);
    return Cannot(what, path,
                  "the file is " + FormatBytes(static_cast<uint64_t>(st.st_size)) +
                      ", more than the limit of " + FormatBytes(max_bytes));
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  *size = static_cast<uint64_t>(st.st_size);
  return fd;
}

}  // namespace

std::string FormatBytes(uint64_t bytes) {
  char text[64];
  if (bytes < 1024) {
    std::snprintf(text, sizeof(text), "%llu bytes", static_cast<unsigned long long>(bytes));
  } else if (bytes < (1ull << 20)) {
    std::snprintf(text, sizeof(text), "%.4g KiB", static_cast<double>(bytes) / 1024.0);
  } else if (bytes < (1ull << 30)) {
    std::snprintf(text, sizeof(text), "%.4g MiB", static_cast<double>(bytes) / (1 << 20));
  } else {
    std::snprintf(text, sizeof(text), "%.4g GiB", static_cast<double>(bytes) / (1 << 30));
  }
  return text;
}

Status CheckBoundedRegularFile(const std::string& path, const std::string& what,
                               uint64_t max_bytes) {
  uint64_t size = 0;
  FW_ASSIGN_OR_RETURN(const int fd, OpenChecked(path, what, max_bytes, &size));
  close(fd);
  return Status::Ok();
}

Result<std::string> ReadBoundedFile(const std::string& path, const std::string& what,
                                    uint64_t max_bytes) {
  uint64_t size = 0;
  FW_ASSIGN_OR_RETURN(const int opened, OpenChecked(path, what, max_bytes, &size));
  const Fd fd(opened);
  std::string contents;
  contents.reserve(size);
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = read(fd.get(), buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Cannot(what, path, std::strerror(errno));
    }
    if (n == 0) break;
    if (contents.size() + static_cast<uint64_t>(n) > max_bytes) {
      return Cannot(what, path, "the file grew past the limit of " + FormatBytes(max_bytes));
    }
    contents.append(buffer, static_cast<size_t>(n));
  }
  return contents;
}

}  // namespace fw::core
