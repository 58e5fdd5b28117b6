#include "capture/image_source.h"

#include <opencv2/imgcodecs.hpp>

#include "capture/bgr8.h"
#include "core/stats.h"

namespace fw::capture {

core::Result<cv::Mat> ReadImageBgr8(const std::string& path) {
  cv::Mat image;
  try {
    // IMREAD_COLOR already yields 8-bit BGR; ToBgr8 guards against decoders that do not.
    image = cv::imread(path, cv::IMREAD_COLOR);
  } catch (const cv::Exception& e) {
    return core::Error::Runtime("cannot decode image " + path + ": " + e.err);
  }
  if (image.empty()) {
    return core::Error::Runtime("cannot decode image " + path +
                                ": the file is corrupt, truncated or not an image");
  }
  return ToBgr8(image);
}

ImageSource::ImageSource(cv::Mat bgr, std::string name, int64_t frames)
    : image_(std::move(bgr)), start_ns_(core::NowNs()) {
  info_.kind = SourceKind::kImage;
  info_.name = std::move(name);
  info_.width = image_.cols;
  info_.height = image_.rows;
  info_.fps = 0.0;
  info_.frame_count = frames;
}

ReadState ImageSource::Read(core::Frame& frame) {
  if (info_.frame_count >= 0 && next_index_ >= info_.frame_count) return ReadState::kEnd;
  frame.image = image_.clone();  // a new buffer per frame: frames move across threads
  frame.index = next_index_++;
  frame.capture_ns = core::NowNs();
  frame.timestamp_s = static_cast<double>(frame.capture_ns - start_ns_) * 1e-9;
  return ReadState::kFrame;
}

core::Result<std::unique_ptr<Source>> OpenImageFile(const std::string& path, int64_t frames) {
  auto image = ReadImageBgr8(path);
  if (!image.ok()) return image.error();
  return std::unique_ptr<Source>(std::make_unique<ImageSource>(std::move(*image), path, frames));
}

}  // namespace fw::capture
