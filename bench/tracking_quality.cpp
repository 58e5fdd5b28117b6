// Landmark quality of the tracker on one clip, as ../shared/data/README.md measures it (all in
// outer-eye-corner distances, IOD): coverage (frames with a face / frames), still-face jitter
// (per-point standard deviation over the clip, for clips whose face does not move), temporal
// noise (RMS over frames of the mean point length of p[t] - (p[t-1] + p[t+1]) / 2), lag (mean
// point error against dlib's detector at full resolution and its predictor run independently
// on every --reference-every'th frame), the same noise of those independent landmarks (raw
// dlib's), and the tracker's CPU ms per frame. Prints one JSON object.
//   facewarp_tracking_quality CLIP [--frames N] [--set KEY=VALUE ...] [--reference-every K]
#include <sys/resource.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "capture/source.h"
#include "core/params.h"
#include "tracking/face_analyzer.h"
#include "tracking/face_tracker.h"

namespace {

using fw::core::Face;
using fw::core::Faces;

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + 1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

// The largest face's landmarks per frame (empty where none).
double Noise(const std::vector<Faces>& faces) {
  double sum = 0.0;
  int n = 0;
  for (size_t t = 1; t + 1 < faces.size(); ++t) {
    if (faces[t - 1].empty() || faces[t].empty() || faces[t + 1].empty()) continue;
    const Face& a = faces[t - 1][0];
    const Face& b = faces[t][0];
    const Face& c = faces[t + 1][0];
    const double iod = fw::core::OuterEyeDistance(b);
    double m = 0.0;
    for (int i = 0; i < fw::core::kNumLandmarks; ++i) {
      m += fw::core::Norm(b.points[i] - 0.5 * (a.points[i] + c.points[i]));
    }
    m /= fw::core::kNumLandmarks * iod;
    sum += m * m;
    ++n;
  }
  return n > 0 ? std::sqrt(sum / n) : -1.0;
}

double Jitter(const std::vector<Faces>& faces) {
  std::vector<fw::core::Vec2> mean(fw::core::kNumLandmarks);
  double iod = 0.0;
  int n = 0;
  for (const Faces& f : faces) {
    if (f.empty()) continue;
    for (int i = 0; i < fw::core::kNumLandmarks; ++i) mean[i] = mean[i] + f[0].points[i];
    iod += fw::core::OuterEyeDistance(f[0]);
    ++n;
  }
  if (n == 0) return -1.0;
  for (auto& m : mean) m = (1.0 / n) * m;
  iod /= n;
  double sum = 0.0;
  for (int i = 0; i < fw::core::kNumLandmarks; ++i) {
    double var = 0.0;
    for (const Faces& f : faces) {
      if (!f.empty()) var += fw::core::Norm2(f[0].points[i] - mean[i]) / n;
    }
    sum += std::sqrt(var);
  }
  return sum / fw::core::kNumLandmarks / iod;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CLIP [--frames N] [--set K=V ...] [--reference-every K]\n",
                 argv[0]);
    return 2;
  }
  fw::core::Params params = fw::core::DefaultParams();
  long max_frames = -1;
  int reference_every = 5;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--frames") {
      max_frames = std::atol(argv[i + 1]);
    } else if (a == "--reference-every") {
      reference_every = std::atoi(argv[i + 1]);
    } else if (a == "--set") {
      const fw::core::Status s = fw::core::SetFromString(params, argv[i + 1]);
      if (!s.ok()) {
        std::fprintf(stderr, "%s\n", s.error().message.c_str());
        return 2;
      }
    }
  }
  auto analyzer = fw::tracking::FaceAnalyzer::Create("");
  if (!analyzer.ok()) {
    std::fprintf(stderr, "%s\n", analyzer.error().message.c_str());
    return 1;
  }
  auto source = fw::capture::OpenSource(argv[1]);
  if (!source.ok()) {
    std::fprintf(stderr, "%s\n", source.error().message.c_str());
    return 1;
  }
  std::vector<cv::Mat> frames;
  fw::core::Frame frame;
  while ((max_frames < 0 || static_cast<long>(frames.size()) < max_frames) &&
         (*source)->Read(frame) == fw::capture::ReadState::kFrame) {
    frames.push_back(frame.image.clone());
  }
  const double fps = (*source)->info().fps > 0 ? (*source)->info().fps : 30.0;

  fw::tracking::FaceTracker tracker(**analyzer);
  std::vector<Faces> out;
  const double cpu0 = CpuSeconds();
  for (size_t i = 0; i < frames.size(); ++i) out.push_back(tracker.Process(frames[i], i / fps, params));
  const double cpu_ms = (CpuSeconds() - cpu0) * 1e3 / std::max<size_t>(frames.size(), 1);

  int covered = 0;
  for (const Faces& f : out) covered += !f.empty();

  // Reference: dlib's HOG at full resolution, every reference_every'th frame; its landmarks on
  // consecutive frames for the raw noise.
  fw::core::Params ref = fw::core::DefaultParams();
  ref.detector = 1;
  ref.detect_width = frames.empty() ? 640 : frames[0].cols;
  double lag = 0.0;
  int lag_n = 0;
  std::vector<Faces> raw;
  for (size_t i = 0; i < frames.size(); i += reference_every) {
    for (size_t j = i; j < std::min(frames.size(), i + 3); ++j) {
      Faces d = (*analyzer)->Detect(frames[j], ref);
      raw.push_back(d);
      if (j != i || d.empty() || out[i].empty()) continue;
      const Face& t = out[i][0];
      for (const Face& r : d) {
        if (fw::core::Iou(r.box, t.box) < 0.3) continue;
        double e = 0.0;
        for (int k = 0; k < fw::core::kNumLandmarks; ++k) e += fw::core::Distance(r.points[k], t.points[k]);
        lag += e / fw::core::kNumLandmarks / fw::core::OuterEyeDistance(r);
        ++lag_n;
        break;
      }
    }
    raw.emplace_back();  // a gap between triples
  }
  std::printf(
      "{\"frames\": %zu, \"coverage\": %.4f, \"jitter\": %.5f, \"noise\": %.5f, "
      "\"lag\": %.5f, \"raw_noise\": %.5f, \"raw_jitter\": %.5f, \"cpu_ms\": %.2f}\n",
      frames.size(), frames.empty() ? 0.0 : static_cast<double>(covered) / frames.size(),
      Jitter(out), Noise(out), lag_n > 0 ? lag / lag_n : -1.0, Noise(raw), Jitter(raw), cpu_ms);
  return 0;
}
