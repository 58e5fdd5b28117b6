// Output sinks behind one interface: image file, video file (.mp4/.mkv/.avi), YUV4MPEG2 file
// or stdout ("-"), virtual camera (v4l2:), GStreamer pipeline (gst:). File sinks write to a
// temporary name and rename on Finish(); a sink destroyed without Finish() removes its partial
// file. An instance is used from one thread (a sink may run its own writer thread inside).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <opencv2/core.hpp>

#include "core/result.h"

namespace fw::output {

struct StreamInfo {
  int width = 0;
  int height = 0;
  double fps = 30.0;
  bool still_image = false;  // input is one image
};

class Sink {
 public:
  virtual ~Sink() = default;
  virtual const std::string& name() const = 0;
  virtual core::Status Write(const cv::Mat& bgr) = 0;  // 8-bit BGR, StreamInfo's size
  virtual core::Status Finish() = 0;                   // flush and commit
  // Frames given to Write() that a newer frame replaced before they reached the output (the
  // virtual camera keeps only the newest); 0 for sinks that write every frame.
  virtual int64_t dropped() const { return 0; }
};

// Validates `spec` before any frame is processed (unknown extension, image output for video
// input, unwritable directory, a missing or busy device are errors). The spec forms are
// ParseSinkSpec's (sink_spec.h).
core::Result<std::unique_ptr<Sink>> OpenSink(const std::string& spec, const StreamInfo& info);

}  // namespace fw::output
