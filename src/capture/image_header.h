// Recognising an image file by its first bytes and reading its size from the header, before
// any decoder allocates the picture. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fw::capture {

// The largest picture facewarp decodes: 100 megapixels (documented in the README,
// "Reliability"). Larger images are refused from their header, before any pixel is decoded.
inline constexpr int64_t kMaxImagePixels = 100'000'000;

// Image files are read whole; none this large is a photo.
inline constexpr uint64_t kMaxImageFileBytes = 1ull << 30;

enum class ImageFormat { kNone, kJpeg, kPng, kWebp, kTiff, kBmp, kPnm };

// The format by signature (the first 16 bytes are enough); kNone when no known signature.
ImageFormat SniffImageFormat(std::string_view head);
const char* ImageFormatName(ImageFormat format);

struct ImageSize {
  int64_t width = 0;
  int64_t height = 0;
};

// Width and height as the header of a WebP, TIFF, BMP or PNM file states them (JPEG and PNG
// are read by their own libraries, see image_integrity.h); nullopt when the header is cut
// short or malformed.
std::optional<ImageSize> ReadHeaderSize(std::string_view bytes, ImageFormat format);

// "" when width x height is positive and within kMaxImagePixels; else why not, as the end of
// an error line ("30000x30000 pixels (900 megapixels) is more than ...").
std::string CheckPixelLimit(const ImageSize& size);

}  // namespace fw::capture
