#include "core/fd_writer.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "core/stop_signal.h"

namespace fw::core {
namespace {

constexpr int kPollSliceMs = 100;

Status Interrupted(const std::string& name) {
  return Error::Runtime(std::string("interrupted by ") + StopSignalName() + " while writing to " +
                        name);
}

}  // namespace

Status WriteAllToFd(int fd, const void* data, size_t size, const std::string& name) {
  const auto* p = static_cast<const uint8_t*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, p, size);
    if (n > 0) {
      p += n;
      size -= static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) {
      if (StopRequested()) return Interrupted(name);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      // The reader is behind: wait for room, a slice at a time, so a stop is noticed.
      pollfd pfd{fd, POLLOUT, 0};
      const int ready = ::poll(&pfd, 1, kPollSliceMs);
      if (StopRequested()) return Interrupted(name);
      if (ready < 0 && errno != EINTR) {
        return Error::Runtime("cannot write to " + name + ": " + std::strerror(errno));
      }
      continue;
    }
    if (n < 0 && errno == EPIPE) {
      return Error::Runtime("cannot write to " + name + ": the reader closed the pipe");
    }
    const std::string why = n < 0 ? std::strerror(errno) : "nothing was written";
    return Error::Runtime("cannot write to " + name + ": " + why);
  }
  return Status::Ok();
}

NonBlockingWhilePipe::NonBlockingWhilePipe(int fd) : fd_(fd) {
  struct stat st;
  if (fstat(fd, &st) != 0 || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) return;
  const int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || (flags & O_NONBLOCK) != 0) return;
  if (fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0) old_flags_ = flags;
}

NonBlockingWhilePipe::~NonBlockingWhilePipe() {
  if (old_flags_ >= 0) fcntl(fd_, F_SETFL, old_flags_);
}

}  // namespace fw::core
