// Colour conversions and I/O around the warp at 720p: BGR to I420 (y4m) and to YUYV (virtual
// camera), a whole y4m frame written to /dev/null, and decoding one frame of the reference
// clip through the capture module.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "bench/bench_inputs.h"
#include "capture/source.h"
#include "core/frame.h"
#include "output/color_convert.h"
#include "output/y4m_writer.h"

namespace fw::bench {
namespace {

void BM_BgrToI420_720p(benchmark::State& state) {
  const cv::Mat& image = OneFace720p().image;
  std::vector<uint8_t> i420;
  for (auto _ : state) {
    if (!output::BgrToI420(image, i420).ok()) state.SkipWithError("BgrToI420 failed");
    benchmark::DoNotOptimize(i420.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_BgrToYuyv_720p(benchmark::State& state) {
  const cv::Mat& image = OneFace720p().image;
  std::vector<uint8_t> yuyv;
  for (auto _ : state) {
    if (!output::BgrToYuyv(image, yuyv).ok()) state.SkipWithError("BgrToYuyv failed");
    benchmark::DoNotOptimize(yuyv.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Y4mWriteFrame_720p(benchmark::State& state) {
  const cv::Mat& image = OneFace720p().image;
  std::FILE* null = std::fopen("/dev/null", "wb");
  if (null == nullptr) {
    state.SkipWithError("cannot open /dev/null");
    return;
  }
  {
    auto writer =
        output::Y4mWriter::Create(fileno(null), "/dev/null", image.cols, image.rows, 30.0);
    if (!writer) {
      state.SkipWithError(writer.error().message.c_str());
    } else {
      for (auto _ : state) {
        if (!writer->WriteFrame(image).ok()) state.SkipWithError("y4m write failed");
      }
    }
  }
  std::fclose(null);
  state.SetItemsProcessed(state.iterations());
}

// Decoding through capture::Source, reopening the clip whenever it ends (the reopen is
// outside the timing).
void BM_DecodeFrame_Group3_720p(benchmark::State& state) {
  const std::string path = std::string(FACEWARP_SOURCE_DIR) + "/assets/group3_pan_1280x720.mp4";
  std::unique_ptr<capture::Source> source;
  core::Frame frame;
  for (auto _ : state) {
    if (!source) {
      state.PauseTiming();
      auto opened = capture::OpenSource(path, {});
      state.ResumeTiming();
      if (!opened) {
        state.SkipWithError(opened.error().message.c_str());
        break;
      }
      source = std::move(opened).value();
    }
    if (source->Read(frame) != capture::ReadState::kFrame) source.reset();
    benchmark::DoNotOptimize(frame.image.data);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_BgrToI420_720p)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BgrToYuyv_720p)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Y4mWriteFrame_720p)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DecodeFrame_Group3_720p)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace
}  // namespace fw::bench
