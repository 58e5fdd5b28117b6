// Landmark quality of the tracker on one clip, as ../shared/data/README.md measures it (all in
// outer-eye-corner distances, IOD): coverage (frames with a face / frames) and faces per frame,
// still-face jitter (per-point standard deviation over the clip, for clips whose face does not
// move), temporal noise (RMS over frames of the mean point length of p[t] - (p[t-1] + p[t+1]) /
// 2; per face where there are several), lag (mean point error against dlib's HOG detector at
// full resolution and its predictor, run independently on every --reference-every'th frame;
// every reference face that a tracked face overlaps; lag_inside: the same over the reference
// faces whose detection box lies inside the frame, since on a face cut by the frame's edge
// dlib's predictor squeezes the whole face into the part in view and the reference is further
// from the truth than the tracker), the same noise and jitter of those
// independent landmarks (raw dlib's), the tracker's CPU and wall ms per frame (detection
// synchronous, on the frames it is due; CPU counts every thread), and the CPU ms of one full
// detection (detector and the found faces' landmarks) on a few frames spread over the clip.
// The tracker runs once per detector in --detectors (0 BlazeFace, 1 HOG; with an "f", its
// landmarks smoothed as a file's are, with frames ahead: LookaheadSmoother), each from a fresh
// start on the same frames; --reference-every 0 skips the reference (speed only). Prints one
// JSON object; --dump FILE also writes every tracked face ("T<run> frame x0 y0 ... x67 y67", run
// in --detectors order) and every reference face ("R frame ...") for analysis.
//   facewarp_tracking_quality CLIP [--frames N] [--set KEY=VALUE ...] [--detectors 1,0,0f]
//                             [--reference-every K] [--dump FILE]
#include <sys/resource.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <utility>
#include <vector>

#include "capture/source.h"
#include "core/log.h"
#include "core/params.h"
#include "support/file_tracking.h"
#include "support/landmark_measures.h"
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

struct Run {
  double detector = 0.0;
  // Smoothed as a file is (LookaheadSmoother, params.smooth_ahead), not as live video is.
  bool files = false;
  std::vector<Faces> out;
  double coverage = 0.0, faces_mean = 0.0, cpu_ms = 0.0, wall_ms = 0.0;
  double detect_cpu_ms = 0.0;  // one full detection (with the faces' landmarks), CPU
  // One detection as the tracker runs it on a followed frame (DetectFollowing, the faces of the
  // frame before as its hint), CPU.
  double follow_detect_cpu_ms = 0.0;
};

double WallSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

Run TrackClip(fw::tracking::FaceAnalyzer& analyzer, const std::vector<cv::Mat>& frames, double fps,
              fw::core::Params params, double detector, bool files) {
  Run run;
  run.detector = detector;
  run.files = files;
  params.detector = detector;
  const std::vector<double> times = fw::testing_support::FrameTimes(frames.size(), fps);
  const double cpu0 = CpuSeconds(), wall0 = WallSeconds();
  run.out = fw::testing_support::TrackFrames(analyzer, frames, times, params, fps, !files);
  const double n = static_cast<double>(std::max<size_t>(frames.size(), 1));
  run.cpu_ms = (CpuSeconds() - cpu0) * 1e3 / n;
  run.wall_ms = (WallSeconds() - wall0) * 1e3 / n;
  int covered = 0, faces = 0;
  for (const Faces& f : run.out) {
    covered += !f.empty();
    faces += static_cast<int>(f.size());
  }
  run.coverage = covered / n;
  run.faces_mean = faces / n;
  // The detector's own cost: a full detection on up to kDetectSamples frames spread over the clip.
  constexpr size_t kDetectSamples = 8;
  const size_t step = std::max<size_t>(1, frames.size() / kDetectSamples);
  int calls = 0;
  const double detect0 = CpuSeconds();
  for (size_t i = 0; i < frames.size(); i += step, ++calls) analyzer.Detect(frames[i], params);
  run.detect_cpu_ms = calls > 0 ? (CpuSeconds() - detect0) * 1e3 / calls : 0.0;
  calls = 0;
  const double follow0 = CpuSeconds();
  for (size_t i = 1; i < frames.size(); i += step, ++calls) {
    fw::tracking::DetectHint hint;
    hint.tiles = {calls};
    for (const Face& f : run.out[i - 1]) hint.faces.push_back(f.box);
    analyzer.DetectFollowing(frames[i], params, hint);
  }
  run.follow_detect_cpu_ms = calls > 0 ? (CpuSeconds() - follow0) * 1e3 / calls : 0.0;
  return run;
}

// Whether a reference face's detection box lies inside a width x height frame. Its landmarks
// are no test: on a face cut by the edge the predictor squeezes them all into the part in view
// (on the three-face pan, 9 faces reaching 0.6-0.8 eye distances past the edge had landmarks
// all inside, and errors of 0.05-0.13 against the true face that the camera's motion gives).
bool Inside(const Face& face, int width, int height) {
  return face.box.x >= 0.0 && face.box.y >= 0.0 && face.box.x + face.box.w <= width &&
         face.box.y + face.box.h <= height;
}

// One line per face: "T<run> frame x0 y0 ... x67 y67" for the tracker's faces, "R frame ..." for
// the reference's.
void Dump(const std::string& path, const std::vector<Run>& runs, const std::vector<Faces>& ref,
          const std::vector<bool>& done) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return;
  auto line = [f](const std::string& tag, size_t frame, const Face& face) {
    std::fprintf(f, "%s %zu", tag.c_str(), frame);
    for (const fw::core::Vec2& p : face.points) std::fprintf(f, " %.3f %.3f", p.x, p.y);
    std::fprintf(f, "\n");
  };
  for (size_t r = 0; r < runs.size(); ++r) {
    for (size_t i = 0; i < runs[r].out.size(); ++i) {
      for (const Face& face : runs[r].out[i]) line("T" + std::to_string(r), i, face);
    }
  }
  for (size_t i = 0; i < ref.size(); ++i) {
    if (!done[i]) continue;
    for (const Face& face : ref[i]) line("R", i, face);
  }
  std::fclose(f);
}

}  // namespace

int main(int argc, char** argv) {
  // Log lines (the decoder's choice) go to stderr, not into the JSON on stdout.
  fw::core::InitLogging("warn");
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: %s CLIP [--frames N] [--set K=V ...] [--detectors D[f][,D[f]]] "
                 "[--reference-every K] [--dump FILE]\n",
                 argv[0]);
    return 2;
  }
  fw::core::Params params = fw::core::DefaultParams();
  long max_frames = -1;
  int reference_every = 5;
  std::string dump;
  std::vector<double> detectors = {params.detector};
  std::vector<bool> files = {false};
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--frames") {
      max_frames = std::atol(argv[i + 1]);
    } else if (a == "--dump") {
      dump = argv[i + 1];
    } else if (a == "--reference-every") {
      reference_every = std::atoi(argv[i + 1]);
    } else if (a == "--detectors") {
      detectors.clear();
      std::string list = argv[i + 1];
      files.clear();
      for (size_t p = 0; p < list.size();) {
        const size_t comma = std::min(list.find(',', p), list.size());
        const std::string item = list.substr(p, comma - p);
        detectors.push_back(std::atof(item.c_str()));
        files.push_back(!item.empty() && item.back() == 'f');
        p = comma + 1;
      }
    } else if (a == "--set") {
      const fw::core::Status s = fw::core::SetFromString(params, argv[i + 1]);
      if (!s.ok()) {
        std::fprintf(stderr, "%s\n", s.error().message.c_str());
        return 2;
      }
    } else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
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

  std::vector<Run> runs;
  for (size_t d = 0; d < detectors.size(); ++d) {
    runs.push_back(TrackClip(**analyzer, frames, fps, params, detectors[d], files[d]));
  }

  // Reference (reference_every > 0): dlib's HOG at full resolution with its predictor, on every
  // reference_every'th frame and the two after it (those triples give raw dlib's noise).
  fw::core::Params ref = fw::core::DefaultParams();
  ref.detector = 1;
  ref.detect_width = frames.empty() ? 640 : frames[0].cols;
  std::vector<std::pair<size_t, Faces>> reference;  // frame, faces
  std::vector<Faces> raw;
  std::vector<Faces> detected(frames.size());  // each frame's reference, once
  std::vector<bool> done(frames.size(), false);
  for (size_t i = 0; reference_every > 0 && i < frames.size(); i += reference_every) {
    for (size_t j = i; j < std::min(frames.size(), i + 3); ++j) {
      if (!done[j]) detected[j] = (*analyzer)->Detect(frames[j], ref);
      done[j] = true;
      raw.push_back(detected[j]);
      if (j == i) reference.emplace_back(i, raw.back());
    }
    raw.emplace_back();  // a gap between triples
  }
  if (!dump.empty()) Dump(dump, runs, detected, done);
  std::printf(
      "{\"clip\": \"%s\", \"width\": %d, \"height\": %d, \"frames\": %zu, "
      "\"raw_noise\": %.5f, \"raw_jitter\": %.5f, \"runs\": [",
      argv[1], frames.empty() ? 0 : frames[0].cols, frames.empty() ? 0 : frames[0].rows,
      frames.size(), reference.empty() ? -1.0 : fw::measures::TemporalNoise(raw),
      reference.empty() ? -1.0 : fw::measures::StillJitter(raw));
  for (size_t r = 0; r < runs.size(); ++r) {
    const Run& run = runs[r];
    double lag = 0.0, lag_inside = 0.0;
    int lag_n = 0, inside_n = 0;
    for (const auto& [i, d] : reference) {
      for (const Face& f : d) {
        const Face* t = fw::measures::BestOverlap(run.out[i], f.box);
        if (t == nullptr) continue;
        const double e = fw::measures::MeanPointError(*t, f);
        lag += e;
        ++lag_n;
        if (Inside(f, frames[i].cols, frames[i].rows)) {
          lag_inside += e;
          ++inside_n;
        }
      }
    }
    std::printf(
        "%s{\"detector\": %g, \"files\": %s, \"coverage\": %.4f, \"faces_mean\": %.3f, "
        "\"jitter\": %.5f, \"noise\": %.5f, \"lag\": %.5f, \"lag_inside\": %.5f, \"cpu_ms\": %.2f, "
        "\"wall_ms\": %.2f, \"detect_cpu_ms\": %.2f, \"follow_detect_cpu_ms\": %.2f}",
        r > 0 ? ", " : "", run.detector, run.files ? "true" : "false", run.coverage, run.faces_mean,
        fw::measures::StillJitter(run.out), fw::measures::TemporalNoise(run.out),
        lag_n > 0 ? lag / lag_n : -1.0, inside_n > 0 ? lag_inside / inside_n : -1.0, run.cpu_ms,
        run.wall_ms, run.detect_cpu_ms, run.follow_detect_cpu_ms);
  }
  std::printf("]}\n");
  return 0;
}
