// The system calls behind the virtual camera, behind an interface so that tests can stand in
// for a v4l2loopback device that test machines cannot load. Implementations are thread-safe:
// the sink opens and configures the device on its caller's thread and writes from its own.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <memory>
#include <string>

namespace fw::output {

// Each call returns as the system call it stands for does: -1 with errno set on failure
// (Write: the byte count taken, or -1 with errno).
class V4l2Device {
 public:
  virtual ~V4l2Device() = default;
  virtual int Stat(const std::string& path, struct stat* st) = 0;
  virtual int Open(const std::string& path, int flags) = 0;
  virtual int Ioctl(int fd, unsigned long request, void* arg) = 0;
  virtual ssize_t Write(int fd, const void* data, size_t size) = 0;
  virtual int Close(int fd) = 0;
};

// ::stat, ::open, ::ioctl, ::write and ::close; ioctl and write are retried on EINTR.
std::shared_ptr<V4l2Device> SystemV4l2Device();

}  // namespace fw::output
