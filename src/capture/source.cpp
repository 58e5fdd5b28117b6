#include "capture/source.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <system_error>
#include <vector>

#include "capture/camera_list.h"
#include "capture/camera_source.h"
#include "capture/image_header.h"
#include "capture/image_source.h"
#include "capture/video_file_source.h"
#include "core/data_dir.h"

namespace fw::capture {
namespace {

namespace fs = std::filesystem;

constexpr char kSampleClip[] = "astronaut_zoom_pan_rotate_512.mp4";

bool IsCameraIndex(const std::string& spec) {
  if (spec.empty() || spec.size() > 2) return false;
  for (char c : spec) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsDevicePath(const std::string& spec) { return spec.rfind("/dev/", 0) == 0; }

// Reasons a path cannot be an input file, checked before any decoder sees it. `regular` says
// whether it is a regular file (else a FIFO, socket or device: read as a stream, never probed).
core::Status CheckInputFile(const std::string& path, bool* regular) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (st.type() == fs::file_type::not_found) {
    return core::Error::Runtime("cannot open input " + path + ": no such file");
  }
  if (ec) return core::Error::Runtime("cannot open input " + path + ": " + ec.message());
  if (st.type() == fs::file_type::directory) {
    return core::Error::Runtime("cannot open input " + path + ": it is a directory");
  }
  if (access(path.c_str(), R_OK) != 0) {
    return core::Error::Runtime("cannot open input " + path + ": " + std::strerror(errno));
  }
  *regular = st.type() == fs::file_type::regular;
  if (*regular && fs::file_size(path, ec) == 0 && !ec) {
    return core::Error::Runtime("cannot open input " + path + ": the file is empty");
  }
  return core::Status::Ok();
}

// The first bytes of a regular file, to recognise images by content.
std::string ReadHead(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(16, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(std::max<std::streamsize>(in.gcount(), 0)));
  return head;
}

// An image format OpenCV knows but facewarp does not check (Radiance, OpenEXR, JPEG 2000...).
bool OtherImageFormat(const std::string& path) {
  try {
    return cv::haveImageReader(path);  // by the file's signature, not its extension
  } catch (const cv::Exception&) {
    return false;
  }
}

}  // namespace

core::Result<std::unique_ptr<Source>> OpenSource(const std::string& spec,
                                                 const SourceOptions& options) {
  if (IsCameraIndex(spec)) return OpenCameraIndex(std::stoi(spec), options);
  if (IsDevicePath(spec)) return OpenCameraDevice(spec, options);
  if (spec == kStandardInput) return OpenVideoStream(kStandardInput, options);
  std::error_code ec;
  if (!spec.empty() && !fs::exists(spec, ec)) {  // not a file: maybe a camera's name
    auto camera = FindCameraByName(ListCameras(), spec);
    if (camera.ok()) return OpenCameraDevice(*camera, options);
    if (camera.error().kind == core::ErrorKind::kUsage) return camera.error();  // ambiguous
  }
  bool regular = false;
  FW_RETURN_IF_ERROR(CheckInputFile(spec, &regular));
  // A FIFO or device is a stream: probing it would swallow its first bytes.
  if (!regular) return OpenVideoStream(spec, options);
  if (SniffImageFormat(ReadHead(spec)) != ImageFormat::kNone) {
    return OpenImageFile(spec, options.image_frames);
  }
  if (OtherImageFormat(spec)) {
    return core::Error::Runtime("cannot decode image " + spec +
                                ": not an image format facewarp reads (JPEG, PNG, WebP, TIFF, "
                                "BMP or PNM)");
  }
  return OpenVideoFile(spec, options);
}

std::string DefaultSampleClip() {
  std::vector<fs::path> candidates;
  for (const std::string& dir : core::DataDirs("assets")) {
    candidates.push_back(fs::path(dir) / kSampleClip);
  }
  if (candidates.empty()) return kSampleClip;
  for (const fs::path& p : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p.lexically_normal().string();
  }
  // None found: name the installed location, so the error tells where the clip belongs.
  return candidates.front().lexically_normal().string();
}

std::string DefaultInput() {
  return CheckCaptureDevice("/dev/video0").ok() ? "0" : DefaultSampleClip();
}

}  // namespace fw::capture
