#include "app/headless.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <vector>

#include "app/backend_factory.h"
#include "app/control.h"
#include "app/outputs.h"
#include "app/pipeline.h"
#include "core/atomic_file.h"
#include "core/log.h"
#include "core/stats.h"
#include "core/stop_signal.h"
#include "looks/look_plan.h"
#include "output/landmarks_writer.h"
#include "output/sink.h"
#include "warp/cpu_warp.h"
#include "warp/look_mapping.h"
#include "warp/warp_plan.h"

namespace fw::app {

bool StopRequested() { return core::StopRequested(); }

core::Status RunHeadless(const Options& options, const std::string& input,
                         std::unique_ptr<capture::Source> source,
                         const capture::SourceOptions& source_options,
                         tracking::FaceAnalyzer& analyzer) {
  const int64_t t_start = core::NowNs();
  const double cpu_start = core::ProcessCpuSeconds();
  const capture::SourceInfo info = source->info();
  const bool camera = info.kind == capture::SourceKind::kCamera;
  // A virtual camera shows frames at its own rate, so a file feeding one is paced and loops,
  // as it would on screen, instead of racing through and being dropped.
  const bool virtual_camera =
      std::any_of(options.outputs.begin(), options.outputs.end(),
                  [](const std::string& spec) { return spec.rfind("v4l2:", 0) == 0; });
  const bool live = camera || virtual_camera || options.realtime;
  FW_ASSIGN_OR_RETURN(Sinks sinks, OpenOutputs(options.outputs, info, options.crf));
  std::unique_ptr<output::LandmarksWriter> landmarks;
  if (!options.landmarks.empty()) {
    FW_ASSIGN_OR_RETURN(landmarks, output::LandmarksWriter::Open(options.landmarks));
  }
  // Every destination is checked before the first frame; the statistics are written last.
  std::optional<core::PendingFile> stats_file;
  if (!options.stats.empty()) {
    FW_ASSIGN_OR_RETURN(stats_file, core::PendingFile::Create(options.stats));
  }
  // After the outputs, so a bad output path is reported before any backend fallback notice.
  FW_ASSIGN_OR_RETURN(std::unique_ptr<warp::WarpBackend> backend,
                      CreateWarpBackend(options.backend));
  if (sinks.empty() && !landmarks && options.stats.empty()) {
    spdlog::warn("no --output given: frames are processed but nothing is written");
  }
  spdlog::info("input {} ({}x{} @ {} fps), backend {}", info.name, info.width, info.height,
               info.fps, backend->name());

  core::RunStats stats;
  PipelineOptions pipeline_options;
  pipeline_options.live = live;
  pipeline_options.paced = live;
  pipeline_options.loop = virtual_camera && !camera;
  pipeline_options.max_frames = options.frames;
  Pipeline pipeline(std::move(source), input, source_options, analyzer, options.params,
                    pipeline_options, stats);
  FW_ASSIGN_OR_RETURN(
      std::unique_ptr<ControlSession> control,
      ControlSession::Start(options, options.params, LiveStatsJson(stats, t_start, cpu_start)));
  HeadlessControlTarget control_target(info.fps);
  core::Params params = options.params;
  bool effect_on = true;
  pipeline.Start();

  int64_t frames_with_faces = 0;
  cv::Mat warped;
  core::YuvImage warped_yuv;
  auto* cpu_backend = dynamic_cast<warp::CpuWarpBackend*>(backend.get());
  warp::WarpPlan plan;
  // A photo delivered live is published once (again when a tracking parameter changes): the
  // loop then polls, so that a stop is noticed and a control change re-warps the photo.
  const bool still = live && info.kind == capture::SourceKind::kImage;
  std::optional<TrackedFrame> last_still;
  looks::LookPlan looks;
  while (!core::StopRequested()) {
    std::optional<TrackedFrame> tracked;
    if (still) {
      tracked = pipeline.TakeFor(std::chrono::milliseconds(10));
      if (!tracked) {
        if (pipeline.ended()) break;
        if (control && last_still && control->channel().HasChanges()) {
          tracked = last_still;
        } else {
          // Requests wait for the first frame (there is nothing to show before it).
          if (control && last_still) control->channel().Serve(control_target);
          continue;
        }
      }
      last_still = tracked;
    } else {
      tracked = pipeline.Take();
    }
    if (!tracked) break;
    if (control && control->channel().TakeChanges(params, effect_on)) {
      pipeline.SetParams(params);
    }
    if (!tracked->faces.empty()) ++frames_with_faces;
    plan.clear();
    const int left_out = effect_on ? warp::PlanFrameInto(tracked->faces, params, plan) : 0;
    if (left_out > 0) stats.AddCount("faces_not_warped", left_out);
    // Planar frames go in as planes to a backend that converts them itself (GL, in shaders,
    // appearance layers included), and to the CPU backend when no appearance layer is drawn
    // (those are drawn in BGR); otherwise BGR is made once here. The result comes out as planes
    // for the sinks unless the GL backend serves the control API, whose snapshots are BGR.
    core::Frame& frame = tracked->frame;
    const bool wants_looks = effect_on && (params.age > 0.0 || params.skin_smooth > 0.0);
    const bool planes_in =
        !frame.yuv.empty() && (backend->takes_planes() || (cpu_backend != nullptr && !wants_looks));
    const bool planar = planes_in && (cpu_backend != nullptr || !control);
    {
      const int64_t t0 = core::NowNs();
      looks.num_faces = 0;
      if (wants_looks) {
        // The looks sample skin, hair and background colours from the frame in BGR.
        FW_RETURN_IF_ERROR(core::EnsureBgr(frame));
        looks::PlanLooks(tracked->faces, params, frame.image, looks);
        warp::MoveLooksThroughWarp(plan, looks);
      }
      if (planar && cpu_backend != nullptr) {
        FW_RETURN_IF_ERROR(cpu_backend->WarpYuv(frame.yuv, plan, warped_yuv));
      } else if (planar) {
        FW_RETURN_IF_ERROR(backend->WarpYuvWithLooks(frame.yuv, plan, looks, warped_yuv));
      } else if (planes_in) {
        FW_RETURN_IF_ERROR(backend->WarpYuvWithLooks(frame.yuv, plan, looks, warped));
      } else {
        FW_RETURN_IF_ERROR(core::EnsureBgr(frame));
        FW_RETURN_IF_ERROR(backend->WarpWithLooks(frame.image, plan, looks, warped));
      }
      const double readback_ms = backend->last_readback_ms();
      stats.Record(core::Stage::kWarp, (core::NowNs() - t0) * 1e-6 - readback_ms);
      stats.Record(core::Stage::kReadback, readback_ms);
    }
    {
      core::ScopedStageTimer timer(stats, core::Stage::kOutput);
      for (auto& sink : sinks) {
        FW_RETURN_IF_ERROR(planar ? sink->WriteYuv(warped_yuv) : sink->Write(warped));
      }
      if (landmarks) FW_RETURN_IF_ERROR(landmarks->Write(frame.index, tracked->faces));
    }
    // The control API's snapshots are BGR: made from the CPU backend's planes only while it
    // listens.
    if (planar && control) FW_RETURN_IF_ERROR(core::YuvToBgr(warped_yuv, warped));
    stats.Record(core::Stage::kLatency, (core::NowNs() - tracked->frame.capture_ns) * 1e-6);
    stats.CountFrame();
    if (control) {
      control_target.OnFrame(warped);
      control->channel().Serve(control_target);
    }
  }
  control.reset();
  control_target.Finish();
  stats.CountDropped(pipeline.dropped());
  const std::string worker_error = pipeline.error();
  pipeline.Stop();

  if (core::StopRequested() && stats.frames() == 0) {
    return core::Error::Runtime(std::string("interrupted by ") + core::StopSignalName() +
                                " before the first frame; nothing was written");
  }
  if (!worker_error.empty()) return core::Error::Runtime(worker_error);
  if (core::StopRequested() && !live) {
    return core::Error::Runtime(std::string("interrupted by ") + core::StopSignalName() +
                                " after " + std::to_string(stats.frames()) +
                                " frames; nothing was written");
  }
  if (stats.frames() == 0) {
    return core::Error::Runtime("no frame could be read from " + info.name);
  }
  if (frames_with_faces == 0 && !live) {
    if (options.require_face) {
      return core::Error::Runtime("no face found in " + info.name + " (" +
                                  std::to_string(stats.frames()) +
                                  " frames) and --require-face was given; nothing was written");
    }
    // Not an error: a clip or photo without anyone in it passes through unchanged.
    spdlog::warn("no face found in {} ({} frames): passed through unchanged", info.name,
                 stats.frames());
  }
  // All or nothing: every output is completed (trailers written, every write checked) before
  // the first is renamed over its target.
  for (auto& sink : sinks) FW_RETURN_IF_ERROR(sink->Complete());
  if (landmarks) FW_RETURN_IF_ERROR(landmarks->Complete());
  if (stats_file) {
    const double wall_s = (core::NowNs() - t_start) * 1e-9;
    stats.SetNote("backend", backend->name());
    stats.SetNote("input", info.name);
    FW_RETURN_IF_ERROR(
        stats_file->Write(stats.ToJson(wall_s, core::ProcessCpuSeconds() - cpu_start)));
  }
  for (auto& sink : sinks) FW_RETURN_IF_ERROR(sink->Commit());
  if (landmarks) FW_RETURN_IF_ERROR(landmarks->Commit());
  if (stats_file) FW_RETURN_IF_ERROR(stats_file->Commit());
  for (auto& sink : sinks) spdlog::info("wrote {}", sink->name());
  return core::Status::Ok();
}

}  // namespace fw::app
