#include "app/app.h"

#include <memory>
#include <vector>

#include "app/backend_factory.h"
#include "capture/source.h"
#include "core/atomic_file.h"
#include "core/log.h"
#include "core/stats.h"
#include "output/landmarks_writer.h"
#include "output/sink.h"
#include "tracking/face_analyzer.h"
#include "warp/warp_plan.h"

namespace fw::app {

namespace {

struct Pipeline {
  std::unique_ptr<capture::Source> source;
  std::unique_ptr<tracking::FaceAnalyzer> analyzer;
  std::unique_ptr<warp::WarpBackend> backend;
  std::vector<std::unique_ptr<output::Sink>> sinks;
  std::unique_ptr<output::LandmarksWriter> landmarks;
};

core::Result<Pipeline> OpenPipeline(const Options& o) {
  Pipeline p;
  const std::string input = o.input.empty() ? capture::DefaultInput() : o.input;
  auto source = capture::OpenSource(input);
  if (!source.ok()) return source.error();
  p.source = std::move(source).value();

  auto analyzer = tracking::FaceAnalyzer::Create(o.model);
  if (!analyzer.ok()) return analyzer.error();
  p.analyzer = std::move(analyzer).value();

  auto backend = CreateWarpBackend(o.backend);
  if (!backend.ok()) return backend.error();
  p.backend = std::move(backend).value();

  const capture::SourceInfo& info = p.source->info();
  output::StreamInfo stream;
  stream.width = info.width;
  stream.height = info.height;
  stream.fps = info.fps > 0.0 ? info.fps : 30.0;
  stream.still_image = info.kind == capture::SourceKind::kImage;
  for (const std::string& spec : o.outputs) {
    auto sink = output::OpenSink(spec, stream);
    if (!sink.ok()) return sink.error();
    p.sinks.push_back(std::move(sink).value());
  }
  if (!o.landmarks.empty()) {
    auto writer = output::LandmarksWriter::Open(o.landmarks);
    if (!writer.ok()) return writer.error();
    p.landmarks = std::move(writer).value();
  }
  return p;
}

}  // namespace

core::Status Run(const Options& options) {
  if (options.outputs.empty() && !options.headless) {
    return core::Error::Usage(
        "the live preview window is not built into this facewarp yet; give --output FILE "
        "or --headless");
  }
  const int64_t t_start = core::NowNs();
  const double cpu_start = core::ProcessCpuSeconds();

  auto opened = OpenPipeline(options);
  if (!opened.ok()) return opened.error();
  Pipeline& p = *opened;
  const capture::SourceInfo& info = p.source->info();
  spdlog::info("input {} ({}x{} @ {} fps), backend {}", info.name, info.width, info.height,
               info.fps, p.backend->name());

  core::RunStats stats;
  int64_t frames_with_faces = 0;
  core::Frame frame;
  cv::Mat warped;
  while (options.frames < 0 || stats.frames() < options.frames) {
    capture::ReadState state;
    {
      core::ScopedStageTimer timer(stats, core::Stage::kCapture);
      state = p.source->Read(frame);
    }
    if (state == capture::ReadState::kEnd) break;
    if (state == capture::ReadState::kFailed) {
      return core::Error::Runtime("reading " + info.name + " failed at frame " +
                                  std::to_string(stats.frames()));
    }

    core::Faces faces;
    {
      core::ScopedStageTimer timer(stats, core::Stage::kDetect);
      faces = p.analyzer->Detect(frame.image, options.params);
    }
    if (!faces.empty()) ++frames_with_faces;

    const warp::WarpPlan plan = warp::PlanFrame(faces, options.params);
    {
      core::ScopedStageTimer timer(stats, core::Stage::kWarp);
      FW_RETURN_IF_ERROR(p.backend->Warp(frame.image, plan, warped));
    }
    {
      core::ScopedStageTimer timer(stats, core::Stage::kOutput);
      for (auto& sink : p.sinks) FW_RETURN_IF_ERROR(sink->Write(warped));
      if (p.landmarks) FW_RETURN_IF_ERROR(p.landmarks->Write(frame.index, faces));
    }
    stats.CountFrame();
  }

  if (stats.frames() == 0) {
    return core::Error::Runtime("no frame could be read from " + info.name);
  }
  if (frames_with_faces == 0 && info.kind != capture::SourceKind::kCamera) {
    return core::Error::Runtime(
        "no face found in " + info.name + " (" + std::to_string(stats.frames()) +
        " frames); nothing was written. Small faces may need --set upsample=1");
  }
  for (auto& sink : p.sinks) FW_RETURN_IF_ERROR(sink->Finish());
  if (p.landmarks) FW_RETURN_IF_ERROR(p.landmarks->Finish());

  const double wall_s = (core::NowNs() - t_start) * 1e-9;
  if (!options.stats.empty()) {
    stats.SetNote("backend", p.backend->name());
    FW_RETURN_IF_ERROR(core::WriteFileAtomically(
        options.stats, stats.ToJson(wall_s, core::ProcessCpuSeconds() - cpu_start)));
  }
  for (auto& sink : p.sinks) spdlog::info("wrote {}", sink->name());
  return core::Status::Ok();
}

}  // namespace fw::app
