#include "app/cli.h"

#include <algorithm>

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>

#include "capture/camera_list.h"
#include "core/number_parse.h"
#include "core/preset.h"
#include "net/control_server.h"

namespace fw::app {

namespace {

constexpr const char* kVersion = "facewarp 0.1.0";

constexpr const char* kExamples = R"(Examples:
  facewarp                                      live preview (camera 0, or the sample clip)
  facewarp --input face.jpg --output slim.png   one photo
  facewarp --input clip.mp4 --output out.mp4 --set thin=4 --set eyes=0.3
  facewarp --input 0 --output v4l2:/dev/video10       camera to a virtual camera, with preview
  facewarp --headless --input 0 --output - | ffplay -   camera to a YUV4MPEG2 pipe
  facewarp --control 127.0.0.1:8787                   live preview, driven over HTTP too
  facewarp serve 127.0.0.1:8080 --workers 2           the HTTP face service (serve --help)
)";

// CLI11's messages start with a capital and end without a hint; keep them as one line.
std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n') c = ' ';
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

core::Result<ParsedCommandLine> ParseCommandLine(int argc, const char* const* argv) {
  ParsedCommandLine parsed;
  Options& o = parsed.options;
  std::string backend = "auto";

  CLI::App cli{"facewarp: slims faces and enlarges eyes, live or on files.", "facewarp"};
  cli.set_version_flag("--version", kVersion);
  cli.add_option("--input", o.input,
                 "Camera index (0), device (/dev/video0), camera name (\"HD Webcam\", "
                 "see --list-cameras), video or image file. "
                 "Default: camera 0 if present, else the bundled sample clip.");
  cli.add_option("--output", o.outputs,
                 "Image path, video (.mp4 .mkv .avi), .y4m, - (YUV4MPEG2 on stdout), "
                 "v4l2:/dev/videoN[?size=WxH&format=yuyv|i420&fps=N&fit=letterbox|crop] "
                 "(virtual camera), or gst:PIPELINE. Repeatable. Without it (and --headless) "
                 "a preview opens.");
  cli.add_flag("--headless", o.headless, "No window: process the input and exit.");
  cli.add_flag("--realtime", o.realtime,
               "Deliver a file input at its own frame rate, as a camera would (frames that "
               "cannot be processed in time are dropped and counted).");
  cli.add_option("--backend", backend, "Warp backend: gl, cpu, or auto (gl where possible).")
      ->check(CLI::IsMember({"auto", "gl", "cpu"}));
  std::string hwdec = "auto";
  cli.add_option("--hwdec", hwdec,
                 "Video decoding: auto (a hardware decoder where a VAAPI, VDPAU or CUDA device "
                 "opens, else software) or none (software only).")
      ->check(CLI::IsMember({"auto", "none"}));
  std::string frames;
  cli.add_option("--frames", frames, "Process at most N frames (a whole number, 1 or more).");
  cli.add_option("--set", o.sets, "KEY=VALUE: set a parameter (see the list below). Repeatable.");
  cli.add_option("--preset", o.preset,
                 "Load parameters from a preset (before any --set): a shipped look by name "
                 "(natural, subtle, strong, v-line, classic) or a FILE.json.");
  cli.add_option("--save-preset", o.save_preset,
                 "Write the resulting parameters to a JSON preset and exit.");
  cli.add_option("--landmarks", o.landmarks,
                 "Write the landmarks of every frame as JSON lines (- : to stdout).");
  cli.add_option("--stats", o.stats, "Write run statistics (fps, per-stage p50/p95) as JSON.");
  std::string crf;
  cli.add_option("--crf", crf,
                 "Video file quality, 0 (best) to 51: x264's constant rate factor (default 23); "
                 "MPEG-4 and Motion JPEG map it onto their quantiser.");
  cli.add_option("--model", o.model, "The 68-point shape predictor model file.");
  cli.add_option("--detector-model", o.detector_model,
                 "The BlazeFace face detector model (face_detection_back_256x256_barracuda.onnx).");
  cli.add_option("--log-level", o.log_level, "error, warn, info or debug.")
      ->check(CLI::IsMember({"error", "warn", "info", "debug"}));
  cli.add_flag("--verbose", o.verbose,
               "Log at debug level, with the libraries' own messages (FFmpeg, OpenCV).");
  cli.add_flag("--require-face", o.require_face,
               "Fail (exit 1, nothing written) when a video or photo holds no face, instead of "
               "passing it through unchanged.");
  bool list_cameras = false;
  cli.add_flag("--list-cameras", list_cameras,
               "List the cameras (name, device, pixel formats, sizes and frame rates) and exit.");
  cli.add_flag("--no-config", o.no_config,
               "Ignore the remembered settings of the live preview (and do not save them).");
  cli.add_option("--control", o.control,
                 "HOST:PORT: serve the HTTP control API (parameters, effect, presets, stats, "
                 "snapshots, recording) while running. Loopback only without a token.");
  cli.add_option("--control-token", o.control_token,
                 "Bearer token for --control (or $FACEWARP_CONTROL_TOKEN); needed off loopback.");
  cli.footer(std::string("\n") + core::ParamHelpText() + "\n" + kExamples);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    parsed.exit_now = true;
    parsed.text = cli.help();
    return parsed;
  } catch (const CLI::CallForVersion&) {
    parsed.exit_now = true;
    parsed.text = std::string(kVersion) + "\n";
    return parsed;
  } catch (const CLI::ParseError& e) {
    return core::Error::Usage(OneLine(e.what()) + " (see facewarp --help)");
  }

  if (!frames.empty()) {
    const std::optional<int64_t> n = core::ParseWholeNumber(frames);
    if (!n || *n < 1) {
      return core::Error::Usage("--frames needs a whole number from 1 to " +
                                std::to_string(INT64_MAX) + ", got '" + frames + "'");
    }
    o.frames = *n;
  }
  if (!crf.empty()) {
    const std::optional<int64_t> n = core::ParseWholeNumber(crf);
    if (!n || *n < 0 || *n > 51) {
      return core::Error::Usage("--crf needs a whole number from 0 to 51, got '" + crf + "'");
    }
    o.crf = static_cast<int>(*n);
  }
  if (o.verbose) o.log_level = "debug";

  // Standard output carries one stream.
  const auto to_stdout =
      std::count(o.outputs.begin(), o.outputs.end(), "-") + (o.landmarks == "-" ? 1 : 0);
  if (to_stdout > 1) {
    return core::Error::Usage(
        "standard output (-) can take one stream: give --output - or --landmarks - once");
  }

  if (list_cameras) {
    parsed.exit_now = true;
    parsed.text = capture::CameraListText(capture::ListCameras());
    return parsed;
  }

  o.hwdec = capture::ParseHwDecode(hwdec).value_or(capture::HwDecode::kAuto);
  o.backend = backend == "gl" ? Backend::kGl : backend == "cpu" ? Backend::kCpu : Backend::kAuto;

  if (!o.control.empty()) {
    FW_RETURN_IF_ERROR(net::ControlOptionsFor(o.control, o.control_token).status());
  }
  if (!o.preset.empty()) FW_RETURN_IF_ERROR(core::LoadPreset(o.preset, o.params));
  for (const std::string& s : o.sets) FW_RETURN_IF_ERROR(core::SetFromString(o.params, s));

  if (!o.save_preset.empty()) {
    FW_RETURN_IF_ERROR(core::SavePreset(o.save_preset, o.params));
    parsed.exit_now = true;
    parsed.text = "facewarp: preset written to " + o.save_preset + "\n";
  }
  return parsed;
}

}  // namespace fw::app
