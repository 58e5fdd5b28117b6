#include "core/stats.h"

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace fw::core {

const char* StageName(Stage stage) {
  switch (stage) {
    case Stage::kCapture:
      return "capture";
    case Stage::kDetect:
      return "detect";
    case Stage::kLandmarks:
      return "landmarks";
    case Stage::kWarp:
      return "warp";
    case Stage::kReadback:
      return "readback";
    case Stage::kOutput:
      return "output";
    case Stage::kLatency:
      return "latency";
    case Stage::kCount:
      break;
  }
  return "?";
}

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double Percentile(std::vector<double> samples, double q) {
  if (samples.empty()) return 0.0;
  const size_t n = samples.size();
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(n)));
  rank = std::clamp<size_t>(rank, 1, n);
  std::nth_element(samples.begin(), samples.begin() + (rank - 1), samples.end());
  return samples[rank - 1];
}

void RunStats::Record(Stage stage, double ms) {
  std::lock_guard<std::mutex> lock(mu_);
  const size_t i = static_cast<size_t>(stage);
  std::vector<double>& v = samples_[i];
  if (v.size() < kMaxSamples) {
    v.push_back(ms);
  } else {
    v[next_[i]] = ms;
    next_[i] = (next_[i] + 1) % kMaxSamples;
  }
}

void RunStats::CountFrame() {
  std::lock_guard<std::mutex> lock(mu_);
  ++frames_;
}

void RunStats::CountDropped(int64_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  dropped_ += n;
}

void RunStats::SetNote(const std::string& key, const std::string& value) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& kv : notes_) {
    if (kv.first == key) {
      kv.second = value;
      return;
    }
  }
  notes_.emplace_back(key, value);
}

void RunStats::AddCount(const std::string& key, int64_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& kv : counts_) {
    if (kv.first == key) {
      kv.second += n;
      return;
    }
  }
  counts_.emplace_back(key, n);
}

int64_t RunStats::frames() const {
  std::lock_guard<std::mutex> lock(mu_);
  return frames_;
}

int64_t RunStats::dropped() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dropped_;
}

Percentiles RunStats::Get(Stage stage) const {
  std::vector<double> copy;
  {
    std::lock_guard<std::mutex> lock(mu_);
    copy = samples_[static_cast<size_t>(stage)];
  }
  Percentiles p;
  p.count = copy.size();
  p.p50_ms = Percentile(copy, 0.50);
  p.p95_ms = Percentile(copy, 0.95);
  return p;
}

std::string RunStats::ToJson(double wall_s, double cpu_s) const {
  nlohmann::ordered_json doc;
  const int64_t n = frames();
  doc["frames"] = n;
  doc["wall_s"] = wall_s;
  doc["fps"] = wall_s > 0.0 ? static_cast<double>(n) / wall_s : 0.0;
  doc["frames_dropped"] = dropped();
  doc["cpu_ms_per_frame"] = n > 0 ? cpu_s * 1000.0 / static_cast<double>(n) : 0.0;
  nlohmann::ordered_json stages = nlohmann::ordered_json::object();
  for (size_t i = 0; i < static_cast<size_t>(Stage::kCount); ++i) {
    const Stage s = static_cast<Stage>(i);
    const Percentiles p = Get(s);
    if (p.count == 0 && s == Stage::kLatency) continue;
    stages[StageName(s)] = {{"p50_ms", p.p50_ms}, {"p95_ms", p.p95_ms}, {"count", p.count}};
  }
  doc["stages"] = stages;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [k, v] : counts_) doc[k] = v;
  for (const auto& [k, v] : notes_) doc[k] = v;
  return doc.dump(2) + "\n";
}

double ProcessCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

}  // namespace fw::core
