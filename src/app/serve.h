// `facewarp serve ADDR:PORT [options]`: the stateless face service (net::FaceService) with no
// camera or window, until SIGINT/SIGTERM. Main thread.
#pragma once

#include <string>

#include "core/result.h"
#include "net/face_service.h"

namespace fw::app {

struct ServeCommand {
  net::ServeOptions options;
  std::string model;
  std::string log_level = "warn";
  bool exit_now = false;  // --help: print `text` and exit
  std::string text;
};

// argv[0] is "serve". Bad options, addresses, presets or parameters are usage errors (exit 2).
core::Result<ServeCommand> ParseServeCommandLine(int argc, const char* const* argv);

// Loads the model and serves until SIGINT/SIGTERM.
core::Status RunServe(const ServeCommand& command);

}  // namespace fw::app
