// Image files (.png .jpg .bmp .tif .webp...) for still-image input: the frame is encoded to a
// temporary name on Write and renamed over the target by Finish. Used from one thread.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "output/sink.h"

namespace fw::output {

// Usage error when the input is not a still image (a video cannot go into one image).
core::Result<std::unique_ptr<Sink>> OpenImageFileSink(const std::string& path,
                                                      const StreamInfo& info);

}  // namespace fw::output
