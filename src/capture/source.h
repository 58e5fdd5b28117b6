// Frame sources behind one interface: camera (index or /dev/videoN), video file, still image.
// An instance is used from one thread (the capture thread).
#pragma once

#include <memory>
#include <string>

#include "capture/hw_decode.h"
#include "core/frame.h"
#include "core/result.h"

namespace fw::capture {

enum class SourceKind { kCamera, kVideoFile, kImage };

// The --input that reads a video stream from standard input.
inline constexpr char kStandardInput[] = "-";

struct SourceInfo {
  SourceKind kind = SourceKind::kVideoFile;
  std::string name;  // what the user gave
  int width = 0;
  int height = 0;
  double fps = 0.0;          // nominal rate; 0 when unknown (images)
  int64_t frame_count = -1;  // -1 when unknown (cameras)
  // Video files: the decoder and where it runs ("h264 (software)", "h264 (vaapi)"); else "".
  std::string decoder;
};

enum class ReadState { kFrame, kEnd, kFailed };

struct SourceOptions {
  int camera_width = 1280;  // requested camera mode; the camera may give another
  int camera_height = 720;
  double camera_fps = 30.0;
  int64_t image_frames = 1;  // an image is a stream of this many frames; -1: endless (live)
  // Video files deliver their decoded I420 planes (Frame::yuv, Frame::image empty) instead of
  // BGR; cameras and images deliver BGR either way.
  bool planar = false;
  // Video files: try a hardware decoder (VAAPI, VDPAU, CUDA) first, or decode in software.
  HwDecode hwdec = HwDecode::kAuto;
};

class Source {
 public:
  virtual ~Source() = default;
  virtual const SourceInfo& info() const = 0;
  // Fills frame (a newly allocated image) or reports the end of the stream / a read failure.
  virtual ReadState Read(core::Frame& frame) = 0;
};

// "0".."99" or a /dev path: camera; "-": a video stream on standard input; a camera's name
// (see FindCameraByName) when no file has that path; a FIFO: a video stream; a regular file: an
// image (by content: JPEG, PNG, WebP, TIFF, BMP, PNM) or a video.
// Errors: missing file, undecodable file, a device that is not a camera.
core::Result<std::unique_ptr<Source>> OpenSource(const std::string& spec,
                                                 const SourceOptions& options = {});

// The bundled sample clip, for runs with no camera: beside the executable
// (../share/facewarp/assets or ./assets) or in the source tree. When none exists, the installed
// location, so that opening it names where the clip belongs.
std::string DefaultSampleClip();

// The --input default: "0" when /dev/video0 is a capture device, else DefaultSampleClip().
std::string DefaultInput();

}  // namespace fw::capture
