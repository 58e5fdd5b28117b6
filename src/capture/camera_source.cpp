#include "capture/camera_source.h"

#include <fcntl.h>
#include <linux/videodev2.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <utility>

#include <opencv2/videoio.hpp>

#include "capture/bgr8.h"
#include "core/stats.h"

namespace fw::capture {
namespace {

class CameraSource : public Source {
 public:
  CameraSource(std::unique_ptr<cv::VideoCapture> capture, SourceInfo info)
      : capture_(std::move(capture)), info_(std::move(info)), start_ns_(core::NowNs()) {}

  const SourceInfo& info() const override { return info_; }

  ReadState Read(core::Frame& frame) override {
    cv::Mat image;  // fresh per frame: frames move across threads
    if (!capture_->read(image) || image.empty()) return ReadState::kFailed;
    frame.capture_ns = core::NowNs();
    frame.image = ToBgr8(image);
    frame.index = next_index_++;
    frame.timestamp_s = static_cast<double>(frame.capture_ns - start_ns_) * 1e-9;
    return ReadState::kFrame;
  }

 private:
  std::unique_ptr<cv::VideoCapture> capture_;
  SourceInfo info_;
  int64_t start_ns_;
  int64_t next_index_ = 0;
};

core::Error NotACamera(const std::string& path) {
  return core::Error::Runtime(path + " is not a camera (not a V4L2 capture device)");
}

// Opens `device` (by index when index >= 0, else by path) and checks it delivers a frame.
core::Result<std::unique_ptr<Source>> OpenChecked(const std::string& name,
                                                  const std::string& device, int index,
                                                  const SourceOptions& options) {
  FW_RETURN_IF_ERROR(CheckCaptureDevice(device));
  auto capture = std::make_unique<cv::VideoCapture>();
  cv::Mat first;
  try {
    const bool opened =
        index >= 0 ? capture->open(index, cv::CAP_V4L2) : capture->open(device, cv::CAP_V4L2);
    if (!opened) {
      return core::Error::Runtime("cannot open camera " + name +
                                  ": the V4L2 device did not start (in use by another program?)");
    }
    capture->set(cv::CAP_PROP_FRAME_WIDTH, options.camera_width);
    capture->set(cv::CAP_PROP_FRAME_HEIGHT, options.camera_height);
    capture->set(cv::CAP_PROP_FPS, options.camera_fps);
    capture->set(cv::CAP_PROP_BUFFERSIZE, 1);
    // The first frame tells the mode the camera really chose; it is stale by the time the
    // pipeline runs, so it is not handed out.
    if (!capture->read(first) || first.empty()) {
      return core::Error::Runtime("cannot read from camera " + name +
                                  ": no frame arrived (in use by another program?)");
    }
  } catch (const cv::Exception& e) {
    return core::Error::Runtime("cannot open camera " + name + ": " + e.err);
  }

  SourceInfo info;
  info.kind = SourceKind::kCamera;
  info.name = name;
  info.width = first.cols;
  info.height = first.rows;
  const double fps = capture->get(cv::CAP_PROP_FPS);
  info.fps = std::isfinite(fps) && fps > 0.0 ? fps : options.camera_fps;
  info.frame_count = -1;
  return std::unique_ptr<Source>(std::make_unique<CameraSource>(std::move(capture), info));
}

}  // namespace

core::Status CheckCaptureDevice(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return core::Error::Runtime("cannot open camera " + path +
                                  ": no such device (v4l2-ctl --list-devices lists cameras)");
    }
    return core::Error::Runtime("cannot open camera " + path + ": " + std::strerror(errno));
  }
  if (!S_ISCHR(st.st_mode)) return NotACamera(path);

  const int fd = open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    std::string why = std::strerror(err);
    if (err == EACCES) why += " (is the user in the 'video' group?)";
    return core::Error::Runtime("cannot open camera " + path + ": " + why);
  }
  v4l2_capability cap{};
  const bool queried = ioctl(fd, VIDIOC_QUERYCAP, &cap) == 0;
  close(fd);
  if (!queried) return NotACamera(path);
  // A UVC camera also creates metadata nodes; only nodes that capture video qualify.
  const uint32_t caps =
      (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
  if (!(caps & (V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_VIDEO_CAPTURE_MPLANE))) return NotACamera(path);
  return core::Status::Ok();
}

core::Result<std::unique_ptr<Source>> OpenCameraDevice(const std::string& path,
                                                       const SourceOptions& options) {
  return OpenChecked(path, path, -1, options);
}

core::Result<std::unique_ptr<Source>> OpenCameraIndex(int index, const SourceOptions& options) {
  // OpenCV's V4L2 backend maps index N to /dev/videoN.
  return OpenChecked(std::to_string(index), "/dev/video" + std::to_string(index), index, options);
}

}  // namespace fw::capture
