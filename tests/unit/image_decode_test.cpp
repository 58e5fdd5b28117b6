// Reading images safely: the size is checked from the header before decoding, damaged JPEG
// and PNG streams are refused (not grey-filled), and libjpeg/libpng print nothing.
#include <gtest/gtest.h>

#include <cstdint>
#include <opencv2/imgcodecs.hpp>
#include <optional>
#include <string>
#include <utility>

#include "capture/image_header.h"
#include "capture/image_integrity.h"
#include "capture/image_source.h"
#include "support/io_test_support.h"

namespace fw::capture {
namespace {

// The byte after the first occurrence of `chunk` (a PNG chunk type), or npos.
size_t AfterChunkType(const std::string& png, const std::string& chunk) {
  const size_t at = png.find(chunk);
  return at == std::string::npos ? at : at + chunk.size();
}

uint32_t Crc32(const std::string& bytes) {
  uint32_t crc = 0xffffffffu;
  for (const char c : bytes) {
    crc ^= static_cast<uint8_t>(c);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

std::string Be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

// A PNG signature and a valid IHDR chunk (8-bit grey) for a picture of w x h, nothing more.
std::string PngHeaderOnly(uint32_t w, uint32_t h) {
  const std::string ihdr = "IHDR" + Be32(w) + Be32(h) + std::string("\x08\x00\x00\x00\x00", 5);
  // The start of an IDAT chunk ends the header; its data is never reached.
  return std::string("\x89PNG\r\n\x1a\n", 8) + Be32(13) + ihdr + Be32(Crc32(ihdr)) + Be32(1 << 20) +
         "IDAT";
}

// Reads `path` as ReadImageBgr8 does and returns (error message, what reached stderr).
std::pair<std::string, std::string> ReadFails(const std::string& path) {
  testing::internal::CaptureStderr();
  auto image = ReadImageBgr8(path);
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_FALSE(image.ok()) << path << " was decoded";
  return {image.ok() ? "" : image.error().message, err};
}

TEST(ImageDecode, WholeJpegAndPngDecodeAsBefore) {
  for (const char* name : {"group3.jpg", "astronaut.png"}) {
    auto image = ReadImageBgr8(iotest::Asset(name));
    ASSERT_TRUE(image.ok()) << image.error().message;
    const cv::Mat reference = cv::imread(iotest::Asset(name), cv::IMREAD_COLOR);
    ASSERT_EQ(image->size(), reference.size());
    EXPECT_EQ(cv::norm(*image, reference, cv::NORM_INF), 0.0) << name;
  }
}

TEST(ImageDecode, JpegTruncatedAtHalfIsRefusedSilently) {
  iotest::TempDir dir;
  const std::string jpeg = iotest::ReadBytes(iotest::Asset("group3.jpg"));
  iotest::WriteBytes(dir.File("half.jpg"), jpeg.substr(0, jpeg.size() / 2));
  const auto [message, err] = ReadFails(dir.File("half.jpg"));
  EXPECT_NE(message.find("truncated or corrupt (Premature end of JPEG file)"), std::string::npos)
      << message;
  EXPECT_EQ(err, "");
}

// JPEG has no checksum: a flipped byte is found when it breaks the entropy-coded data (where
// OpenCV would grey-fill the rest of the picture), as the middle byte of group1.jpg does;
// about half of all single-byte flips decode to a complete, wrong picture that no decoder can
// tell from a real one.
TEST(ImageDecode, JpegWithAFlippedByteIsRefusedSilently) {
  iotest::TempDir dir;
  std::string jpeg = iotest::ReadBytes(iotest::Asset("group1.jpg"));
  jpeg[jpeg.size() / 2] = static_cast<char>(~jpeg[jpeg.size() / 2]);
  iotest::WriteBytes(dir.File("flipped.jpg"), jpeg);
  const auto [message, err] = ReadFails(dir.File("flipped.jpg"));
  EXPECT_NE(message.find("truncated or corrupt"), std::string::npos) << message;
  EXPECT_EQ(err, "");
}

TEST(ImageDecode, PngWithACrcErrorIsRefusedSilently) {
  iotest::TempDir dir;
  std::string png = iotest::ReadBytes(iotest::Asset("astronaut.png"));
  const size_t idat = AfterChunkType(png, "IDAT");
  ASSERT_NE(idat, std::string::npos);
  png[idat + 100] = static_cast<char>(png[idat + 100] ^ 0x01);
  iotest::WriteBytes(dir.File("crc.png"), png);
  const auto [message, err] = ReadFails(dir.File("crc.png"));
  EXPECT_NE(message.find("IDAT: CRC error"), std::string::npos) << message;
  EXPECT_EQ(err, "");
}

TEST(ImageDecode, PngCutShortIsRefused) {
  iotest::TempDir dir;
  const std::string png = iotest::ReadBytes(iotest::Asset("astronaut.png"));
  iotest::WriteBytes(dir.File("cut.png"), png.substr(0, png.size() - 20));  // IEND lost
  const auto [message, err] = ReadFails(dir.File("cut.png"));
  EXPECT_NE(message.find("truncated or corrupt"), std::string::npos) << message;
  EXPECT_EQ(err, "");
}

TEST(ImageDecode, OversizedImagesAreRefusedFromTheHeader) {
  // Headers only: the limit must act before any pixel data is looked for.
  auto png = CheckPngStream(PngHeaderOnly(30000, 30000));
  ASSERT_FALSE(png.ok());
  EXPECT_EQ(png.error().message,
            "30000x30000 pixels (900 megapixels) is more than the limit of 100 megapixels");
  const std::string bmp = "BM" + std::string(12, '\0') + std::string("\x28\0\0\0", 4) +
                          std::string("\x30\x75\0\0\x30\x75\0\0", 8);
  const std::optional<ImageSize> size = ReadHeaderSize(bmp, SniffImageFormat(bmp));
  ASSERT_TRUE(size.has_value());
  EXPECT_EQ(size->width, 30000);
  EXPECT_EQ(size->height, 30000);
  EXPECT_NE(CheckPixelLimit(*size), "");
  EXPECT_EQ(CheckPixelLimit({10000, 10000}), "");
  EXPECT_NE(CheckPixelLimit({10001, 10000}), "");
  EXPECT_NE(CheckPixelLimit({0, 10}), "");
}

TEST(ImageDecode, HeaderSizesOfEveryCheckedFormatMatchTheDecoder) {
  iotest::TempDir dir;
  const cv::Mat astronaut = cv::imread(iotest::Asset("astronaut.png"));
  const cv::Mat image = astronaut(cv::Rect(0, 0, 321, 123)).clone();
  for (const char* name : {"a.webp", "a.tiff", "a.bmp", "a.ppm", "a.pgm"}) {
    cv::Mat written = image;
    if (std::string(name) == "a.pgm") cv::extractChannel(image, written, 1);
    ASSERT_TRUE(cv::imwrite(dir.File(name), written)) << name;
    const std::string bytes = iotest::ReadBytes(dir.File(name));
    const ImageFormat format = SniffImageFormat(bytes.substr(0, 16));
    ASSERT_NE(format, ImageFormat::kNone) << name;
    const std::optional<ImageSize> size = ReadHeaderSize(bytes, format);
    ASSERT_TRUE(size.has_value()) << name;
    EXPECT_EQ(size->width, 321) << name;
    EXPECT_EQ(size->height, 123) << name;
    auto decoded = ReadImageBgr8(dir.File(name));
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded->size(), cv::Size(321, 123)) << name;
  }
}

}  // namespace
}  // namespace fw::capture
