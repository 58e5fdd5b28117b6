#include "capture/image_source.h"

#include <opencv2/imgcodecs.hpp>
#include <optional>
#include <string_view>

#include "capture/bgr8.h"
#include "capture/image_header.h"
#include "capture/image_integrity.h"
#include "core/bounded_file.h"
#include "core/stats.h"

namespace fw::capture {

core::Result<cv::Mat> ReadImageBgr8(const std::string& path) {
  FW_ASSIGN_OR_RETURN(const std::string bytes,
                      core::ReadBoundedFile(path, "image", kMaxImageFileBytes));
  const std::string_view data = bytes;
  const auto refuse = [&path](const std::string& why) {
    return core::Error::Runtime("cannot decode image " + path + ": " + why);
  };

  // The size from the header, checked before any decoder allocates the picture; JPEG and PNG
  // streams are checked whole as well, since OpenCV grey-fills what it cannot decode.
  const ImageFormat format = SniffImageFormat(data.substr(0, 16));
  core::Result<ImageSize> size = ImageSize{};
  if (format == ImageFormat::kJpeg) {
    size = CheckJpegStream(data);
  } else if (format == ImageFormat::kPng) {
    size = CheckPngStream(data);
  } else if (format == ImageFormat::kNone) {
    return refuse("not an image facewarp reads (JPEG, PNG, WebP, TIFF, BMP or PNM)");
  } else {
    const std::optional<ImageSize> header = ReadHeaderSize(data, format);
    if (!header)
      return refuse(std::string("the ") + ImageFormatName(format) + " header is damaged");
    const std::string limit = CheckPixelLimit(*header);
    if (!limit.empty()) return refuse(limit);
    size = *header;
  }
  if (!size.ok()) return refuse(size.error().message);

  cv::Mat image;
  try {
    // IMREAD_COLOR already yields 8-bit BGR (EXIF orientation applied); ToBgr8 guards against
    // decoders that do not.
    const cv::Mat buffer(1, static_cast<int>(data.size()), CV_8UC1, const_cast<char*>(data.data()));
    image = cv::imdecode(buffer, cv::IMREAD_COLOR);
  } catch (const cv::Exception&) {
    image.release();  // OpenCV's own text is not for the user; the line below says it
  }
  if (image.empty() || static_cast<int64_t>(image.total()) != size->width * size->height) {
    return refuse("the file is corrupt, truncated or not an image");
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
  FW_ASSIGN_OR_RETURN(cv::Mat image, ReadImageBgr8(path));
  return std::unique_ptr<Source>(std::make_unique<ImageSource>(std::move(image), path, frames));
}

}  // namespace fw::capture
