#include "app/virtual_camera.h"

#include <utility>

#include "app/outputs.h"
#include "output/sink_spec.h"

namespace fw::app {

core::Status VirtualCamera::Start(const std::string& spec, const capture::SourceInfo& info) {
  auto opened = OpenOutputs({spec}, info);
  if (!opened.ok()) {
    error_ = opened.error().message;
    return opened.error();
  }
  Adopt(std::move(opened->front()), spec, info.width, info.height);
  return core::Status::Ok();
}

void VirtualCamera::Adopt(std::unique_ptr<output::Sink> sink, std::string spec, int width,
                          int height) {
  sink_ = std::move(sink);
  spec_ = std::move(spec);
  input_width_ = width;
  input_height_ = height;
  frames_ = 0;
  error_.clear();
}

core::Status VirtualCamera::Stop() {
  if (!sink_) return core::Status::Ok();
  core::Status s = sink_->Finish();
  sink_.reset();
  error_ = s.ok() ? "" : s.error().message;
  return s;
}

void VirtualCamera::Write(const cv::Mat& bgr, const capture::SourceInfo& info) {
  if (!sink_) return;
  if (bgr.cols != input_width_ || bgr.rows != input_height_) {
    (void)sink_->Finish();
    sink_.reset();
    capture::SourceInfo resized = info;
    resized.width = bgr.cols;
    resized.height = bgr.rows;
    if (!Start(spec_, resized).ok()) return;
  }
  const core::Status s = sink_->Write(bgr);
  if (s.ok()) {
    ++frames_;
  } else {
    error_ = s.error().message;
    sink_.reset();
  }
}

std::string VirtualCamera::device_path() const {
  if (!sink_) return "";
  auto spec = output::ParseSinkSpec(spec_);
  return spec.ok() ? spec->path : "";
}

}  // namespace fw::app
