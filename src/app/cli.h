// The command line (DESIGN.md, "Command line"): parsed into Options, with the parameter table
// applied (preset first, then every --set). Pure apart from reading the preset file and, for
// --list-cameras, querying the V4L2 devices.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "capture/hw_decode.h"
#include "core/params.h"
#include "core/result.h"

namespace fw::app {

enum class Backend { kAuto, kGl, kCpu };

struct Options {
  std::string input;                 // empty: camera 0 if present, else the sample clip
  std::vector<std::string> outputs;  // image/video/.y4m paths, "-", "v4l2:/dev/videoN"
  bool headless = false;
  bool realtime = false;  // pace a file input at its frame rate, as a camera
  Backend backend = Backend::kAuto;
  capture::HwDecode hwdec = capture::HwDecode::kAuto;  // video files: hardware decoding or none
  int64_t frames = -1;  // process at most this many frames; -1: all
  std::string preset;
  std::vector<std::string> sets;  // every --set KEY=VALUE, in order (applied to params)
  std::string save_preset;
  std::string landmarks;
  std::string stats;
  int crf = 23;  // video file quality: x264's constant rate factor 0..51
  std::string model;
  std::string detector_model;
  std::string log_level = "warn";
  bool verbose = false;       // show libraries' own messages (FFmpeg, OpenCV) in the log
  bool require_face = false;  // a file input without any face is an error, not copied
  bool no_config = false;     // ignore the remembered settings (app/config.h)
  std::string control;        // --control HOST:PORT: the HTTP control API; empty: none
  std::string control_token;  // --control-token (else $FACEWARP_CONTROL_TOKEN)
  core::Params params = core::DefaultParams();
};

// What main() does after parsing: run with the options, or exit at once (after --help,
// --version, --list-cameras or --save-preset) printing `text` to stdout.
struct ParsedCommandLine {
  Options options;
  bool exit_now = false;
  std::string text;
};

core::Result<ParsedCommandLine> ParseCommandLine(int argc, const char* const* argv);

}  // namespace fw::app
