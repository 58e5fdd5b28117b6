// The one parser of --output specs and the checks shared by every file sink. Pure functions
// apart from CheckOutputPath's file-system queries; thread-safe.
#pragma once

#include <string>

#include "core/result.h"
#include "output/frame_fit.h"

namespace fw::output {

enum class SinkKind { kStdoutY4m, kY4mFile, kVideoFile, kImageFile, kVirtualCamera, kGstPipeline };

enum class CameraPixelFormat {
  kYuyv,  // V4L2_PIX_FMT_YUYV, packed 4:2:2: what Chrome, Firefox and Zoom accept
  kI420,  // V4L2_PIX_FMT_YUV420, planar 4:2:0
};

// A virtual camera's picture, fixed for the whole run. In a spec, options follow the device:
//   v4l2:/dev/video10?size=1280x720&format=yuyv&fps=30&fit=letterbox
//   size    WxH, both even, 2..8192 (default 1280x720)
//   format  yuyv (default) or i420
//   fps     output frame rate, 1..240, fractions allowed (default 30)
//   fit     letterbox (default: the whole picture, black bars) or crop (fills the frame)
struct CameraOptions {
  int width = 1280;
  int height = 720;
  CameraPixelFormat format = CameraPixelFormat::kYuyv;
  double fps = 30.0;
  FitMode fit = FitMode::kLetterbox;
};

struct SinkSpec {
  SinkKind kind = SinkKind::kY4mFile;
  std::string path;       // file or device path; empty for standard output and gst:
  std::string extension;  // lower case with the dot (".mp4"); empty for "-", v4l2: and gst:
  CameraOptions camera;   // kVirtualCamera only
  std::string pipeline;   // kGstPipeline only: the text after "gst:", as given
};

// The accepted forms, for usage errors and help text.
extern const char kOutputForms[];

// "-", "v4l2:/dev/videoN[?options]", "gst:PIPELINE", or a path whose extension (any case) picks
// the kind. An empty spec, an unknown extension, "v4l2:" without a device or "gst:" without a
// pipeline is a usage error listing the valid forms; so is a bad virtual camera option.
core::Result<SinkSpec> ParseSinkSpec(const std::string& spec);

// Usage error unless the options are in the ranges documented on CameraOptions.
core::Status ValidateCameraOptions(const CameraOptions& options);

// "yuyv" or "i420".
const char* CameraPixelFormatName(CameraPixelFormat format);

// Runtime error unless a file can be created at `path`: its directory exists and is writable,
// and the path itself is not a directory. An existing symlink, device node or FIFO passes: it
// is written in place, never replaced (core/atomic_file.h).
core::Status CheckOutputPath(const std::string& path);

}  // namespace fw::output
