#include "output/sink.h"

#include "output/gst_sink.h"
#include "output/image_file_sink.h"
#include "output/sink_spec.h"
#include "output/v4l2_sink.h"
#include "output/video_file_sink.h"
#include "output/y4m_sink.h"

namespace fw::output {

core::Status SinkGuard::CheckWrite(const cv::Mat& bgr) const {
  if (complete_) return core::Error::Runtime("internal: write to " + name_ + " after Finish");
  if (bgr.empty() || bgr.type() != CV_8UC3) {
    return core::Error::Runtime("internal: " + name_ + " needs non-empty 8-bit BGR frames");
  }
  if (!size_.empty() && bgr.size() != size_) {
    return core::Error::Runtime("internal: frame of " + std::to_string(bgr.cols) + "x" +
                                std::to_string(bgr.rows) + " for " + name_ + " opened at " +
                                std::to_string(size_.width) + "x" + std::to_string(size_.height));
  }
  return core::Status::Ok();
}

core::Status SinkGuard::CheckWrite(const core::YuvImage& yuv) const {
  if (complete_) return core::Error::Runtime("internal: write to " + name_ + " after Finish");
  if (yuv.y.empty()) return core::Error::Runtime("internal: " + name_ + " given empty planes");
  if (!size_.empty() && yuv.size() != size_) {
    return core::Error::Runtime("internal: I420 frame of " + std::to_string(yuv.width()) + "x" +
                                std::to_string(yuv.height()) + " for " + name_ + " opened at " +
                                std::to_string(size_.width) + "x" + std::to_string(size_.height));
  }
  return core::Status::Ok();
}

core::Status SinkGuard::CheckComplete(bool need_frame) {
  if (complete_) return core::Error::Runtime("internal: " + name_ + " finished twice");
  complete_ = true;
  if (need_frame && frames_ == 0) {
    return core::Error::Runtime("cannot write " + name_ + ": no frame was produced");
  }
  return core::Status::Ok();
}

core::Status Sink::Finish() {
  FW_RETURN_IF_ERROR(Complete());
  return Commit();
}

core::Result<std::unique_ptr<Sink>> OpenSink(const std::string& spec, const StreamInfo& info) {
  FW_ASSIGN_OR_RETURN(const SinkSpec parsed, ParseSinkSpec(spec));
  switch (parsed.kind) {
    case SinkKind::kStdoutY4m:
      return OpenY4mStdoutSink(info);
    case SinkKind::kY4mFile:
      return OpenY4mFileSink(parsed.path, info);
    case SinkKind::kVideoFile:
      return OpenVideoFileSink(parsed.path, parsed.extension, info);
    case SinkKind::kImageFile:
      return OpenImageFileSink(parsed.path, info);
    case SinkKind::kVirtualCamera:
      return OpenV4l2Sink(parsed.path, parsed.camera);
    case SinkKind::kGstPipeline:
      return OpenGstSink(parsed.pipeline, info);
  }
  return core::Error::Runtime("internal: unhandled output kind for " + spec);
}

}  // namespace fw::output
