// Tracking costs on real frames: dlib's HOG detector alone at several detection widths, the
// analyzer's full Detect (detector + landmarks + false-positive check of every hit), the
// 68-point predictor and the aligned-score check per face, and the grey conversion.
#include <benchmark/benchmark.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/opencv/cv_image.h>

#include <cmath>
#include <cstdint>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "bench/bench_inputs.h"
#include "tracking/face_analyzer.h"

namespace fw::bench {
namespace {

const cv::Mat& Group3Grey() {
  static const cv::Mat grey = [] {
    cv::Mat g;
    tracking::ToGrey(Group3Frame().image, g);
    return g;
  }();
  return grey;
}

// The detector's input as the analyzer makes it: grey, area-downscaled to detect_width.
cv::Mat DetectorInput(const cv::Mat& grey, int detect_width) {
  if (detect_width >= grey.cols) return grey;
  const double scale = static_cast<double>(detect_width) / grey.cols;
  cv::Mat small;
  cv::resize(grey, small, cv::Size(detect_width, static_cast<int>(std::lround(grey.rows * scale))),
             0.0, 0.0, cv::INTER_AREA);
  return small;
}

const std::vector<int64_t> kDetectWidths = {320, 480, 640, 960, 1280};

// HOG scan only, on a ready downscaled image: the number DESIGN quotes (12-16 ms at 640x450).
void BM_HogDetector_Group3(benchmark::State& state) {
  const cv::Mat small = DetectorInput(Group3Grey(), static_cast<int>(state.range(0)));
  dlib::frontal_face_detector detector = dlib::get_frontal_face_detector();
  std::vector<dlib::rect_detection> dets;
  for (auto _ : state) {
    detector(dlib::cv_image<unsigned char>(small), dets);
    benchmark::DoNotOptimize(dets.data());
  }
  state.counters["faces"] = static_cast<double>(dets.size());
}

// What the tracker pays on a detection frame: downscale, HOG, then landmarks and the aligned
// score of every hit.
void BM_Detect_Group3(benchmark::State& state) {
  core::Params params = DefaultParams();
  params.detect_width = static_cast<double>(state.range(0));
  tracking::FaceAnalyzer& analyzer = Analyzer();
  const cv::Mat& grey = Group3Grey();
  size_t faces = 0;
  for (auto _ : state) {
    faces = analyzer.Detect(grey, params).size();
    benchmark::DoNotOptimize(faces);
  }
  state.counters["faces"] = static_cast<double>(faces);
}

// One face per iteration, taking the three in turn.
void BM_Landmarks_Group3(benchmark::State& state) {
  tracking::FaceAnalyzer& analyzer = Analyzer();
  const FaceFrame& frame = Group3Frame();
  const cv::Mat& grey = Group3Grey();
  size_t i = 0;
  for (auto _ : state) {
    const core::Face& face = frame.faces[i++ % frame.faces.size()];
    benchmark::DoNotOptimize(analyzer.Landmarks(grey, analyzer.BoxFromLandmarks(face)));
  }
}

void BM_AlignedScore_Group3(benchmark::State& state) {
  tracking::FaceAnalyzer& analyzer = Analyzer();
  const FaceFrame& frame = Group3Frame();
  const cv::Mat& grey = Group3Grey();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(analyzer.AlignedScore(grey, frame.faces[i++ % frame.faces.size()]));
  }
}

void BM_ToGrey_720p(benchmark::State& state) {
  const cv::Mat& image = Group3Frame().image;
  cv::Mat grey;
  for (auto _ : state) {
    tracking::ToGrey(image, grey);
    benchmark::DoNotOptimize(grey.data);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_HogDetector_Group3)->ArgsProduct({kDetectWidths})->Unit(benchmark::kMillisecond);
// Detect and AlignedScore spread their work over OpenCV's pool: wall time, and the CPU time
// of the whole process.
BENCHMARK(BM_Detect_Group3)
    ->ArgsProduct({kDetectWidths})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_Landmarks_Group3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AlignedScore_Group3)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();
BENCHMARK(BM_ToGrey_720p)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace fw::bench
