// `facewarp serve ADDR:PORT [options]`: the stateless face service (net::FaceService) with no
// camera or window, until SIGINT/SIGTERM. Main thread.
#pragma once

#include <string>

#include "core/result.h"

namespace fw::app {

// argv[0] is "serve". Usage errors (exit 2) for bad options; --help fills `text` and returns
// at once.
core::Status RunServe(int argc, const char* const* argv, std::string& text);

}  // namespace fw::app
