// The appearance layers (age, skin smoothing) on the CPU reference, 720p with one and four
// faces, at full strength (the most pixels and taps). Wall time and the process's CPU time.
#include <benchmark/benchmark.h>

#include <opencv2/core.hpp>

#include "bench/bench_inputs.h"
#include "looks/cpu_looks.h"
#include "looks/look_plan.h"

namespace fw::bench {

core::Params LooksParams() {
  core::Params p = DefaultParams();
  p.age = 1.0;
  p.skin_smooth = 1.0;
  return p;
}

namespace {

void RunCpuLooks(benchmark::State& state, const FaceFrame& frame) {
  looks::LookPlan plan;
  looks::PlanLooks(frame.faces, LooksParams(), frame.image, plan);
  looks::CpuLooks cpu_looks;
  cv::Mat image;
  for (auto _ : state) {
    state.PauseTiming();
    frame.image.copyTo(image);
    state.ResumeTiming();
    const core::Status status = cpu_looks.Apply(plan, image);
    if (!status.ok()) state.SkipWithError(status.error().message.c_str());
    benchmark::DoNotOptimize(image.data);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["faces"] = static_cast<double>(plan.num_faces);
}

void BM_CpuLooks_OneFace720p(benchmark::State& state) { RunCpuLooks(state, OneFace720p()); }
void BM_CpuLooks_FourFaces720p(benchmark::State& state) { RunCpuLooks(state, FourFaces720p()); }

// Planning (mesh, colour samples) for four faces: part of every frame on both backends.
void BM_PlanLooks_FourFaces720p(benchmark::State& state) {
  const FaceFrame& frame = FourFaces720p();
  looks::LookPlan plan;
  for (auto _ : state) {
    looks::PlanLooks(frame.faces, LooksParams(), frame.image, plan);
    benchmark::DoNotOptimize(plan.num_faces);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_CpuLooks_OneFace720p)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_CpuLooks_FourFaces720p)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_PlanLooks_FourFaces720p)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace
}  // namespace fw::bench
