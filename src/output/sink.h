// Output sinks behind one interface: image file, video file (.mp4/.mkv/.avi), YUV4MPEG2 file
// or stdout ("-"). File sinks write to a temporary name and rename on Finish(); a sink
// destroyed without Finish() removes its partial file. An instance is used from one thread.
#pragma once

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
};

// Validates `spec` before any frame is processed (unknown extension, image output for video
// input, unwritable directory are errors).
core::Result<std::unique_ptr<Sink>> OpenSink(const std::string& spec, const StreamInfo& info);

}  // namespace fw::output
