#include "app/app.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

#include "app/headless.h"
#include "capture/source.h"
#include "core/log.h"
#include "tracking/face_analyzer.h"
#ifdef FACEWARP_HAVE_UI
#include "app/preview.h"
#endif

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
  const std::string input = options.input.empty() ? capture::DefaultInput() : options.input;
  const bool live_input = input.find_first_not_of("0123456789") == std::string::npos ||
                          input.rfind("/dev/", 0) == 0;
  const bool preview = !options.headless && (options.outputs.empty() || live_input);

  capture::SourceOptions source_options;
  // In the preview a photo is an endless still stream, so its sliders can be tuned live.
  source_options.image_frames = preview ? -1 : 1;
  auto source = capture::OpenSource(input, source_options);
  if (!source.ok()) return source.error();
  const capture::SourceInfo& info = (*source)->info();
  if (info.kind == capture::SourceKind::kImage) {
    options.params = ForStillImage(options.params, info.width);
  }

  auto analyzer = tracking::FaceAnalyzer::Create(options.model, options.detector_model);
  if (!analyzer.ok()) return analyzer.error();
  if (!(*analyzer)->detector_notice().empty()) {
    spdlog::warn("{}", (*analyzer)->detector_notice());
  }

  InstallStopSignalHandlers();
  if (preview) {
#ifdef FACEWARP_HAVE_UI
    return RunPreview(options, input, std::move(source).value(), source_options, **analyzer);
#else
    return core::Error::Usage("this facewarp was built without the preview window; give "
                              "--headless and --output FILE");
#endif
  }
  return RunHeadless(options, input, std::move(source).value(), source_options, **analyzer);
}

}  // namespace fw::app
