// Per-stage timing statistics (p50/p95) and the run summary written by --stats.
// Thread-safe: stages may be recorded from any thread.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.h"

namespace fw::core {

enum class Stage { kCapture, kDetect, kLandmarks, kWarp, kReadback, kOutput, kLatency, kCount };
const char* StageName(Stage stage);
// The pipeline's timed stages are the first kPipelineStages of Stage (capture to output), in
// the order the panel and the stats list them; kLatency spans them all.
inline constexpr size_t kPipelineStages = static_cast<size_t>(Stage::kLatency);

int64_t NowNs();  // steady clock, nanoseconds

struct Percentiles {
  double p50_ms = 0.0;
  double p95_ms = 0.0;
  size_t count = 0;
};

// Nearest-rank percentile (q in [0, 1]) of the samples; 0 for no samples.
double Percentile(std::vector<double> samples, double q);

class RunStats {
 public:
  // Each stage keeps its most recent kMaxSamples samples (about 36 minutes at 30 fps), so a
  // live session's memory stays bounded; percentiles are over those.
  static constexpr size_t kMaxSamples = size_t{1} << 16;

  void Record(Stage stage, double ms);
  void CountFrame();
  void CountDropped(int64_t n = 1);
  void SetNote(const std::string& key, const std::string& value);
  // Adds n to a named event count written in the summary (e.g. faces left unwarped).
  void AddCount(const std::string& key, int64_t n);

  int64_t frames() const;
  int64_t dropped() const;
  Percentiles Get(Stage stage) const;

  // JSON summary: frames, wall time, fps, dropped, CPU ms per frame, per-stage p50/p95.
  std::string ToJson(double wall_s, double cpu_s) const;

 private:
  mutable std::mutex mu_;
  std::array<std::vector<double>, static_cast<size_t>(Stage::kCount)> samples_;
  std::array<size_t, static_cast<size_t>(Stage::kCount)> next_{};  // ring position once full
  int64_t frames_ = 0;
  int64_t dropped_ = 0;
  std::vector<std::pair<std::string, std::string>> notes_;
  std::vector<std::pair<std::string, int64_t>> counts_;
};

// Records the time from construction to destruction into a stage.
class ScopedStageTimer {
 public:
  ScopedStageTimer(RunStats& stats, Stage stage) : stats_(stats), stage_(stage), t0_(NowNs()) {}
  ~ScopedStageTimer() { stats_.Record(stage_, (NowNs() - t0_) * 1e-6); }
  ScopedStageTimer(const ScopedStageTimer&) = delete;
  ScopedStageTimer& operator=(const ScopedStageTimer&) = delete;

 private:
  RunStats& stats_;
  Stage stage_;
  int64_t t0_;
};

// Process CPU time (user + system), seconds.
double ProcessCpuSeconds();

}  // namespace fw::core
