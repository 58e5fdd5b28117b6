// --control for a run: the channel its frame loop polls at every frame boundary and the HTTP
// server that feeds it, and the control target of headless runs (their last frame and a
// recorder). Main thread only.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <opencv2/core.hpp>

#include "app/cli.h"
#include "core/result.h"
#include "core/stats.h"
#include "net/control_channel.h"
#include "net/control_server.h"
#include "output/recorder.h"

namespace fw::app {

class ControlSession {
 public:
  // Nothing (nullptr) without --control; otherwise listening, with the address announced on
  // stderr. `stats_json` is called from the server's threads.
  static core::Result<std::unique_ptr<ControlSession>> Start(
      const Options& options, const core::Params& params, std::function<std::string()> stats_json);
  // Answers waiting requests with 503, then stops the server.
  ~ControlSession();
  ControlSession(const ControlSession&) = delete;
  ControlSession& operator=(const ControlSession&) = delete;

  net::ControlChannel& channel() { return *channel_; }

 private:
  ControlSession() = default;
  std::unique_ptr<net::ControlChannel> channel_;
  std::unique_ptr<net::ControlServer> server_;
};

// The --stats document of a run so far, for the control API (thread-safe: RunStats is).
std::function<std::string()> LiveStatsJson(const core::RunStats& stats, int64_t start_ns,
                                            double cpu_start_s);

// What a headless run offers the control API: the frame it wrote last and recordings of the
// frames it writes.
class HeadlessControlTarget : public net::ControlTarget {
 public:
  explicit HeadlessControlTarget(double fps) : fps_(fps) {}

  // After each frame is written: keeps it for snapshots and records it. A failed recording
  // stops (no partial file) and is logged; the run goes on.
  void OnFrame(const cv::Mat& bgr);
  // Finishes a recording still running at the end of the run.
  void Finish();

  core::Result<cv::Mat> Snapshot() override;
  core::Result<std::string> StartRecording() override;
  core::Result<std::string> StopRecording() override;
  bool recording() const override { return recorder_.recording(); }

 private:
  double fps_;
  const cv::Mat* last_ = nullptr;  // the run's frame buffer, valid until the next frame
  output::Recorder recorder_;
};

}  // namespace fw::app
