#include "output/image_file_sink.h"

#include <filesystem>
#include <utility>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include "core/atomic_file.h"
#include "output/sink_spec.h"

namespace fw::output {
namespace {

class ImageFileSink : public Sink {
 public:
  ImageFileSink(std::string name, std::string extension, core::PendingFile pending)
      : name_(std::move(name)), extension_(std::move(extension)), pending_(std::move(pending)) {}

  const std::string& name() const override { return name_; }

  // Each frame replaces the previous one: the file holds the last frame written. The picture
  // is encoded in memory and written by Complete(), so every byte's write is checked.
  core::Status Write(const cv::Mat& bgr) override {
    FW_RETURN_IF_ERROR(guard_.CheckWrite(bgr));
    bool ok = false;
    std::string why = "the encoder failed";
    try {
      ok = cv::imencode(extension_, bgr, encoded_);
    } catch (const cv::Exception& e) {
      why = e.err;
    }
    if (!ok) return core::Error::Runtime("cannot write " + name_ + ": " + why);
    guard_.Wrote();
    return core::Status::Ok();
  }

  core::Status Complete() override {
    FW_RETURN_IF_ERROR(guard_.CheckComplete());
    return pending_.Write(encoded_.data(), encoded_.size());
  }

  core::Status Commit() override { return pending_.Commit(); }

 private:
  std::string name_;
  std::string extension_;
  core::PendingFile pending_;
  std::vector<uchar> encoded_;
  SinkGuard guard_{name_};
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
  FW_ASSIGN_OR_RETURN(core::PendingFile pending, core::PendingFile::Create(path));
  return std::unique_ptr<Sink>(std::make_unique<ImageFileSink>(
      path, std::filesystem::path(path).extension().string(), std::move(pending)));
}

}  // namespace fw::output
