#include "app/control.h"

#include <chrono>
#include <cstdio>

#include "core/log.h"

namespace fw::app {

core::Result<std::unique_ptr<ControlSession>> ControlSession::Start(
    const Options& options, const core::Params& params, std::function<std::string()> stats_json) {
  if (options.control.empty()) return std::unique_ptr<ControlSession>();
  FW_ASSIGN_OR_RETURN(const net::ControlOptions control_options,
                      net::ControlOptionsFor(options.control, options.control_token));
  std::unique_ptr<ControlSession> session(new ControlSession());
  session->channel_ = std::make_unique<net::ControlChannel>(params, true);
  FW_ASSIGN_OR_RETURN(
      session->server_,
      net::ControlServer::Start(control_options, *session->channel_, std::move(stats_json)));
  // Scripts and tests read the address (with the port chosen for port 0) from this line.
  std::fprintf(stderr, "facewarp: control API on %s/api/v1/\n", session->server_->url().c_str());
  std::fflush(stderr);
  return session;
}

ControlSession::~ControlSession() {
  if (channel_) channel_->Close();
  if (server_) server_->Stop();
}

std::function<std::string()> LiveStatsJson(const core::RunStats& stats, int64_t start_ns,
                                           double cpu_start_s) {
  return [&stats, start_ns, cpu_start_s] {
    return stats.ToJson((core::NowNs() - start_ns) * 1e-9, core::ProcessCpuSeconds() - cpu_start_s);
  };
}

void HeadlessControlTarget::OnFrame(const cv::Mat& bgr) {
  last_ = &bgr;
  if (!recorder_.recording()) return;
  const core::Status s = recorder_.Write(bgr);
  if (!s.ok()) spdlog::warn("recording stopped: {}", s.error().message);
}

void HeadlessControlTarget::Finish() {
  if (!recorder_.recording()) return;
  auto done = recorder_.Stop();
  if (done.ok()) spdlog::info("recorded {}", *done);
}

core::Result<cv::Mat> HeadlessControlTarget::Snapshot() {
  if (last_ == nullptr || last_->empty()) return core::Error::Runtime("no frame yet");
  return last_->clone();
}

core::Result<std::string> HeadlessControlTarget::StartRecording() {
  if (recorder_.recording()) {
    return core::Error::Usage("already recording to " + recorder_.path());
  }
  if (last_ == nullptr || last_->empty()) return core::Error::Runtime("no frame yet");
  output::StreamInfo info;
  info.width = last_->cols;
  info.height = last_->rows;
  info.fps = fps_ > 0.0 ? fps_ : 30.0;
  const std::string path =
      output::RecordingPath(output::DefaultRecordingDirectory(), std::chrono::system_clock::now());
  FW_RETURN_IF_ERROR(recorder_.Start(path, info));
  return path;
}

core::Result<std::string> HeadlessControlTarget::StopRecording() {
  if (!recorder_.recording()) return core::Error::Usage("not recording");
  return recorder_.Stop();
}

}  // namespace fw::app
