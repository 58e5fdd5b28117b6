#include "output/v4l2_device.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>

namespace fw::output {
namespace {

class SystemDevice : public V4l2Device {
 public:
  int Stat(const std::string& path, struct stat* st) override { return ::stat(path.c_str(), st); }

  int Open(const std::string& path, int flags) override { return ::open(path.c_str(), flags); }

  int Ioctl(int fd, unsigned long request, void* arg) override {
    int rc = 0;
    do {
      rc = ::ioctl(fd, request, arg);
    } while (rc < 0 && errno == EINTR);
    return rc;
  }

  ssize_t Write(int fd, const void* data, size_t size) override {
    ssize_t n = 0;
    do {
      n = ::write(fd, data, size);
    } while (n < 0 && errno == EINTR);
    return n;
  }

  // Not retried on EINTR: Linux releases the descriptor even when close() is interrupted.
  int Close(int fd) override { return ::close(fd); }
};

}  // namespace

std::shared_ptr<V4l2Device> SystemV4l2Device() {
  static const std::shared_ptr<V4l2Device> device = std::make_shared<SystemDevice>();
  return device;
}

}  // namespace fw::output
