#include "output/v4l2_devices.h"

#include <fcntl.h>
#include <linux/videodev2.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>
#include <system_error>

namespace fw::output {
namespace {

namespace fs = std::filesystem;

constexpr char kLoopbackDriver[] = "v4l2 loopback";
// Enough for any real device; a driver that never ends its list must not hang the listing.
constexpr uint32_t kMaxEntries = 64;

// N of "videoN", or -1.
int VideoIndex(const std::string& name) {
  constexpr std::string_view kPrefix = "video";
  if (name.size() <= kPrefix.size() || name.compare(0, kPrefix.size(), kPrefix) != 0) return -1;
  int n = 0;
  for (size_t i = kPrefix.size(); i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9' || n > 100000) return -1;
    n = n * 10 + (name[i] - '0');
  }
  return n;
}

std::string CString(const uint8_t* text, size_t size) {
  const auto* begin = reinterpret_cast<const char*>(text);
  return std::string(begin, strnlen(begin, size));
}

std::string OpenProblem(int err) {
  switch (err) {
    case EBUSY:
      return "busy: another program holds it";
    case EACCES:
    case EPERM:
      return "no permission (the user must be in the video group)";
    default:
      return std::string("cannot open: ") + std::strerror(err);
  }
}

// Frame rates of one size, highest first.
std::vector<double> FrameRates(V4l2Device& device, int fd, uint32_t fourcc, int w, int h) {
  std::vector<double> fps;
  for (uint32_t i = 0; i < kMaxEntries; ++i) {
    v4l2_frmivalenum ival{};
    ival.index = i;
    ival.pixel_format = fourcc;
    ival.width = static_cast<uint32_t>(w);
    ival.height = static_cast<uint32_t>(h);
    if (device.Ioctl(fd, VIDIOC_ENUM_FRAMEINTERVALS, &ival) != 0) break;
    if (ival.type == V4L2_FRMIVAL_TYPE_DISCRETE) {
      if (ival.discrete.numerator > 0) {
        fps.push_back(static_cast<double>(ival.discrete.denominator) / ival.discrete.numerator);
      }
      continue;
    }
    // Stepwise or continuous: the fastest and the slowest rate.
    const v4l2_fract& fast = ival.stepwise.min;
    const v4l2_fract& slow = ival.stepwise.max;
    if (fast.numerator > 0) fps.push_back(static_cast<double>(fast.denominator) / fast.numerator);
    if (slow.numerator > 0) fps.push_back(static_cast<double>(slow.denominator) / slow.numerator);
    break;
  }
  std::sort(fps.begin(), fps.end(), std::greater<>());
  fps.erase(std::unique(fps.begin(), fps.end(),
                        [](double a, double b) { return std::abs(a - b) < 1e-3; }),
            fps.end());
  return fps;
}

std::vector<V4l2FrameSize> FrameSizes(V4l2Device& device, int fd, uint32_t fourcc) {
  std::vector<std::pair<int, int>> sizes;
  for (uint32_t i = 0; i < kMaxEntries; ++i) {
    v4l2_frmsizeenum size{};
    size.index = i;
    size.pixel_format = fourcc;
    if (device.Ioctl(fd, VIDIOC_ENUM_FRAMESIZES, &size) != 0) break;
    if (size.type == V4L2_FRMSIZE_TYPE_DISCRETE) {
      sizes.emplace_back(size.discrete.width, size.discrete.height);
      continue;
    }
    // Stepwise or continuous: the common sizes within the range, and the largest.
    const v4l2_frmsize_stepwise& s = size.stepwise;
    const std::pair<int, int> common[] = {{640, 480}, {1280, 720}, {1920, 1080}};
    for (const auto& [w, h] : common) {
      if (w >= static_cast<int>(s.min_width) && w <= static_cast<int>(s.max_width) &&
          h >= static_cast<int>(s.min_height) && h <= static_cast<int>(s.max_height)) {
        sizes.emplace_back(w, h);
      }
    }
    sizes.emplace_back(s.max_width, s.max_height);
    break;
  }
  std::sort(sizes.begin(), sizes.end(), [](const auto& a, const auto& b) {
    return static_cast<int64_t>(a.first) * a.second > static_cast<int64_t>(b.first) * b.second ||
           (static_cast<int64_t>(a.first) * a.second == static_cast<int64_t>(b.first) * b.second &&
            a.first > b.first);
  });
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  std::vector<V4l2FrameSize> out;
  out.reserve(sizes.size());
  for (const auto& [w, h] : sizes) out.push_back({w, h, FrameRates(device, fd, fourcc, w, h)});
  return out;
}

std::vector<V4l2Format> CaptureFormats(V4l2Device& device, int fd) {
  std::vector<V4l2Format> formats;
  for (uint32_t i = 0; i < kMaxEntries; ++i) {
    v4l2_fmtdesc desc{};
    desc.index = i;
    desc.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    if (device.Ioctl(fd, VIDIOC_ENUM_FMT, &desc) != 0) break;
    V4l2Format format;
    format.fourcc = desc.pixelformat;
    format.name = FourccName(desc.pixelformat);
    format.description = CString(desc.description, sizeof(desc.description));
    format.sizes = FrameSizes(device, fd, desc.pixelformat);
    formats.push_back(std::move(format));
  }
  return formats;
}

}  // namespace

std::string FourccName(uint32_t fourcc) {
  std::string name;
  for (int shift = 0; shift < 32; shift += 8) {
    const char c = static_cast<char>((fourcc >> shift) & 0xff);
    if (c != ' ' && c != '\0') name += c;
  }
  return name;
}

std::vector<std::string> ListVideoNodes(const std::string& dir) {
  std::vector<std::pair<int, std::string>> found;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const int index = VideoIndex(it->path().filename().string());
    if (index >= 0) found.emplace_back(index, it->path().string());
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> paths;
  paths.reserve(found.size());
  for (auto& [index, path] : found) paths.push_back(std::move(path));
  return paths;
}

V4l2NodeInfo QueryV4l2Node(V4l2Device& device, const std::string& path) {
  V4l2NodeInfo info;
  info.path = path;
  info.index = VideoIndex(fs::path(path).filename().string());
  // Read-only: asking a loopback device for its capabilities must not make us its writer.
  const int fd = device.Open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    info.problem = OpenProblem(errno);
    return info;
  }
  v4l2_capability cap{};
  if (device.Ioctl(fd, VIDIOC_QUERYCAP, &cap) != 0) {
    info.problem = "not a V4L2 device";
    device.Close(fd);
    return info;
  }
  const uint32_t caps =
      (cap.capabilities & V4L2_CAP_DEVICE_CAPS) != 0 ? cap.device_caps : cap.capabilities;
  info.card = CString(cap.card, sizeof(cap.card));
  info.driver = CString(cap.driver, sizeof(cap.driver));
  info.capture = (caps & V4L2_CAP_VIDEO_CAPTURE) != 0;
  info.output = (caps & V4L2_CAP_VIDEO_OUTPUT) != 0;
  info.loopback = info.driver == kLoopbackDriver;
  if (info.capture) info.formats = CaptureFormats(device, fd);
  device.Close(fd);
  return info;
}

std::vector<V4l2NodeInfo> QueryV4l2Nodes(V4l2Device& device,
                                         const std::vector<std::string>& paths) {
  std::vector<V4l2NodeInfo> nodes;
  for (const std::string& path : paths) {
    struct stat st {};
    if (device.Stat(path, &st) != 0 || !S_ISCHR(st.st_mode)) continue;
    V4l2NodeInfo node = QueryV4l2Node(device, path);
    const bool unknown = !node.problem.empty() && node.driver.empty();
    if (node.capture || node.output || node.loopback || unknown) nodes.push_back(std::move(node));
  }
  return nodes;
}

std::vector<V4l2NodeInfo> CameraNodes(const std::vector<V4l2NodeInfo>& nodes) {
  std::vector<V4l2NodeInfo> cameras;
  for (const V4l2NodeInfo& node : nodes) {
    if (node.capture || (!node.problem.empty() && !node.output)) cameras.push_back(node);
  }
  return cameras;
}

std::vector<V4l2NodeInfo> OutputNodes(const std::vector<V4l2NodeInfo>& nodes) {
  std::vector<V4l2NodeInfo> outputs;
  for (const V4l2NodeInfo& node : nodes) {
    if (node.output) {
      outputs.push_back(node);
    } else if (node.loopback) {
      V4l2NodeInfo busy = node;
      busy.problem = "in use: another program is writing to it";
      outputs.push_back(std::move(busy));
    }
  }
  return outputs;
}

}  // namespace fw::output
