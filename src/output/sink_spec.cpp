#include "output/sink_spec.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace fw::output {
namespace {

namespace fs = std::filesystem;

constexpr char kVirtualCameraPrefix[] = "v4l2:";
constexpr std::array<const char*, 3> kVideoExtensions = {".mp4", ".mkv", ".avi"};
constexpr std::array<const char*, 7> kImageExtensions = {".png", ".jpg",  ".jpeg", ".bmp",
                                                         ".tif", ".tiff", ".webp"};

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

core::Error UnknownOutput(const std::string& spec) {
  return core::Error::Usage("unknown output '" + spec + "': expected " + kOutputForms);
}

}  // namespace

const char kOutputForms[] =
    "an image path (.png .jpg .jpeg .bmp .tif .tiff .webp; image input only), a video path "
    "(.mp4 .mkv .avi), a .y4m path, - for YUV4MPEG2 on standard output, or v4l2:/dev/videoN";

core::Result<SinkSpec> ParseSinkSpec(const std::string& spec) {
  SinkSpec out;
  if (spec == "-") {
    out.kind = SinkKind::kStdoutY4m;
    return out;
  }
  if (spec.rfind(kVirtualCameraPrefix, 0) == 0) {
    out.kind = SinkKind::kVirtualCamera;
    out.path = spec.substr(std::strlen(kVirtualCameraPrefix));
    if (out.path.empty()) return UnknownOutput(spec);
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

core::Status CheckOutputPath(const std::string& path) {
  const fs::path target(path);
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
