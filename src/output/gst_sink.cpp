#include "output/gst_sink.h"

#include <cmath>
#include <utility>

#include <opencv2/videoio.hpp>
#include <opencv2/videoio/registry.hpp>

namespace fw::output {
namespace {

constexpr double kDefaultFps = 30.0;
constexpr char kPrefix[] = "appsrc ! videoconvert ! ";

class GstSink : public Sink {
 public:
  GstSink(std::string pipeline, std::unique_ptr<cv::VideoWriter> writer, cv::Size size)
      : name_("gst:" + std::move(pipeline)), writer_(std::move(writer)), size_(size) {}

  const std::string& name() const override { return name_; }

  core::Status Write(const cv::Mat& bgr) override {
    if (finished_) return core::Error::Runtime("internal: write to " + name_ + " after Finish");
    if (bgr.type() != CV_8UC3 || bgr.size() != size_) {
      return core::Error::Runtime("internal: frame of " + std::to_string(bgr.cols) + "x" +
                                  std::to_string(bgr.rows) + " for " + name_ + " opened at " +
                                  std::to_string(size_.width) + "x" + std::to_string(size_.height));
    }
    // OpenCV's GStreamer writer copies rows*cols*3 bytes from the first row, ignoring the
    // stride of a view into a larger image.
    const cv::Mat* frame = &bgr;
    if (!bgr.isContinuous()) {
      bgr.copyTo(contiguous_);
      frame = &contiguous_;
    }
    try {
      writer_->write(*frame);
    } catch (const cv::Exception& e) {
      return core::Error::Runtime("cannot write to " + name_ + ": " + e.err);
    }
    ++frames_;
    return core::Status::Ok();
  }

  core::Status Complete() override {
    if (finished_) return core::Error::Runtime("internal: " + name_ + " finished twice");
    finished_ = true;
    // release() sends end-of-stream and waits until it reaches the sink (muxers write their
    // index then); it reports no failure.
    writer_->release();
    if (frames_ == 0) {
      return core::Error::Runtime("cannot write to " + name_ + ": no frame was produced");
    }
    return core::Status::Ok();
  }

 private:
  std::string name_;
  std::unique_ptr<cv::VideoWriter> writer_;
  cv::Size size_;
  cv::Mat contiguous_;  // a packed copy of frames that are views
  int64_t frames_ = 0;
  bool finished_ = false;
};

}  // namespace

std::string CompleteGstPipeline(const std::string& pipeline) {
  const size_t first = pipeline.find_first_not_of(" \t");
  if (first == std::string::npos) return pipeline;
  const std::string element = pipeline.substr(first, pipeline.find_first_of(" \t!", first) - first);
  if (element == "appsrc") return pipeline.substr(first);
  return kPrefix + pipeline.substr(first);
}

bool HaveGstreamer() { return cv::videoio_registry::hasBackend(cv::CAP_GSTREAMER); }

core::Result<std::unique_ptr<Sink>> OpenGstSink(const std::string& pipeline,
                                                const StreamInfo& info) {
  const std::string name = "gst:" + pipeline;
  if (!HaveGstreamer()) {
    return core::Error::Runtime("cannot open " + name +
                                ": this OpenCV was built without GStreamer support");
  }
  if (info.width <= 0 || info.height <= 0) {
    return core::Error::Runtime("cannot open " + name + ": invalid frame size " +
                                std::to_string(info.width) + "x" + std::to_string(info.height));
  }
  const std::string full = CompleteGstPipeline(pipeline);
  const double fps = std::isfinite(info.fps) && info.fps > 0.0 ? info.fps : kDefaultFps;
  const cv::Size size(info.width, info.height);
  auto writer = std::make_unique<cv::VideoWriter>();
  bool opened = false;
  try {
    opened = writer->open(full, cv::CAP_GSTREAMER, 0, fps, size, true);
  } catch (const cv::Exception&) {
    opened = false;  // reported below like a failed start
  }
  if (!opened) {
    return core::Error::Runtime(
        "cannot start GStreamer pipeline '" + full +
        "': an element is missing or misspelt, a property is wrong, or the sink cannot start "
        "(gst-inspect-1.0 ELEMENT tells whether an element is installed; most are in Debian's "
        "gstreamer1.0-plugins-base, -good, -bad or -ugly)");
  }
  return std::unique_ptr<Sink>(std::make_unique<GstSink>(pipeline, std::move(writer), size));
}

}  // namespace fw::output
