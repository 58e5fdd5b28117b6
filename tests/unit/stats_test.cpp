#include "core/stats.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace fw::core {
namespace {

TEST(Stats, PercentileIsNearestRank) {
  std::vector<double> v;
  for (int i = 1; i <= 100; ++i) v.push_back(101 - i);
  EXPECT_EQ(Percentile(v, 0.50), 50);
  EXPECT_EQ(Percentile(v, 0.95), 95);
  EXPECT_EQ(Percentile({7.0}, 0.95), 7.0);
  EXPECT_EQ(Percentile({}, 0.5), 0.0);
}

TEST(Stats, JsonSummaryHasFramesFpsDropsAndEveryStage) {
  RunStats stats;
  for (int i = 0; i < 10; ++i) {
    stats.Record(Stage::kWarp, 2.0 + i);
    stats.CountFrame();
  }
  stats.CountDropped(3);
  const auto doc = nlohmann::json::parse(stats.ToJson(2.0, 0.5));
  EXPECT_EQ(doc["frames"], 10);
  EXPECT_DOUBLE_EQ(doc["fps"].get<double>(), 5.0);
  EXPECT_EQ(doc["frames_dropped"], 3);
  EXPECT_DOUBLE_EQ(doc["cpu_ms_per_frame"].get<double>(), 50.0);
  for (const char* stage : {"capture", "detect", "landmarks", "warp", "readback", "output"}) {
    ASSERT_TRUE(doc["stages"].contains(stage)) << stage;
  }
  EXPECT_EQ(doc["stages"]["warp"]["p50_ms"], 6.0);
  EXPECT_EQ(doc["stages"]["warp"]["p95_ms"], 11.0);
}

TEST(Stats, KeepsOnlyTheMostRecentSamplesOfALongSession) {
  RunStats stats;
  for (size_t i = 0; i < RunStats::kMaxSamples; ++i) stats.Record(Stage::kWarp, 100.0);
  for (size_t i = 0; i < RunStats::kMaxSamples; ++i) stats.Record(Stage::kWarp, 1.0);
  const Percentiles p = stats.Get(Stage::kWarp);
  EXPECT_EQ(p.count, RunStats::kMaxSamples);
  EXPECT_EQ(p.p95_ms, 1.0);
}

}  // namespace
}  // namespace fw::core
