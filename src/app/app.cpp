#include "app/app.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <memory>

#include "app/headless.h"
#include "app/preview.h"
#include "app/preview_devices.h"
#include "app/settings.h"
#include "capture/source.h"
#include "core/log.h"
#include "core/stop_signal.h"
#include "tracking/face_analyzer.h"

namespace fw::app {

namespace {

// A still photo is processed once, so the detector can afford its full resolution: group
// photos hold faces too small to find at the video default.
core::Params ForStillImage(core::Params params, int width) {
  const core::ParamSpec& spec = *core::FindParam("detect_width");
  params.detect_width = std::clamp(static_cast<double>(width), params.detect_width, spec.max);
  return params;
}

}  // namespace

core::Status Run(const Options& given) {
  Options options = given;
  const std::string given_input = options.input.empty() ? capture::DefaultInput() : options.input;
  const bool live_input = given_input.find_first_not_of("0123456789") == std::string::npos ||
                          given_input.rfind("/dev/", 0) == 0;
  bool preview = !options.headless && (options.outputs.empty() || live_input);

  // The remembered settings apply to the live preview only (app/settings.h): the command line
  // wins, and runs on files keep the defaults that scripts rely on.
  capture::SourceOptions source_options;
  std::string input = options.input;
  LoadedSettings remembered;
  std::string settings_path;
  if (preview && !options.no_config) {
    settings_path = SettingsPath();
    remembered = LoadSettings(settings_path);
    if (!remembered.warning.empty()) std::fprintf(stderr, "%s\n", remembered.warning.c_str());
    if (!remembered.may_save) settings_path.clear();
    FW_ASSIGN_OR_RETURN(options.params,
                        PreviewParams(remembered.settings.params, options.preset, options.sets));
    const Settings& s = remembered.settings;
    if (input.empty()) input = RememberedCamera(s);
    if (!input.empty() && options.input.empty() && s.camera_width > 0) {
      source_options.camera_width = s.camera_width;
      source_options.camera_height = s.camera_height;
      source_options.camera_fps = s.camera_fps > 0.0 ? s.camera_fps : source_options.camera_fps;
    }
  }
  if (input.empty()) input = given_input;

  // In the preview a photo is an endless still stream, so its sliders can be tuned live; so
  // is a photo delivered --realtime, as a camera would deliver it.
  source_options.image_frames = preview || options.realtime ? -1 : 1;
  // Headless runs keep decoded video as planes (BGR is made only where a consumer needs it).
  source_options.planar = !preview;
  source_options.hwdec = options.hwdec;
  FW_ASSIGN_OR_RETURN(auto source, capture::OpenSource(input, source_options));
  const capture::SourceInfo& info = source->info();
  // A camera given by its name is live too.
  if (info.kind == capture::SourceKind::kCamera && !options.headless) preview = true;
  if (info.kind == capture::SourceKind::kImage) {
    options.params = ForStillImage(options.params, info.width);
  }

  FW_ASSIGN_OR_RETURN(auto analyzer,
                      tracking::FaceAnalyzer::Create(options.model, options.detector_model));
  if (!analyzer->detector_notice().empty()) spdlog::warn("{}", analyzer->detector_notice());

  // The handlers are installed at the start of main(): a signal during the model load lands here.
  if (core::StopRequested()) {
    return core::Error::Runtime(std::string("interrupted by ") + core::StopSignalName() +
                                " before the first frame; nothing was written");
  }
  if (preview) {
    return RunPreview(options, input, std::move(source), source_options, *analyzer,
                      remembered.settings, settings_path);
  }
  return RunHeadless(options, input, std::move(source), source_options, *analyzer);
}

}  // namespace fw::app
