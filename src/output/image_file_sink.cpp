#include "output/image_file_sink.h"

#include <utility>

#include <opencv2/imgcodecs.hpp>

#include "core/atomic_file.h"
#include "output/sink_spec.h"

namespace fw::output {
namespace {

class ImageFileSink : public Sink {
 public:
  ImageFileSink(std::string name, core::PendingFile pending)
      : name_(std::move(name)), pending_(std::move(pending)) {}

  const std::string& name() const override { return name_; }

  // Each frame replaces the previous one: the file holds the last frame written.
  core::Status Write(const cv::Mat& bgr) override {
    if (finished_) return core::Error::Runtime("internal: write to " + name_ + " after Finish");
    bool ok = false;
    std::string why = "the encoder failed";
    try {
      ok = cv::imwrite(pending_.temp_path(), bgr);
    } catch (const cv::Exception& e) {
      why = e.err;
    }
    if (!ok) return core::Error::Runtime("cannot write " + name_ + ": " + why);
    ++frames_;
    return core::Status::Ok();
  }

  core::Status Finish() override {
    if (finished_) return core::Error::Runtime("internal: " + name_ + " finished twice");
    finished_ = true;
    if (frames_ == 0) {
      return core::Error::Runtime("cannot write " + name_ + ": no frame was produced");
    }
    return pending_.Commit();
  }

 private:
  std::string name_;
  core::PendingFile pending_;
  int64_t frames_ = 0;
  bool finished_ = false;
};

}  // namespace

core::Result<std::unique_ptr<Sink>> OpenImageFileSink(const std::string& path,
                                                      const StreamInfo& info) {
  if (!info.still_image) {
    return core::Error::Usage("cannot write a video to the image file " + path +
                              ": use an image input, or a video output (.mp4 .mkv .avi .y4m)");
  }
  FW_RETURN_IF_ERROR(CheckOutputPath(path));
  bool can_encode = false;
  try {
    can_encode = cv::haveImageWriter(path);
  } catch (const cv::Exception&) {
  }
  if (!can_encode) {
    return core::Error::Runtime("cannot write " + path +
                                ": this OpenCV build has no encoder for that image format");
  }
  return std::unique_ptr<Sink>(std::make_unique<ImageFileSink>(path, core::PendingFile(path)));
}

}  // namespace fw::output
