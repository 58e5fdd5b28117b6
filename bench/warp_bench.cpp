// The warp stage on the CPU backend, and the seed's sequential per-pixel warp beside it.
// Wall time, and the whole process's CPU time: the backend spreads rows over OpenCV's pool.
#include <benchmark/benchmark.h>

#include <opencv2/core.hpp>

#include "bench/bench_inputs.h"
#include "bench/seed_warp.h"
#include "core/yuv_image.h"
#include "warp/cpu_warp.h"

namespace fw::bench {
namespace {

void RunCpuWarp(benchmark::State& state, const FaceFrame& frame, const core::Params& params) {
  const warp::WarpPlan plan = PlanFor(frame, params);
  warp::CpuWarpBackend backend;
  cv::Mat dst;
  for (auto _ : state) {
    const core::Status status = backend.Warp(frame.image, plan, dst);
    if (!status.ok()) state.SkipWithError(status.error().message.c_str());
    benchmark::DoNotOptimize(dst.data);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["faces"] = static_cast<double>(frame.faces.size());
  state.counters["ops"] = static_cast<double>(plan.size());
}

void BM_CpuWarp_OneFace720p(benchmark::State& state) {
  RunCpuWarp(state, OneFace720p(), DefaultParams());
}
void BM_CpuWarp_Group3_720p(benchmark::State& state) {
  RunCpuWarp(state, Group3Frame(), DefaultParams());
}
// The same warp on I420 planes (Y full, chroma half resolution), as headless runs do it.
void BM_CpuWarpYuv_Group3_720p(benchmark::State& state) {
  const FaceFrame& frame = Group3Frame();
  const warp::WarpPlan plan = PlanFor(frame, DefaultParams());
  core::YuvImage src;
  core::YuvImage dst;
  if (!core::BgrToYuv(frame.image, src).ok()) state.SkipWithError("BgrToYuv failed");
  warp::CpuWarpBackend backend;
  for (auto _ : state) {
    const core::Status status = backend.WarpYuv(src, plan, dst);
    if (!status.ok()) state.SkipWithError(status.error().message.c_str());
    benchmark::DoNotOptimize(dst.y.data);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["faces"] = static_cast<double>(frame.faces.size());
  state.counters["ops"] = static_cast<double>(plan.size());
}
void BM_CpuWarp_Astronaut512(benchmark::State& state) {
  RunCpuWarp(state, Astronaut512(), DefaultParams());
}
// The seed's geometry (two cheek warps, strength 1): the like-for-like comparison.
void BM_CpuWarpSeedGeometry_OneFace720p(benchmark::State& state) {
  RunCpuWarp(state, OneFace720p(), SeedParams());
}
void BM_CpuWarpSeedGeometry_Astronaut512(benchmark::State& state) {
  RunCpuWarp(state, Astronaut512(), SeedParams());
}

// A frame copy: what the backend spends before it touches a single warped pixel.
void BM_FrameCopy720p(benchmark::State& state) {
  const cv::Mat& src = OneFace720p().image;
  cv::Mat dst;
  for (auto _ : state) {
    src.copyTo(dst);
    benchmark::DoNotOptimize(dst.data);
  }
  state.SetItemsProcessed(state.iterations());
}

void RunSeedWarp(benchmark::State& state, const FaceFrame& frame) {
  cv::Mat tmp;
  cv::Mat dst;
  for (auto _ : state) {
    SeedThinFace(frame.image, frame.faces.front(), tmp, dst);
    benchmark::DoNotOptimize(dst.data);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_SeedWarp_OneFace720p(benchmark::State& state) { RunSeedWarp(state, OneFace720p()); }
void BM_SeedWarp_Astronaut512(benchmark::State& state) { RunSeedWarp(state, Astronaut512()); }

BENCHMARK(BM_CpuWarp_OneFace720p)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_CpuWarp_Group3_720p)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_CpuWarpYuv_Group3_720p)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_CpuWarp_Astronaut512)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_CpuWarpSeedGeometry_OneFace720p)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_CpuWarpSeedGeometry_Astronaut512)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_FrameCopy720p)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();
BENCHMARK(BM_SeedWarp_OneFace720p)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_SeedWarp_Astronaut512)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace
}  // namespace fw::bench
