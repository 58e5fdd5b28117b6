// Output sinks behind one interface: image file, video file (.mp4/.mkv/.avi), YUV4MPEG2 file
// or stdout ("-"), virtual camera (v4l2:), GStreamer pipeline (gst:). File sinks write to an
// exclusive temporary file (core/atomic_file.h): Complete() finishes it and checks every write
// (a full disk fails there at the latest), Commit() renames it over the target, so a run can
// complete all its outputs before committing any; a sink destroyed before Commit() removes its
// partial file. An instance is used from one thread (a sink may run its own writer thread).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include <opencv2/core.hpp>

#include "core/result.h"
#include "core/yuv_image.h"

namespace fw::output {

struct StreamInfo {
  StreamInfo() = default;
  StreamInfo(int w, int h, double rate, bool still = false)
      : width(w), height(h), fps(rate), still_image(still) {}

  int width = 0;
  int height = 0;
  double fps = 30.0;
  bool still_image = false;  // input is one image
  // A media file whose first audio stream video file outputs carry (copied where the
  // container takes its codec, else re-encoded); empty: no audio.
  std::string audio_from;
  // Encoder quality for video file outputs: x264's constant rate factor 0..51 (lower is
  // better, 23 by default); MPEG-4 Part 2 and Motion JPEG map it onto their quantiser.
  int crf = 23;
};

class Sink {
 public:
  virtual ~Sink() = default;
  virtual const std::string& name() const = 0;
  virtual core::Status Write(const cv::Mat& bgr) = 0;  // 8-bit BGR, StreamInfo's size
  // The same frame as I420 planes. Sinks that store YUV (YUV4MPEG2, video files) take the
  // planes as they are; the others get them converted to BGR once.
  virtual core::Status WriteYuv(const core::YuvImage& yuv) {
    FW_RETURN_IF_ERROR(core::YuvToBgr(yuv, yuv_bgr_));
    return Write(yuv_bgr_);
  }
  // Flushes and checks everything (an encoder's trailer, deferred write errors); a file stays
  // under its temporary name.
  virtual core::Status Complete() = 0;
  // Renames a completed file over its target; nothing for streams and devices.
  virtual core::Status Commit() { return core::Status::Ok(); }
  // Complete() then Commit().
  core::Status Finish();
  // Frames given to Write() that a newer frame replaced before they reached the output (the
  // virtual camera keeps only the newest); 0 for sinks that write every frame.
  virtual int64_t dropped() const { return 0; }

 private:
  cv::Mat yuv_bgr_;  // WriteYuv's conversion, reused
};

// The checks every sink makes around Write() and Complete(), in one place: no frame after
// Complete(), frames in 8-bit BGR (of the size opened, when one is given), Complete() once,
// and at least one frame for an output that must hold one.
class SinkGuard {
 public:
  explicit SinkGuard(std::string name, cv::Size size = {}) : name_(std::move(name)), size_(size) {}
  // Before a frame is written.
  core::Status CheckWrite(const cv::Mat& bgr) const;
  // Before I420 planes are written.
  core::Status CheckWrite(const core::YuvImage& yuv) const;
  // After a frame was written.
  void Wrote() { ++frames_; }
  // At Complete(): marks the sink complete; an error when it already was, or when need_frame
  // and no frame was written.
  core::Status CheckComplete(bool need_frame = true);
  int64_t frames() const { return frames_; }

 private:
  std::string name_;
  cv::Size size_;
  int64_t frames_ = 0;
  bool complete_ = false;
};

// Validates `spec` before any frame is processed (unknown extension, image output for video
// input, unwritable directory, a missing or busy device are errors). The spec forms are
// ParseSinkSpec's (sink_spec.h).
core::Result<std::unique_ptr<Sink>> OpenSink(const std::string& spec, const StreamInfo& info);

}  // namespace fw::output
