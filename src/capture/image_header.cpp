#include "capture/image_header.h"

#include <cctype>
#include <cstdio>

namespace fw::capture {
namespace {

uint32_t Le16(std::string_view b, size_t at) {
  return static_cast<uint8_t>(b[at]) | static_cast<uint32_t>(static_cast<uint8_t>(b[at + 1])) << 8;
}
uint32_t Le32(std::string_view b, size_t at) { return Le16(b, at) | Le16(b, at + 2) << 16; }
uint32_t Be16(std::string_view b, size_t at) {
  return static_cast<uint32_t>(static_cast<uint8_t>(b[at])) << 8 | static_cast<uint8_t>(b[at + 1]);
}
uint32_t Be32(std::string_view b, size_t at) { return Be16(b, at) << 16 | Be16(b, at + 2); }

std::optional<ImageSize> WebpSize(std::string_view b) {
  if (b.size() < 30) return std::nullopt;
  const std::string_view chunk = b.substr(12, 4);
  if (chunk == "VP8 ") {  // lossy: a key frame header, 14-bit sizes
    return ImageSize{Le16(b, 26) & 0x3fff, Le16(b, 28) & 0x3fff};
  }
  if (chunk == "VP8L") {  // lossless: 14-bit width-1 and height-1, packed
    if (static_cast<uint8_t>(b[20]) != 0x2f) return std::nullopt;
    const uint32_t bits = Le32(b, 21);
    return ImageSize{(bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1};
  }
  if (chunk == "VP8X") {  // extended: 24-bit canvas width-1 and height-1
    const uint32_t w = Le16(b, 24) | static_cast<uint32_t>(static_cast<uint8_t>(b[26])) << 16;
    const uint32_t h = Le16(b, 27) | static_cast<uint32_t>(static_cast<uint8_t>(b[29])) << 16;
    return ImageSize{static_cast<int64_t>(w) + 1, static_cast<int64_t>(h) + 1};
  }
  return std::nullopt;
}

// The first directory's ImageWidth (256) and ImageLength (257) tags.
std::optional<ImageSize> TiffSize(std::string_view b) {
  if (b.size() < 8) return std::nullopt;
  const bool le = b[0] == 'I';
  const auto u16 = [&](size_t at) { return le ? Le16(b, at) : Be16(b, at); };
  const auto u32 = [&](size_t at) { return le ? Le32(b, at) : Be32(b, at); };
  const uint64_t ifd = u32(4);
  if (ifd + 2 > b.size()) return std::nullopt;
  const uint32_t count = u16(ifd);
  ImageSize size;
  for (uint32_t i = 0; i < count; ++i) {
    const uint64_t entry = ifd + 2 + 12ull * i;
    if (entry + 12 > b.size()) return std::nullopt;
    const uint32_t tag = u16(entry);
    const uint32_t type = u16(entry + 2);
    if (tag != 256 && tag != 257) continue;
    const int64_t value = type == 3 ? u16(entry + 8) : type == 4 ? u32(entry + 8) : -1;
    if (value < 0) return std::nullopt;
    (tag == 256 ? size.width : size.height) = value;
  }
  if (size.width == 0 || size.height == 0) return std::nullopt;
  return size;
}

std::optional<ImageSize> BmpSize(std::string_view b) {
  if (b.size() < 26) return std::nullopt;
  const uint32_t header = Le32(b, 14);
  if (header == 12) return ImageSize{Le16(b, 18), Le16(b, 20)};  // OS/2 core header
  const auto w = static_cast<int32_t>(Le32(b, 18));
  const auto h = static_cast<int32_t>(Le32(b, 22));  // negative: rows stored top-down
  return ImageSize{w, h < 0 ? -static_cast<int64_t>(h) : h};
}

// "P6 # comment\n 640 480 255": the two numbers after the magic, comments skipped.
std::optional<ImageSize> PnmSize(std::string_view b) {
  size_t at = 2;
  int64_t numbers[2] = {0, 0};
  for (int64_t& n : numbers) {
    for (;;) {
      while (at < b.size() && std::isspace(static_cast<unsigned char>(b[at]))) ++at;
      if (at < b.size() && b[at] == '#') {
        while (at < b.size() && b[at] != '\n') ++at;
        continue;
      }
      break;
    }
    size_t digits = 0;
    while (at < b.size() && std::isdigit(static_cast<unsigned char>(b[at])) && digits < 12) {
      n = n * 10 + (b[at] - '0');
      ++at;
      ++digits;
    }
    if (digits == 0 || digits >= 12) return std::nullopt;
  }
  return ImageSize{numbers[0], numbers[1]};
}

}  // namespace

ImageFormat SniffImageFormat(std::string_view h) {
  const auto starts = [h](std::string_view magic) { return h.substr(0, magic.size()) == magic; };
  if (starts("\xff\xd8\xff")) return ImageFormat::kJpeg;
  if (starts("\x89PNG\r\n\x1a\n")) return ImageFormat::kPng;
  if (starts("RIFF") && h.size() >= 12 && h.substr(8, 4) == "WEBP") return ImageFormat::kWebp;
  if (starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4))) {
    return ImageFormat::kTiff;
  }
  if (starts("BM")) return ImageFormat::kBmp;
  if (h.size() >= 3 && h[0] == 'P' && h[1] >= '1' && h[1] <= '6' &&
      std::isspace(static_cast<unsigned char>(h[2]))) {
    return ImageFormat::kPnm;
  }
  return ImageFormat::kNone;
}

const char* ImageFormatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg:
      return "JPEG";
    case ImageFormat::kPng:
      return "PNG";
    case ImageFormat::kWebp:
      return "WebP";
    case ImageFormat::kTiff:
      return "TIFF";
    case ImageFormat::kBmp:
      return "BMP";
    case ImageFormat::kPnm:
      return "PNM";
    case ImageFormat::kNone:
      break;
  }
  return "unknown";
}

std::optional<ImageSize> ReadHeaderSize(std::string_view bytes, ImageFormat format) {
  switch (format) {
    case ImageFormat::kWebp:
      return WebpSize(bytes);
    case ImageFormat::kTiff:
      return TiffSize(bytes);
    case ImageFormat::kBmp:
      return BmpSize(bytes);
    case ImageFormat::kPnm:
      return PnmSize(bytes);
    default:
      return std::nullopt;
  }
}

std::string CheckPixelLimit(const ImageSize& size) {
  if (size.width <= 0 || size.height <= 0) return "the header gives no valid size";
  const double megapixels =
      static_cast<double>(size.width) * static_cast<double>(size.height) / 1e6;
  if (megapixels * 1e6 <= static_cast<double>(kMaxImagePixels)) return "";
  char text[160];
  std::snprintf(text, sizeof(text),
                "%lldx%lld pixels (%.0f megapixels) is more than the limit of %lld megapixels",
                static_cast<long long>(size.width), static_cast<long long>(size.height), megapixels,
                static_cast<long long>(kMaxImagePixels / 1'000'000));
  return text;
}

}  // namespace fw::capture
