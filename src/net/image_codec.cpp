#include "net/image_codec.h"

#include <cstdint>
#include <opencv2/imgcodecs.hpp>
#include <vector>

#include "core/result.h"

namespace fw::net {

namespace {

uint32_t BigEndian32(std::string_view b, size_t at) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(b[at])) << 24) |
         (static_cast<uint32_t>(static_cast<uint8_t>(b[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<uint8_t>(b[at + 2])) << 8) |
         static_cast<uint32_t>(static_cast<uint8_t>(b[at + 3]));
}

uint32_t BigEndian16(std::string_view b, size_t at) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(b[at])) << 8) |
         static_cast<uint32_t>(static_cast<uint8_t>(b[at + 1]));
}

bool StartsWith(std::string_view b, std::string_view prefix) {
  return b.substr(0, prefix.size()) == prefix;
}

ApiError NotAnImage(const std::string& why) {
  return {400, "the body is not a PNG or JPEG image (" + why + ")"};
}

ApiResult<ImageHeader> PngHeader(std::string_view b) {
  // Signature, then the IHDR chunk: length, "IHDR", width, height (big-endian).
  if (b.size() < 24 || b.substr(12, 4) != "IHDR") return NotAnImage("PNG header cut short");
  ImageHeader h;
  h.format = ImageFormat::kPng;
  const uint32_t w = BigEndian32(b, 16), hgt = BigEndian32(b, 20);
  if (w == 0 || hgt == 0 || w > 0x7FFFFFFF || hgt > 0x7FFFFFFF) {
    return NotAnImage("PNG with an invalid size");
  }
  h.width = static_cast<int>(w);
  h.height = static_cast<int>(hgt);
  return h;
}

ApiResult<ImageHeader> JpegHeader(std::string_view b) {
  // Walk the marker segments up to the first start-of-frame; the entropy-coded data after the
  // start of scan holds no 0xFF 0xD9 except the end-of-image marker (0xFF is stuffed there).
  size_t at = 2;
  ImageHeader h;
  h.format = ImageFormat::kJpeg;
  bool have_frame = false;
  while (at + 4 <= b.size()) {
    if (static_cast<uint8_t>(b[at]) != 0xFF) return NotAnImage("JPEG marker expected");
    uint8_t marker = static_cast<uint8_t>(b[at + 1]);
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {  // no length
      at += 2;
      continue;
    }
    const size_t length = BigEndian16(b, at + 2);
    if (length < 2 || at + 2 + length > b.size()) return NotAnImage("JPEG cut short");
    const bool frame =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (frame) {
      if (length < 7) return NotAnImage("JPEG frame header cut short");
      h.height = static_cast<int>(BigEndian16(b, at + 5));
      h.width = static_cast<int>(BigEndian16(b, at + 7));
      if (h.width == 0 || h.height == 0) return NotAnImage("JPEG with an invalid size");
      have_frame = true;
    }
    if (marker == 0xDA) {  // start of scan
      if (!have_frame) return NotAnImage("JPEG scan before its frame header");
      if (b.find("\xFF\xD9", at + 2 + length) == std::string_view::npos) {
        return NotAnImage("JPEG cut short: no end-of-image marker");
      }
      return h;
    }
    if (marker == 0xD9) break;
    at += 2 + length;
  }
  return NotAnImage("JPEG cut short");
}

}  // namespace

ApiResult<ImageHeader> ReadImageHeader(std::string_view b, const ImageLimits& limits) {
  ApiResult<ImageHeader> header = ApiError{};
  if (StartsWith(b, "\x89PNG\r\n\x1a\n")) {
    header = PngHeader(b);
  } else if (StartsWith(b, "\xFF\xD8\xFF")) {
    header = JpegHeader(b);
  } else if (StartsWith(b, "GIF8") || StartsWith(b, "BM") || StartsWith(b, "II*") ||
             StartsWith(b, std::string_view("MM\0*", 4)) ||
             (StartsWith(b, "RIFF") && b.size() >= 12 && b.substr(8, 4) == "WEBP")) {
    return ApiError{415, "unsupported image format: send PNG or JPEG"};
  } else if (b.empty()) {
    return ApiError{400, "the body is empty: send a PNG or JPEG image"};
  } else {
    return NotAnImage("unknown signature");
  }
  if (!header.ok()) return header;
  const ImageHeader& h = *header;
  if (h.width > limits.max_side || h.height > limits.max_side ||
      static_cast<int64_t>(h.width) * h.height > limits.max_pixels) {
    return ApiError{413, "image of " + std::to_string(h.width) + "x" + std::to_string(h.height) +
                             " is too large: at most " + std::to_string(limits.max_side) +
                             " pixels a side and " + std::to_string(limits.max_pixels) +
                             " pixels in all"};
  }
  return header;
}

ApiResult<cv::Mat> DecodeImage(std::string_view bytes, const ImageLimits& limits) {
  FW_ASSIGN_OR_RETURN(const ImageHeader header, ReadImageHeader(bytes, limits));
  const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<char*>(bytes.data()));
  cv::Mat image;
  try {
    image = cv::imdecode(buffer, cv::IMREAD_COLOR);
  } catch (const cv::Exception&) {
    image.release();
  }
  if (image.empty() || image.type() != CV_8UC3) {
    return NotAnImage("it could not be decoded: truncated or corrupt");
  }
  // EXIF orientation may swap the sides; anything else means the header lied.
  const bool same = (image.cols == header.width && image.rows == header.height) ||
                    (image.cols == header.height && image.rows == header.width);
  if (!same) return NotAnImage("its pixels do not match its header");
  return image;
}

std::string EncodeImage(const cv::Mat& bgr, ImageFormat format) {
  std::vector<uchar> out;
  if (format == ImageFormat::kPng) {
    cv::imencode(".png", bgr, out, {cv::IMWRITE_PNG_COMPRESSION, 3});
  } else {
    cv::imencode(".jpg", bgr, out, {cv::IMWRITE_JPEG_QUALITY, 92});
  }
  return std::string(out.begin(), out.end());
}

const char* MimeType(ImageFormat format) {
  return format == ImageFormat::kPng ? "image/png" : "image/jpeg";
}

}  // namespace fw::net
