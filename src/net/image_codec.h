// Images in and out of the HTTP API: PNG and JPEG only, their size read from the header and
// bounded before anything is decoded (a 30000x30000 PNG of a few kilobytes is refused without
// allocating its pixels). Pure apart from OpenCV's codecs; thread-safe.
#pragma once

#include <opencv2/core.hpp>
#include <string>
#include <string_view>

#include "net/api_error.h"

namespace fw::net {

enum class ImageFormat { kPng, kJpeg };

struct ImageLimits {
  int max_side = 16384;             // pixels, either dimension
  int64_t max_pixels = 32 << 20;    // width x height (32 megapixels: 8192 x 4096)
};

struct ImageHeader {
  ImageFormat format = ImageFormat::kPng;
  int width = 0;
  int height = 0;
};

// The format and size from the first bytes. 400 for bytes that are not an image (or a
// truncated header), 415 for an image format other than PNG and JPEG (GIF, BMP, WebP, TIFF),
// 413 for a size beyond `limits`.
ApiResult<ImageHeader> ReadImageHeader(std::string_view bytes, const ImageLimits& limits);

// 8-bit BGR pixels, decoded as `cv::imread(path, cv::IMREAD_COLOR)` decodes the same file
// (the CLI's image input), after ReadImageHeader's checks. A truncated or corrupt image is a
// 400.
ApiResult<cv::Mat> DecodeImage(std::string_view bytes, const ImageLimits& limits);

// PNG (lossless) or JPEG (quality 92) bytes of an 8-bit BGR image.
std::string EncodeImage(const cv::Mat& bgr, ImageFormat format);

const char* MimeType(ImageFormat format);

}  // namespace fw::net
