#include "output/sink_spec.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace fw::output {
namespace {

namespace fs = std::filesystem;

constexpr char kVirtualCameraPrefix[] = "v4l2:";
constexpr char kGstPrefix[] = "gst:";
constexpr std::array<const char*, 3> kVideoExtensions = {".mp4", ".mkv", ".avi"};
constexpr std::array<const char*, 7> kImageExtensions = {".png", ".jpg",  ".jpeg", ".bmp",
                                                         ".tif", ".tiff", ".webp"};
constexpr int kMaxCameraSide = 8192;  // v4l2loopback's own limit
constexpr double kMinCameraFps = 1.0;
constexpr double kMaxCameraFps = 240.0;
constexpr char kCameraOptionForms[] =
    "size=WxH (even, default 1280x720), format=yuyv|i420, fps=1..240, fit=letterbox|crop";

template <size_t N>
bool OneOf(const std::string& ext, const std::array<const char*, N>& list) {
  return std::any_of(list.begin(), list.end(), [&](const char* e) { return ext == e; });
}

std::string LowerExtension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

std::string Trim(const std::string& s) {
  const size_t first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

core::Error UnknownOutput(const std::string& spec) {
  return core::Error::Usage("unknown output '" + spec + "': expected " + kOutputForms);
}

core::Error BadCameraOption(const std::string& spec, const std::string& what) {
  return core::Error::Usage("bad virtual camera option in '" + spec + "': " + what + "; expected " +
                            kCameraOptionForms);
}

// A decimal integer of at most 9 digits, nothing else.
bool ParseSide(const std::string& s, int& out) {
  if (s.empty() || s.size() > 9 ||
      !std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return false;
  }
  out = std::stoi(s);
  return true;
}

bool ParseNumber(const std::string& s, double& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtod(s.c_str(), &end);
  return errno == 0 && end == s.c_str() + s.size() && std::isfinite(out);
}

core::Status ParseCameraOption(const std::string& spec, const std::string& item, CameraOptions& o) {
  const size_t eq = item.find('=');
  if (eq == std::string::npos) return BadCameraOption(spec, "'" + item + "' is not KEY=VALUE");
  const std::string key = item.substr(0, eq);
  const std::string value = item.substr(eq + 1);
  if (key == "size") {
    const size_t x = value.find('x');
    if (x == std::string::npos || !ParseSide(value.substr(0, x), o.width) ||
        !ParseSide(value.substr(x + 1), o.height)) {
      return BadCameraOption(spec, "size '" + value + "' is not WxH");
    }
  } else if (key == "format") {
    if (value == "yuyv") {
      o.format = CameraPixelFormat::kYuyv;
    } else if (value == "i420") {
      o.format = CameraPixelFormat::kI420;
    } else {
      return BadCameraOption(spec, "unknown format '" + value + "'");
    }
  } else if (key == "fps") {
    if (!ParseNumber(value, o.fps)) {
      return BadCameraOption(spec, "fps '" + value + "' is not a number");
    }
  } else if (key == "fit") {
    if (value == "letterbox") {
      o.fit = FitMode::kLetterbox;
    } else if (value == "crop") {
      o.fit = FitMode::kCrop;
    } else {
      return BadCameraOption(spec, "unknown fit '" + value + "'");
    }
  } else {
    return BadCameraOption(spec, "unknown option '" + key + "'");
  }
  return core::Status::Ok();
}

// `query` is what follows the '?': KEY=VALUE items joined by '&' (empty items are skipped).
core::Result<CameraOptions> ParseCameraOptions(const std::string& spec, const std::string& query) {
  CameraOptions o;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    const std::string item = query.substr(start, end - start);
    start = end + 1;
    if (!item.empty()) FW_RETURN_IF_ERROR(ParseCameraOption(spec, item, o));
  }
  FW_RETURN_IF_ERROR(ValidateCameraOptions(o));
  return o;
}

}  // namespace

const char kOutputForms[] =
    "an image path (.png .jpg .jpeg .bmp .tif .tiff .webp; image input only), a video path "
    "(.mp4 .mkv .avi), a .y4m path, - for YUV4MPEG2 on standard output, "
    "v4l2:/dev/videoN[?size=WxH&format=yuyv|i420&fps=N&fit=letterbox|crop] for a virtual "
    "camera, or gst:PIPELINE for a GStreamer pipeline";

core::Result<SinkSpec> ParseSinkSpec(const std::string& spec) {
  SinkSpec out;
  if (spec == "-") {
    out.kind = SinkKind::kStdoutY4m;
    return out;
  }
  if (spec.rfind(kVirtualCameraPrefix, 0) == 0) {
    out.kind = SinkKind::kVirtualCamera;
    const std::string rest = spec.substr(std::strlen(kVirtualCameraPrefix));
    const size_t query = rest.find('?');
    out.path = rest.substr(0, query);
    if (out.path.empty()) return UnknownOutput(spec);
    if (query != std::string::npos) {
      FW_ASSIGN_OR_RETURN(out.camera, ParseCameraOptions(spec, rest.substr(query + 1)));
    }
    return out;
  }
  if (spec.rfind(kGstPrefix, 0) == 0) {
    out.kind = SinkKind::kGstPipeline;
    out.pipeline = Trim(spec.substr(std::strlen(kGstPrefix)));
    if (out.pipeline.empty()) return UnknownOutput(spec);
    return out;
  }
  out.path = spec;
  out.extension = LowerExtension(spec);
  if (out.extension == ".y4m") {
    out.kind = SinkKind::kY4mFile;
  } else if (OneOf(out.extension, kVideoExtensions)) {
    out.kind = SinkKind::kVideoFile;
  } else if (OneOf(out.extension, kImageExtensions)) {
    out.kind = SinkKind::kImageFile;
  } else {
    return UnknownOutput(spec);
  }
  return out;
}

core::Status ValidateCameraOptions(const CameraOptions& options) {
  const std::string size = std::to_string(options.width) + "x" + std::to_string(options.height);
  if (options.width < 2 || options.height < 2 || options.width > kMaxCameraSide ||
      options.height > kMaxCameraSide) {
    return core::Error::Usage("virtual camera size " + size + " is out of range: each side 2.." +
                              std::to_string(kMaxCameraSide));
  }
  if (options.width % 2 != 0 || options.height % 2 != 0) {
    return core::Error::Usage("virtual camera size " + size +
                              " is not allowed: width and height must be even (YUYV and I420 "
                              "share colour between pixel pairs), e.g. 1280x720");
  }
  if (!std::isfinite(options.fps) || options.fps < kMinCameraFps || options.fps > kMaxCameraFps) {
    char fps[32];
    std::snprintf(fps, sizeof(fps), "%g", options.fps);
    return core::Error::Usage(std::string("virtual camera fps ") + fps + " is out of range 1..240");
  }
  return core::Status::Ok();
}

const char* CameraPixelFormatName(CameraPixelFormat format) {
  return format == CameraPixelFormat::kYuyv ? "yuyv" : "i420";
}

core::Status CheckOutputPath(const std::string& path) {
  const fs::path target(path);
  std::error_code link_ec;
  const fs::file_status own = fs::symlink_status(target, link_ec);
  if (!link_ec && fs::exists(own) && own.type() != fs::file_type::regular &&
      own.type() != fs::file_type::directory) {
    return core::Status::Ok();  // a link, device or FIFO: written in place (core/atomic_file.h)
  }
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  const fs::file_status dir_status = fs::status(dir, ec);
  if (dir_status.type() == fs::file_type::not_found) {
    return core::Error::Runtime("cannot write " + path + ": directory " + dir.string() +
                                " does not exist");
  }
  if (dir_status.type() != fs::file_type::directory) {
    return core::Error::Runtime("cannot write " + path + ": " + dir.string() +
                                " is not a directory");
  }
  if (access(dir.c_str(), W_OK | X_OK) != 0) {
    return core::Error::Runtime("cannot write " + path + ": directory " + dir.string() +
                                " is not writable (" + std::strerror(errno) + ")");
  }
  if (fs::is_directory(target, ec)) {
    return core::Error::Runtime("cannot write " + path + ": it is a directory");
  }
  return core::Status::Ok();
}

}  // namespace fw::output
