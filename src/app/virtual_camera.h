// The preview's virtual camera: a `v4l2:` output that the panel starts and stops while the
// preview runs (or that the command line gave), fed the frames the preview shows, with its
// frame count and last error for the panel. Main thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <opencv2/core.hpp>

#include "capture/source.h"
#include "core/result.h"
#include "output/sink.h"

namespace fw::app {

class VirtualCamera {
 public:
  // Opens `spec` for frames of info's size (the device keeps the spec's own size).
  core::Status Start(const std::string& spec, const capture::SourceInfo& info);
  // Takes a sink opened elsewhere (a command-line output) for frames of width x height.
  void Adopt(std::unique_ptr<output::Sink> sink, std::string spec, int width, int height);
  // Finishes the output; nothing to do when off.
  core::Status Stop();
  // Hands on a frame; one of another size (another camera mode) reopens the output for it.
  // A failure stops the virtual camera and is kept in error().
  void Write(const cv::Mat& bgr, const capture::SourceInfo& info);

  bool on() const { return sink_ != nullptr; }
  const std::string& spec() const { return spec_; }
  std::string device_path() const;  // the spec's device; "" when off
  int64_t frames() const { return frames_; }
  const std::string& error() const { return error_; }

 private:
  std::unique_ptr<output::Sink> sink_;
  std::string spec_;
  int input_width_ = 0;
  int input_height_ = 0;
  int64_t frames_ = 0;
  std::string error_;
};

}  // namespace fw::app
