// A stand-in for a v4l2loopback device, for tests on machines that cannot load the module:
// answers VIDIOC_QUERYCAP with configurable capabilities, records every ioctl, fails open or
// VIDIOC_S_FMT with a chosen errno, lets a test change the format it gives back, and keeps the
// frames written. Thread-safe: the sink writes from its own thread. Header-only.
#pragma once

#include <linux/videodev2.h>
#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "output/v4l2_device.h"

namespace fw::iotest {

struct FakeV4l2Config {
  mode_t mode = S_IFCHR | 0660;  // what Stat reports
  int stat_errno = 0;            // nonzero: Stat fails with it
  int open_errno = 0;
  int querycap_errno = 0;
  std::string driver = "v4l2 loopback";
  uint32_t device_caps = V4L2_CAP_VIDEO_OUTPUT | V4L2_CAP_READWRITE | V4L2_CAP_STREAMING;
  int s_fmt_errno = 0;
  int s_parm_errno = 0;
  // The driver's changes to the format it was asked for, before S_FMT returns.
  std::function<void(v4l2_pix_format&)> adjust_format;
};

class FakeV4l2Device : public output::V4l2Device {
 public:
  static constexpr int kFd = 42;

  explicit FakeV4l2Device(FakeV4l2Config config = {}) : config_(std::move(config)) {}

  int Stat(const std::string& path, struct stat* st) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (config_.stat_errno != 0) return Fail(config_.stat_errno);
    *st = {};
    st->st_mode = config_.mode;
    return 0;
  }

  int Open(const std::string& path, int flags) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++open_calls_;
    open_flags_ = flags;
    if (config_.open_errno != 0) return Fail(config_.open_errno);
    ++opens_;
    open_ = true;
    return kFd;
  }

  int Ioctl(int fd, unsigned long request, void* arg) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (fd != kFd || !open_) return Fail(EBADF);
    ioctls_.push_back(request);
    if (request == VIDIOC_QUERYCAP) {
      if (config_.querycap_errno != 0) return Fail(config_.querycap_errno);
      auto* cap = static_cast<v4l2_capability*>(arg);
      *cap = {};
      std::strncpy(reinterpret_cast<char*>(cap->driver), config_.driver.c_str(),
                   sizeof(cap->driver) - 1);
      cap->device_caps = config_.device_caps;
      cap->capabilities = config_.device_caps | V4L2_CAP_DEVICE_CAPS;
      return 0;
    }
    if (request == VIDIOC_S_FMT) {
      auto* fmt = static_cast<v4l2_format*>(arg);
      requested_format_ = *fmt;
      if (config_.s_fmt_errno != 0) return Fail(config_.s_fmt_errno);
      if (config_.adjust_format) config_.adjust_format(fmt->fmt.pix);
      return 0;
    }
    if (request == VIDIOC_S_PARM) {
      parm_ = *static_cast<v4l2_streamparm*>(arg);
      if (config_.s_parm_errno != 0) return Fail(config_.s_parm_errno);
      return 0;
    }
    return Fail(ENOTTY);
  }

  ssize_t Write(int fd, const void* data, size_t size) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (fd != kFd || !open_) return Fail(EBADF);
    if (write_errno_ != 0) return Fail(write_errno_);
    const auto* bytes = static_cast<const uint8_t*>(data);
    frames_.emplace_back(bytes, bytes + size);
    write_times_.push_back(std::chrono::steady_clock::now());
    written_.notify_all();
    return static_cast<ssize_t>(size);
  }

  int Close(int fd) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (fd != kFd || !open_) return Fail(EBADF);
    open_ = false;
    ++closes_;
    return 0;
  }

  // From now on every write fails with `err`.
  void FailWrites(int err) {
    std::lock_guard<std::mutex> lock(mu_);
    write_errno_ = err;
  }

  // Waits until at least `count` frames have been written; false on timeout.
  bool WaitForFrames(size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::unique_lock<std::mutex> lock(mu_);
    return written_.wait_for(lock, timeout, [&] { return frames_.size() >= count; });
  }

  // Waits for a written frame that `pred` accepts, looking at frames from index `from` on;
  // returns its index, or -1 on timeout.
  int WaitForFrameWhere(const std::function<bool(const std::vector<uint8_t>&)>& pred,
                        size_t from = 0,
                        std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::unique_lock<std::mutex> lock(mu_);
    int found = -1;
    written_.wait_for(lock, timeout, [&] {
      for (size_t i = from; i < frames_.size(); ++i) {
        if (pred(frames_[i])) {
          found = static_cast<int>(i);
          return true;
        }
      }
      return false;
    });
    return found;
  }

  std::vector<unsigned long> ioctls() const { return Locked(ioctls_); }
  std::optional<v4l2_format> requested_format() const { return Locked(requested_format_); }
  std::optional<v4l2_streamparm> parm() const { return Locked(parm_); }
  size_t frame_count() const { return Locked(frames_).size(); }
  std::vector<uint8_t> frame(size_t i) const {
    std::lock_guard<std::mutex> lock(mu_);
    return frames_.at(i);
  }
  std::vector<std::vector<uint8_t>> frames() const { return Locked(frames_); }
  std::vector<std::chrono::steady_clock::time_point> write_times() const {
    return Locked(write_times_);
  }
  int open_calls() const { return Locked(open_calls_); }
  int opens() const { return Locked(opens_); }  // successful ones
  int closes() const { return Locked(closes_); }
  int open_flags() const { return Locked(open_flags_); }
  bool is_open() const { return Locked(open_); }

 private:
  static int Fail(int err) {
    errno = err;
    return -1;
  }

  template <class T>
  T Locked(const T& value) const {
    std::lock_guard<std::mutex> lock(mu_);
    return value;
  }

  mutable std::mutex mu_;
  std::condition_variable written_;
  FakeV4l2Config config_;
  bool open_ = false;
  int open_calls_ = 0;
  int opens_ = 0;
  int closes_ = 0;
  int open_flags_ = 0;
  int write_errno_ = 0;
  std::vector<unsigned long> ioctls_;
  std::optional<v4l2_format> requested_format_;
  std::optional<v4l2_streamparm> parm_;
  std::vector<std::vector<uint8_t>> frames_;
  std::vector<std::chrono::steady_clock::time_point> write_times_;
};

// Several device nodes at once, for the enumeration of cameras and virtual cameras: each path
// answers VIDIOC_QUERYCAP (driver, card, capabilities), VIDIOC_ENUM_FMT,
// VIDIOC_ENUM_FRAMESIZES (discrete or stepwise) and VIDIOC_ENUM_FRAMEINTERVALS as a driver
// does (EINVAL past the last entry), or fails open with a chosen errno (a busy device, one
// without permission). Paths not added do not exist. Thread-safe.
struct FakeV4l2Size {
  uint32_t width = 0;
  uint32_t height = 0;
  std::vector<uint32_t> fps;  // discrete rates, as intervals 1/fps
  bool stepwise = false;      // report width/height as the maximum of a 16..max stepwise range
};

struct FakeV4l2Format {
  uint32_t fourcc = V4L2_PIX_FMT_YUYV;
  std::string description = "YUYV 4:2:2";
  std::vector<FakeV4l2Size> sizes;
};

struct FakeV4l2Node {
  mode_t mode = S_IFCHR | 0660;
  int open_errno = 0;
  std::string driver = "uvcvideo";
  std::string card = "HD Webcam";
  uint32_t device_caps = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING;
  std::vector<FakeV4l2Format> formats;
};

// A UVC-like camera with YUYV and MJPG modes.
inline FakeV4l2Node FakeCamera(std::string card) {
  FakeV4l2Node node;
  node.card = std::move(card);
  node.formats = {{V4L2_PIX_FMT_YUYV, "YUYV 4:2:2", {{640, 480, {30, 15}}, {1280, 720, {10}}}},
                  {V4L2_PIX_FMT_MJPEG,
                   "Motion-JPEG",
                   {{1280, 720, {30, 60}}, {1920, 1080, {30}}, {640, 480, {30}}}}};
  return node;
}

// A v4l2loopback device as `modprobe v4l2loopback exclusive_caps=1 card_label=...` makes it:
// output while nobody writes to it, capture once a program does.
inline FakeV4l2Node FakeLoopback(std::string card, bool being_written = false) {
  FakeV4l2Node node;
  node.driver = "v4l2 loopback";
  node.card = std::move(card);
  node.device_caps = (being_written ? V4L2_CAP_VIDEO_CAPTURE : V4L2_CAP_VIDEO_OUTPUT) |
                     V4L2_CAP_READWRITE | V4L2_CAP_STREAMING;
  if (being_written) {
    node.formats = {{V4L2_PIX_FMT_YUYV, "YUYV 4:2:2", {{1280, 720, {30}}}}};
  }
  return node;
}

class FakeV4l2Bus : public output::V4l2Device {
 public:
  void Add(const std::string& path, FakeV4l2Node node) {
    std::lock_guard<std::mutex> lock(mu_);
    nodes_[path] = std::move(node);
  }

  int Stat(const std::string& path, struct stat* st) override {
    std::lock_guard<std::mutex> lock(mu_);
    const auto it = nodes_.find(path);
    if (it == nodes_.end()) return Fail(ENOENT);
    *st = {};
    st->st_mode = it->second.mode;
    return 0;
  }

  int Open(const std::string& path, int flags) override {
    std::lock_guard<std::mutex> lock(mu_);
    const auto it = nodes_.find(path);
    if (it == nodes_.end()) return Fail(ENOENT);
    if (it->second.open_errno != 0) return Fail(it->second.open_errno);
    open_flags_.push_back(flags);
    const int fd = next_fd_++;
    open_[fd] = path;
    return fd;
  }

  int Ioctl(int fd, unsigned long request, void* arg) override {
    std::lock_guard<std::mutex> lock(mu_);
    const auto it = open_.find(fd);
    if (it == open_.end()) return Fail(EBADF);
    const FakeV4l2Node& node = nodes_.at(it->second);
    if (request == VIDIOC_QUERYCAP) {
      auto* cap = static_cast<v4l2_capability*>(arg);
      *cap = {};
      std::strncpy(reinterpret_cast<char*>(cap->driver), node.driver.c_str(),
                   sizeof(cap->driver) - 1);
      std::strncpy(reinterpret_cast<char*>(cap->card), node.card.c_str(), sizeof(cap->card) - 1);
      cap->device_caps = node.device_caps;
      cap->capabilities = node.device_caps | V4L2_CAP_DEVICE_CAPS;
      return 0;
    }
    if (request == VIDIOC_ENUM_FMT) {
      auto* desc = static_cast<v4l2_fmtdesc*>(arg);
      const bool capture = (node.device_caps & V4L2_CAP_VIDEO_CAPTURE) != 0;
      if (desc->type != V4L2_BUF_TYPE_VIDEO_CAPTURE || !capture ||
          desc->index >= node.formats.size()) {
        return Fail(EINVAL);
      }
      const FakeV4l2Format& f = node.formats[desc->index];
      desc->pixelformat = f.fourcc;
      std::strncpy(reinterpret_cast<char*>(desc->description), f.description.c_str(),
                   sizeof(desc->description) - 1);
      return 0;
    }
    if (request == VIDIOC_ENUM_FRAMESIZES) {
      auto* size = static_cast<v4l2_frmsizeenum*>(arg);
      const FakeV4l2Format* f = FindFormat(node, size->pixel_format);
      if (f == nullptr || size->index >= f->sizes.size()) return Fail(EINVAL);
      const FakeV4l2Size& s = f->sizes[size->index];
      if (s.stepwise) {
        if (size->index > 0) return Fail(EINVAL);
        size->type = V4L2_FRMSIZE_TYPE_STEPWISE;
        size->stepwise = {16, s.width, 2, 16, s.height, 2};
      } else {
        size->type = V4L2_FRMSIZE_TYPE_DISCRETE;
        size->discrete = {s.width, s.height};
      }
      return 0;
    }
    if (request == VIDIOC_ENUM_FRAMEINTERVALS) {
      auto* ival = static_cast<v4l2_frmivalenum*>(arg);
      const FakeV4l2Format* f = FindFormat(node, ival->pixel_format);
      if (f == nullptr) return Fail(EINVAL);
      for (const FakeV4l2Size& s : f->sizes) {
        const bool fits = s.stepwise ? ival->width <= s.width && ival->height <= s.height
                                     : ival->width == s.width && ival->height == s.height;
        if (!fits) continue;
        if (ival->index >= s.fps.size()) return Fail(EINVAL);
        ival->type = V4L2_FRMIVAL_TYPE_DISCRETE;
        ival->discrete = {1, s.fps[ival->index]};
        return 0;
      }
      return Fail(EINVAL);
    }
    return Fail(ENOTTY);
  }

  ssize_t Write(int, const void*, size_t) override { return Fail(EINVAL); }

  int Close(int fd) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (open_.erase(fd) == 0) return Fail(EBADF);
    return 0;
  }

  // Descriptors opened and not closed yet.
  size_t open_count() const {
    std::lock_guard<std::mutex> lock(mu_);
    return open_.size();
  }
  std::vector<int> open_flags() const {
    std::lock_guard<std::mutex> lock(mu_);
    return open_flags_;
  }

 private:
  static int Fail(int err) {
    errno = err;
    return -1;
  }
  static const FakeV4l2Format* FindFormat(const FakeV4l2Node& node, uint32_t fourcc) {
    for (const FakeV4l2Format& f : node.formats) {
      if (f.fourcc == fourcc) return &f;
    }
    return nullptr;
  }

  mutable std::mutex mu_;
  std::map<std::string, FakeV4l2Node> nodes_;
  std::map<int, std::string> open_;
  std::vector<int> open_flags_;
  int next_fd_ = 100;
};

}  // namespace fw::iotest
