#include "output/v4l2_sink.h"

#include <fcntl.h>
#include <libyuv.h>
#include <linux/videodev2.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "core/worker.h"
#include "output/color_convert.h"
#include "output/frame_fit.h"
#include "output/y4m_writer.h"

namespace fw::output {

const char kV4l2LoopbackHint[] =
    "sudo modprobe v4l2loopback devices=1 video_nr=10 exclusive_caps=1 card_label=facewarp";

namespace {

constexpr char kLoopbackDriver[] = "v4l2 loopback";  // v4l2loopback's VIDIOC_QUERYCAP driver

uint32_t PixelFormatCode(CameraPixelFormat format) {
  return format == CameraPixelFormat::kYuyv ? V4L2_PIX_FMT_YUYV : V4L2_PIX_FMT_YUV420;
}

uint32_t BytesPerLine(const CameraOptions& o) {
  return static_cast<uint32_t>(o.format == CameraPixelFormat::kYuyv ? 2 * o.width : o.width);
}

size_t FrameBytes(const CameraOptions& o) {
  const size_t pixels = static_cast<size_t>(o.width) * o.height;
  return o.format == CameraPixelFormat::kYuyv ? 2 * pixels : pixels * 3 / 2;
}

std::string FourccText(uint32_t code) {
  std::string s(4, '?');
  for (int i = 0; i < 4; ++i) {
    const char c = static_cast<char>((code >> (8 * i)) & 0xff);
    if (c >= 0x20 && c < 0x7f) s[i] = c;
  }
  return s;
}

std::string Describe(uint32_t width, uint32_t height, uint32_t pixelformat) {
  return std::to_string(width) + "x" + std::to_string(height) + " " + FourccText(pixelformat);
}

// Black in limited-range YUV: Y 16, U = V = 128.
std::vector<uint8_t> BlackFrame(const CameraOptions& o) {
  std::vector<uint8_t> frame(FrameBytes(o), 128);
  if (o.format == CameraPixelFormat::kYuyv) {
    for (size_t i = 0; i < frame.size(); i += 2) frame[i] = 16;
  } else {
    std::fill_n(frame.begin(), static_cast<size_t>(o.width) * o.height, 16);
  }
  return frame;
}

// A descriptor closed through the device layer that opened it. Move-only.
class DeviceFd {
 public:
  DeviceFd(std::shared_ptr<V4l2Device> device, int fd) : device_(std::move(device)), fd_(fd) {}
  DeviceFd(DeviceFd&& other) noexcept
      : device_(std::move(other.device_)), fd_(std::exchange(other.fd_, -1)) {}
  DeviceFd& operator=(DeviceFd&&) = delete;
  DeviceFd(const DeviceFd&) = delete;
  DeviceFd& operator=(const DeviceFd&) = delete;
  ~DeviceFd() { Close(); }

  int get() const { return fd_; }
  V4l2Device& device() const { return *device_; }
  void Close() {
    if (fd_ >= 0) device_->Close(fd_);
    fd_ = -1;
  }

 private:
  std::shared_ptr<V4l2Device> device_;
  int fd_;
};

class V4l2Sink : public Sink {
 public:
  V4l2Sink(std::string path, DeviceFd fd, const CameraOptions& options)
      : name_(std::move(path)),
        fd_(std::move(fd)),
        options_(options),
        spare_(FrameBytes(options)),
        pending_(FrameBytes(options)),
        current_(BlackFrame(options)) {
    // Started last: the thread uses every member above.
    writer_ = std::make_unique<core::Worker>(
        "virtual camera " + name_, [this](const std::atomic<bool>& stop) { WriterLoop(stop); },
        [this] {
          std::lock_guard<std::mutex> lock(mu_);
          wake_.notify_all();
        });
  }

  ~V4l2Sink() override { StopWriter(); }

  const std::string& name() const override { return name_; }

  core::Status Write(const cv::Mat& bgr) override {
    FW_RETURN_IF_ERROR(guard_.CheckWrite(bgr));
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (write_error_) return *write_error_;
    }
    FW_RETURN_IF_ERROR(Convert(bgr));
    return Publish();
  }

  // Planes of the device's size go out without a trip through BGR: copied for I420, packed by
  // libyuv for YUYV (each chroma sample serving its two rows). Other sizes are fitted in BGR.
  core::Status WriteYuv(const core::YuvImage& yuv) override {
    if (yuv.size() != cv::Size(options_.width, options_.height)) return Sink::WriteYuv(yuv);
    FW_RETURN_IF_ERROR(guard_.CheckWrite(yuv));
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (write_error_) return *write_error_;
    }
    uint8_t* out = spare_.data();
    const int w = options_.width;
    const int h = options_.height;
    const auto stride = [](const cv::Mat& m) { return static_cast<int>(m.step[0]); };
    int rc = 0;
    if (options_.format == CameraPixelFormat::kYuyv) {
      rc = libyuv::I420ToYUY2(yuv.y.data, stride(yuv.y), yuv.u.data, stride(yuv.u), yuv.v.data,
                              stride(yuv.v), out, 2 * w, w, h);
    } else {
      const size_t y_size = static_cast<size_t>(w) * h;
      rc = libyuv::I420Copy(yuv.y.data, stride(yuv.y), yuv.u.data, stride(yuv.u), yuv.v.data,
                            stride(yuv.v), out, w, out + y_size, w / 2, out + y_size + y_size / 4,
                            w / 2, w, h);
    }
    if (rc != 0) {
      return core::Error::Runtime("internal: libyuv conversion for " + name_ + " failed");
    }
    return Publish();
  }

  core::Status Complete() override {
    FW_RETURN_IF_ERROR(guard_.CheckComplete(false));
    const std::string thread_error = StopWriter();
    if (!thread_error.empty()) return core::Error::Runtime(thread_error);
    std::lock_guard<std::mutex> lock(mu_);
    if (write_error_) return *write_error_;
    return core::Status::Ok();
  }

  int64_t dropped() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return dropped_;
  }

 private:
  // Hands spare_ to the writer thread as the newest frame.
  core::Status Publish() {
    std::lock_guard<std::mutex> lock(mu_);
    std::swap(spare_, pending_);
    if (has_pending_) ++dropped_;
    has_pending_ = true;
    return core::Status::Ok();
  }

  // Into spare_, on the caller's thread.
  core::Status Convert(const cv::Mat& bgr) {
    const cv::Size size(options_.width, options_.height);
    const cv::Mat* picture = &bgr;
    if (bgr.size() != size) {
      FitInto(bgr, size, options_.fit, canvas_);
      picture = &canvas_;
    }
    uint8_t* out = spare_.data();
    if (options_.format == CameraPixelFormat::kYuyv) {
      return BgrToYuyv(*picture, out, 2 * options_.width);
    }
    const size_t y_size = static_cast<size_t>(options_.width) * options_.height;
    const int chroma_stride = options_.width / 2;
    return BgrToI420(*picture, out, options_.width, out + y_size, chroma_stride,
                     out + y_size + y_size / 4, chroma_stride);
  }

  // Writes current_ at every tick, after swapping in the newest pending frame if there is one.
  void WriterLoop(const std::atomic<bool>& stop) {
    using Clock = std::chrono::steady_clock;
    const auto period = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(1.0 / options_.fps));
    auto next = Clock::now();
    std::unique_lock<std::mutex> lock(mu_);
    while (!wake_.wait_until(lock, next, [&] { return stop.load(); })) {
      if (has_pending_) {
        std::swap(pending_, current_);
        has_pending_ = false;
      }
      lock.unlock();
      std::optional<core::Error> error = WriteCurrent();
      lock.lock();
      if (error) {
        write_error_ = std::move(error);
        return;
      }
      next += period;
      // Behind by a whole tick (a slow write, a suspended machine): skip the missed ticks
      // instead of writing them in a burst.
      const auto now = Clock::now();
      if (next < now) next = now;
    }
  }

  std::optional<core::Error> WriteCurrent() {
    const ssize_t n = fd_.device().Write(fd_.get(), current_.data(), current_.size());
    if (n == static_cast<ssize_t>(current_.size())) return std::nullopt;
    // A full driver queue (non-blocking descriptor): this tick is skipped, the next one writes.
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return std::nullopt;
    if (n < 0) {
      const int err = errno;
      std::string why = std::strerror(err);
      if (err == ENODEV || err == ENXIO) why += " (was v4l2loopback unloaded?)";
      if (err == EBUSY) why = name_ + " is busy: another program is writing to it";
      return core::Error::Runtime("cannot write to virtual camera " + name_ + ": " + why);
    }
    return core::Error::Runtime("cannot write to virtual camera " + name_ + ": the driver took " +
                                std::to_string(n) + " of " + std::to_string(current_.size()) +
                                " bytes of a frame");
  }

  // Joins the writer thread and closes the device; returns the thread's own failure, if any.
  std::string StopWriter() {
    std::string error;
    if (writer_) {
      writer_->Stop();
      error = writer_->error();
      writer_.reset();
    }
    fd_.Close();
    return error;
  }

  const std::string name_;
  DeviceFd fd_;
  const CameraOptions options_;
  SinkGuard guard_{name_};
  cv::Mat canvas_;              // caller's thread: the fitted picture
  std::vector<uint8_t> spare_;  // caller's thread: the frame being converted
  // A latest-value slot of three reused buffers: core::LatestMailbox moves values in and out,
  // which would free and allocate a frame-sized buffer for every frame.
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::vector<uint8_t> pending_;  // guarded by mu_: the newest frame not yet written
  bool has_pending_ = false;
  int64_t dropped_ = 0;
  std::optional<core::Error> write_error_;
  std::vector<uint8_t> current_;  // writer thread: the frame written at every tick
  std::unique_ptr<core::Worker> writer_;
};

core::Error OpenError(const std::string& path, const std::string& why) {
  return core::Error::Runtime("cannot open virtual camera " + path + ": " + why);
}

core::Error Busy(const std::string& path) {
  return OpenError(path, path +
                             " is busy: another program is writing to it (stop that program, "
                             "or write to another v4l2loopback device)");
}

core::Error NotV4l2(const std::string& path) {
  return OpenError(path, path +
                             " is not a V4L2 device (a v4l2loopback device such as "
                             "/dev/video10 is needed)");
}

core::Result<DeviceFd> OpenDevice(const std::string& path, std::shared_ptr<V4l2Device> device) {
  struct stat st {};
  if (device->Stat(path, &st) != 0) {
    if (errno == ENOENT) {
      return OpenError(
          path, "no such device; load v4l2loopback first: " + std::string(kV4l2LoopbackHint));
    }
    return OpenError(path, std::strerror(errno));
  }
  if (!S_ISCHR(st.st_mode)) return NotV4l2(path);

  // Write-only, as the device is only written to. Non-blocking, so that a driver whose write()
  // would wait for a free buffer skips a tick instead of holding up Finish().
  const int fd = device->Open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == EBUSY) return Busy(path);
    if (err == EACCES) {
      return OpenError(path,
                       std::string(std::strerror(err)) + " (is the user in the 'video' group?)");
    }
    if (err == ENODEV || err == ENXIO) {
      return OpenError(
          path, "no such device; load v4l2loopback first: " + std::string(kV4l2LoopbackHint));
    }
    return OpenError(path, std::strerror(err));
  }
  return DeviceFd(std::move(device), fd);
}

core::Status CheckCapabilities(const std::string& path, DeviceFd& fd) {
  v4l2_capability cap{};
  if (fd.device().Ioctl(fd.get(), VIDIOC_QUERYCAP, &cap) != 0) return NotV4l2(path);
  const uint32_t caps =
      (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
  const std::string driver(reinterpret_cast<const char*>(cap.driver),
                           strnlen(reinterpret_cast<const char*>(cap.driver), sizeof(cap.driver)));
  if (!(caps & V4L2_CAP_VIDEO_OUTPUT)) {
    // With exclusive_caps=1 a loopback device offers output only while no writer holds it.
    if (driver == kLoopbackDriver) return Busy(path);
    return OpenError(path, path + " is a capture-only camera (driver '" + driver +
                               "'), not a video output; load v4l2loopback (" + kV4l2LoopbackHint +
                               ") and use its device");
  }
  if (!(caps & V4L2_CAP_READWRITE)) {
    return OpenError(path, path + " (driver '" + driver +
                               "') does not take frames through write(); use a v4l2loopback "
                               "device");
  }
  return core::Status::Ok();
}

core::Status SetFormat(const std::string& path, DeviceFd& fd, const CameraOptions& o) {
  const uint32_t code = PixelFormatCode(o.format);
  const std::string wanted = Describe(o.width, o.height, code);
  v4l2_format fmt{};
  fmt.type = V4L2_BUF_TYPE_VIDEO_OUTPUT;
  fmt.fmt.pix.width = static_cast<uint32_t>(o.width);
  fmt.fmt.pix.height = static_cast<uint32_t>(o.height);
  fmt.fmt.pix.pixelformat = code;
  fmt.fmt.pix.field = V4L2_FIELD_NONE;
  fmt.fmt.pix.bytesperline = BytesPerLine(o);
  fmt.fmt.pix.sizeimage = static_cast<uint32_t>(FrameBytes(o));
  // What color_convert produces: BT.601, limited range.
  fmt.fmt.pix.colorspace = V4L2_COLORSPACE_SMPTE170M;
  fmt.fmt.pix.ycbcr_enc = V4L2_YCBCR_ENC_601;
  fmt.fmt.pix.quantization = V4L2_QUANTIZATION_LIM_RANGE;
  if (fd.device().Ioctl(fd.get(), VIDIOC_S_FMT, &fmt) != 0) {
    if (errno == EBUSY) return Busy(path);
    return OpenError(path, path + " refused the format " + wanted + ": " + std::strerror(errno));
  }

  const v4l2_pix_format& got = fmt.fmt.pix;
  if (got.pixelformat != code || got.width != static_cast<uint32_t>(o.width) ||
      got.height != static_cast<uint32_t>(o.height)) {
    std::string advice = "close the apps that read it, then start facewarp before them";
    if (got.pixelformat == V4L2_PIX_FMT_YUYV || got.pixelformat == V4L2_PIX_FMT_YUV420) {
      advice = "use ?size=" + std::to_string(got.width) + "x" + std::to_string(got.height) +
               "&format=" + (got.pixelformat == V4L2_PIX_FMT_YUYV ? "yuyv" : "i420") + ", or " +
               advice;
    }
    return OpenError(path, "the driver gave " + Describe(got.width, got.height, got.pixelformat) +
                               " for the requested " + wanted +
                               " (an app reading it holds its format): " + advice);
  }
  // Frames are written packed; v4l2loopback may round sizeimage up to whole pages.
  if ((got.bytesperline != 0 && got.bytesperline != BytesPerLine(o)) ||
      got.sizeimage < FrameBytes(o)) {
    return OpenError(path, "the driver wants " + wanted + " frames laid out as " +
                               std::to_string(got.bytesperline) + " bytes per row, " +
                               std::to_string(got.sizeimage) + " bytes per frame; " +
                               std::to_string(BytesPerLine(o)) + " and " +
                               std::to_string(FrameBytes(o)) + " are written");
  }
  return core::Status::Ok();
}

// Tells readers the output rate. Not checked: the writer paces itself either way.
void SetFrameInterval(DeviceFd& fd, double fps) {
  const Rational rate = FpsToRational(fps);
  v4l2_streamparm parm{};
  parm.type = V4L2_BUF_TYPE_VIDEO_OUTPUT;
  parm.parm.output.timeperframe.numerator = static_cast<uint32_t>(rate.den);
  parm.parm.output.timeperframe.denominator = static_cast<uint32_t>(rate.num);
  fd.device().Ioctl(fd.get(), VIDIOC_S_PARM, &parm);
}

}  // namespace

core::Result<std::unique_ptr<Sink>> OpenV4l2Sink(const std::string& path,
                                                 const CameraOptions& options,
                                                 std::shared_ptr<V4l2Device> device) {
  FW_RETURN_IF_ERROR(ValidateCameraOptions(options));
  FW_ASSIGN_OR_RETURN(DeviceFd fd, OpenDevice(path, std::move(device)));
  FW_RETURN_IF_ERROR(CheckCapabilities(path, fd));
  FW_RETURN_IF_ERROR(SetFormat(path, fd, options));
  SetFrameInterval(fd, options.fps);
  return std::unique_ptr<Sink>(std::make_unique<V4l2Sink>(path, std::move(fd), options));
}

}  // namespace fw::output
