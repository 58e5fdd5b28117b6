// Whole-stream checks of JPEG and PNG files with libjpeg and libpng themselves, before OpenCV
// decodes them: OpenCV's decoders fill a truncated or damaged picture with grey and let the
// libraries print to stderr. Here every warning that means lost picture data is an error, the
// size is checked against kMaxImagePixels before any pixel is decoded, and nothing is
// printed. Thread-safe (no shared state).
#pragma once

#include <string_view>

#include "capture/image_header.h"
#include "core/result.h"

namespace fw::capture {

// The file's size, once its header is within the pixel limit and its whole compressed stream
// decodes without a data error (decoded at 1/8 scale, one row at a time: little memory). The
// error message says what is wrong, e.g. "the file is truncated or corrupt (Premature end of
// JPEG file)", for the caller to put after the file name.
core::Result<ImageSize> CheckJpegStream(std::string_view bytes);

// The same for PNG: a CRC or zlib error in any chunk, or a file cut short, is an error.
core::Result<ImageSize> CheckPngStream(std::string_view bytes);

}  // namespace fw::capture
