#include "capture/image_integrity.h"

// clang-format off
#include <cstdio>    // jpeglib.h needs FILE and size_t first
#include <jpeglib.h>
#include <jerror.h>  // the warning codes
#include <png.h>
// clang-format on

#include <algorithm>
#include <csetjmp>
#include <string>
#include <vector>

namespace fw::capture {
namespace {

core::Error Damaged(const std::string& detail) {
  return core::Error::Runtime("the file is truncated or corrupt (" + detail + ")");
}

// ---- JPEG ----

struct JpegErrors {
  jpeg_error_mgr mgr;  // first: libjpeg hands back a pointer to it
  std::jmp_buf jump;
  std::string first_damage;  // the first warning that means lost data
};

std::string JpegMessage(j_common_ptr info) {
  char text[JMSG_LENGTH_MAX] = {};
  info->err->format_message(info, text);
  return text;
}

void JpegFail(j_common_ptr info) {
  auto* errors = reinterpret_cast<JpegErrors*>(info->err);
  errors->first_damage = JpegMessage(info);
  std::longjmp(errors->jump, 1);
}

// level -1: a warning about the data (corrupt entropy data, premature end, ...); >= 0: trace.
void JpegEmit(j_common_ptr info, int level) {
  if (level >= 0) return;
  auto* errors = reinterpret_cast<JpegErrors*>(info->err);
  // Extraneous bytes before a marker and Adobe transform hints lose no picture data; cameras
  // write such files, so they are not damage.
  const int code = info->err->msg_code;
  if (code == JWRN_EXTRANEOUS_DATA || code == JWRN_ADOBE_XFORM) return;
  if (errors->first_damage.empty()) errors->first_damage = JpegMessage(info);
}

void JpegSilent(j_common_ptr) {}

// ---- PNG ----

struct PngReader {
  std::string_view bytes;
  size_t at = 0;
  std::string error;
};

void PngRead(png_structp png, png_bytep out, png_size_t length) {
  auto* reader = static_cast<PngReader*>(png_get_io_ptr(png));
  if (length > reader->bytes.size() - reader->at) png_error(png, "the file ends too soon");
  std::copy_n(reader->bytes.data() + reader->at, length, reinterpret_cast<char*>(out));
  reader->at += length;
}

void PngFail(png_structp png, png_const_charp message) {
  auto* reader = static_cast<PngReader*>(png_get_error_ptr(png));
  reader->error = message != nullptr ? message : "libpng error";
  png_longjmp(png, 1);
}

void PngWarn(png_structp, png_const_charp) {}  // benign (colour profiles, text chunks)

}  // namespace

core::Result<ImageSize> CheckJpegStream(std::string_view bytes) {
  jpeg_decompress_struct info{};
  JpegErrors errors;
  info.err = jpeg_std_error(&errors.mgr);
  errors.mgr.error_exit = JpegFail;
  errors.mgr.emit_message = JpegEmit;
  errors.mgr.output_message = JpegSilent;
  std::vector<JSAMPLE> row;  // before setjmp: nothing with a destructor is made after it
  ImageSize size;
  std::string limit;
  if (setjmp(errors.jump) != 0) {
    jpeg_destroy_decompress(&info);
    return Damaged(errors.first_damage);
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&info, TRUE);
  size = ImageSize{info.image_width, info.image_height};
  limit = CheckPixelLimit(size);
  if (!limit.empty()) {
    jpeg_destroy_decompress(&info);
    return core::Error::Runtime(limit);
  }
  // Every coefficient is still entropy-decoded at 1/8 scale, so damage anywhere shows.
  info.scale_num = 1;
  info.scale_denom = 8;
  info.dct_method = JDCT_IFAST;
  info.do_fancy_upsampling = FALSE;
  jpeg_start_decompress(&info);
  row.resize(static_cast<size_t>(info.output_width) * info.output_components);
  JSAMPROW rows[1] = {row.data()};
  while (info.output_scanline < info.output_height && errors.first_damage.empty()) {
    jpeg_read_scanlines(&info, rows, 1);
  }
  if (errors.first_damage.empty()) jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  if (!errors.first_damage.empty()) return Damaged(errors.first_damage);
  return size;
}

core::Result<ImageSize> CheckPngStream(std::string_view bytes) {
  PngReader reader;
  reader.bytes = bytes;
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader, PngFail, PngWarn);
  if (png == nullptr) return core::Error::Runtime("libpng could not start");
  png_infop info = png_create_info_struct(png);
  std::vector<png_byte> row;
  ImageSize size;
  std::string limit;
  if (info == nullptr || setjmp(png_jmpbuf(png)) != 0) {
    png_destroy_read_struct(&png, info != nullptr ? &info : nullptr, nullptr);
    return Damaged(reader.error.empty() ? "libpng error" : reader.error);
  }
  png_set_read_fn(png, &reader, PngRead);
  // A bad CRC in any chunk, critical or not, stops the read.
  png_set_crc_action(png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
  // The pixel limit below is facewarp's; libpng's own (1M x 1M) would only come later.
  png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
  png_read_info(png, info);
  size = ImageSize{png_get_image_width(png, info), png_get_image_height(png, info)};
  limit = CheckPixelLimit(size);
  if (!limit.empty()) {
    png_destroy_read_struct(&png, &info, nullptr);
    return core::Error::Runtime(limit);
  }
  const int passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  row.resize(png_get_rowbytes(png, info));
  for (int pass = 0; pass < passes; ++pass) {
    for (int64_t y = 0; y < size.height; ++y) png_read_row(png, row.data(), nullptr);
  }
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
  return size;
}

}  // namespace fw::capture
