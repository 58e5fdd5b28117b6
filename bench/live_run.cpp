// facewarp_live_run: the headless loop of `facewarp --headless` on a file paced at its frame
// rate (the pipeline's live mode, which facewarp itself uses only for cameras), to measure
// capture-to-output latency as a live source sees it. Writes the same --stats JSON.
//   facewarp_live_run CLIP cpu|gl FRAMES STATS.json OUT.y4m
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "app/backend_factory.h"
#include "app/pipeline.h"
#include "core/atomic_file.h"
#include "core/params.h"
#include "core/stats.h"
#include "output/sink.h"
#include "tracking/face_analyzer.h"
#include "warp/warp_plan.h"

namespace {

using fw::core::Status;

Status Run(const std::string& input, const std::string& backend_name, int64_t frames,
           const std::string& stats_path, const std::string& output) {
  auto source = fw::capture::OpenSource(input, {});
  if (!source) return source.error();
  auto analyzer = fw::tracking::FaceAnalyzer::Create("");
  if (!analyzer) return analyzer.error();
  auto backend = fw::app::CreateWarpBackend(backend_name == "gl" ? fw::app::Backend::kGl
                                                                 : fw::app::Backend::kCpu);
  if (!backend) return backend.error();
  const fw::capture::SourceInfo info = (*source)->info();
  fw::output::StreamInfo stream;
  stream.width = info.width;
  stream.height = info.height;
  stream.fps = info.fps;
  auto sink = fw::output::OpenSink(output, stream);
  if (!sink) return sink.error();

  const fw::core::Params params = fw::core::DefaultParams();
  const int64_t t_start = fw::core::NowNs();
  const double cpu_start = fw::core::ProcessCpuSeconds();
  fw::core::RunStats stats;
  fw::app::PipelineOptions options;
  options.live = true;
  options.max_frames = frames;
  fw::app::Pipeline pipeline(std::move(source).value(), input, {}, **analyzer, params, options,
                             stats);
  pipeline.Start();
  cv::Mat warped;
  fw::warp::WarpPlan plan;
  while (std::optional<fw::app::TrackedFrame> tracked = pipeline.Take()) {
    plan.clear();
    for (const fw::core::Face& face : tracked->faces) {
      fw::warp::AppendFacePlan(face, params, plan);
    }
    {
      fw::core::ScopedStageTimer timer(stats, fw::core::Stage::kWarp);
      FW_RETURN_IF_ERROR((*backend)->Warp(tracked->frame.image, plan, warped));
    }
    {
      fw::core::ScopedStageTimer timer(stats, fw::core::Stage::kOutput);
      FW_RETURN_IF_ERROR((*sink)->Write(warped));
    }
    stats.Record(fw::core::Stage::kLatency, (fw::core::NowNs() - tracked->frame.capture_ns) * 1e-6);
    stats.CountFrame();
  }
  stats.CountDropped(pipeline.dropped());
  pipeline.Stop();
  FW_RETURN_IF_ERROR((*sink)->Finish());
  stats.SetNote("backend", (*backend)->name());
  stats.SetNote("input", input);
  stats.SetNote("mode", "live (paced at the clip's frame rate)");
  const double wall_s = (fw::core::NowNs() - t_start) * 1e-9;
  return fw::core::WriteFileAtomically(
      stats_path, stats.ToJson(wall_s, fw::core::ProcessCpuSeconds() - cpu_start));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: facewarp_live_run CLIP cpu|gl FRAMES STATS.json OUT.y4m\n");
    return 2;
  }
  const Status status = Run(argv[1], argv[2], std::atoll(argv[3]), argv[4], argv[5]);
  if (!status.ok()) {
    std::fprintf(stderr, "facewarp_live_run: error: %s\n", status.error().message.c_str());
    return 1;
  }
  return 0;
}
