#include "app/pipeline.h"

#include <chrono>
#include <deque>
#include <thread>

#include "core/log.h"
#include "tracking/lookahead_smoother.h"

namespace fw::app {

namespace {

using Clock = std::chrono::steady_clock;

// Stills shown live and sources without a usable rate are paced at this rate.
constexpr double kDefaultFps = 30.0;
constexpr auto kReconnectInterval = std::chrono::seconds(1);

// Sleeps until `when`, in short slices so that a stop request is noticed.
void SleepUntil(Clock::time_point when, const std::atomic<bool>& stop) {
  while (!stop && Clock::now() < when) {
    std::this_thread::sleep_until(std::min(when, Clock::now() + std::chrono::milliseconds(20)));
  }
}

}  // namespace

Pipeline::Pipeline(std::unique_ptr<capture::Source> source, std::string source_spec,
                   capture::SourceOptions source_options, tracking::FaceAnalyzer& analyzer,
                   const core::Params& params, PipelineOptions options, core::RunStats& stats)
    : source_(std::move(source)),
      source_spec_(std::move(source_spec)),
      source_options_(source_options),
      info_(source_->info()),
      // Live: detection on the tracker's detector thread, so that no frame waits for it; files
      // processed headless detect in step, frame by frame, for reproducible output.
      tracker_(analyzer, {},
               options.live ? tracking::DetectionMode::kAsynchronous
                            : tracking::DetectionMode::kSynchronous),
      options_(options),
      stats_(stats),
      params_(params) {
  // Which decoder a video file ran on (hardware or software) goes into the run's statistics.
  if (!info_.decoder.empty()) stats_.SetNote("decoder", info_.decoder);
}

Pipeline::~Pipeline() { Stop(); }

void Pipeline::Start() {
  // Stop() closes the mailboxes before it joins, which wakes any worker blocked on one.
  track_worker_ = std::make_unique<core::Worker>(
      "tracking", [this](const std::atomic<bool>& stop) { TrackLoop(stop); });
  capture_worker_ = std::make_unique<core::Worker>(
      "capture", [this](const std::atomic<bool>& stop) { CaptureLoop(stop); });
}

void Pipeline::Stop() {
  captured_.Close();
  tracked_.Close();
  capture_worker_.reset();
  track_worker_.reset();
}

void Pipeline::SetParams(const core::Params& params) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const core::ParamSpec& spec : core::ParamTable()) {
    if (spec.group != "Face" && core::Get(params, spec) != core::Get(params_, spec)) {
      retrack_still_ = true;
    }
  }
  params_ = params;
}

std::string Pipeline::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

std::string Pipeline::error() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string e = error_;
  if (e.empty() && capture_worker_) e = capture_worker_->error();
  if (e.empty() && track_worker_) e = track_worker_->error();
  return e;
}

void Pipeline::SetStatus(std::string status) {
  std::lock_guard<std::mutex> lock(mu_);
  status_ = std::move(status);
}

core::Status Pipeline::SwitchSource(const std::string& spec,
                                    const capture::SourceOptions& options) {
  // The capture thread only publishes without blocking in live mode, so it stops promptly.
  capture_worker_.reset();
  source_.reset();
  auto opened = capture::OpenSource(spec, options);
  core::Status result = core::Status::Ok();
  if (opened.ok()) {
    source_ = std::move(opened).value();
    source_spec_ = spec;
    source_options_ = options;
  } else {
    result = opened.error();
    auto previous = capture::OpenSource(source_spec_, source_options_);
    if (previous.ok()) source_ = std::move(previous).value();
  }
  if (source_) info_ = source_->info();
  reset_tracker_ = true;
  SetStatus("");
  // Without a source (the old camera is gone too) the capture loop keeps trying to reopen it.
  capture_worker_ = std::make_unique<core::Worker>(
      "capture", [this](const std::atomic<bool>& stop) { CaptureLoop(stop); });
  return result;
}

bool Pipeline::Reopen() {
  source_.reset();
  auto opened = capture::OpenSource(source_spec_, source_options_);
  if (!opened.ok()) return false;
  source_ = std::move(opened).value();
  return true;
}

void Pipeline::CaptureLoop(const std::atomic<bool>& stop) {
  const bool camera = info_.kind == capture::SourceKind::kCamera;
  const double fps = info_.fps > 0.0 ? info_.fps : kDefaultFps;
  const Clock::time_point start = Clock::now();
  const int64_t start_ns = core::NowNs();
  double loop_offset_s = 0.0;  // stream time added on each loop of a file shown live
  double last_ts = 0.0;
  int64_t count = 0;
  core::RateLimited lost_log(30);

  while (!stop && (options_.max_frames < 0 || count < options_.max_frames)) {
    if (!source_) {
      SetStatus("camera lost - reconnecting");
      SleepUntil(Clock::now() + kReconnectInterval, stop);
      if (!stop && Reopen()) SetStatus("");
      continue;
    }
    core::Frame frame;
    capture::ReadState state;
    {
      core::ScopedStageTimer timer(stats_, core::Stage::kCapture);
      state = source_->Read(frame);
    }
    if (state == capture::ReadState::kEnd) {
      if (!options_.loop || camera) break;
      loop_offset_s = last_ts + 1.0 / fps;
      if (!Reopen()) break;
      continue;
    }
    if (state == capture::ReadState::kFailed) {
      if (!camera) {
        std::lock_guard<std::mutex> lock(mu_);
        error_ = "reading " + info_.name + " failed after " + std::to_string(count) + " frames";
        break;
      }
      if (lost_log.Tick()) spdlog::warn("camera {} lost; reconnecting", info_.name);
      source_.reset();
      continue;
    }

    if (camera) {
      frame.timestamp_s = (frame.capture_ns - start_ns) * 1e-9;
    } else {
      if (info_.kind == capture::SourceKind::kImage) frame.timestamp_s = frame.index / fps;
      frame.timestamp_s += loop_offset_s;
      if (options_.paced) {
        SleepUntil(start + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(frame.timestamp_s)),
                   stop);
        frame.capture_ns = core::NowNs();
      }
    }
    frame.index = count;
    last_ts = frame.timestamp_s;
    ++count;
    if (options_.live && info_.kind == capture::SourceKind::kImage) {
      // A still: shown once (the preview keeps it on screen), tracked again only when a
      // tracking parameter changes; nothing to drop, no detector running on a fixed picture.
      PublishStill(frame, stop);
      break;
    }
    const bool published = options_.live ? captured_.Publish(std::move(frame))
                                         : captured_.PublishBlocking(std::move(frame));
    if (!published) break;
  }
  // A hardware decoder that failed midway leaves the rest to software: the note says so.
  if (source_ && !source_->info().decoder.empty()) {
    stats_.SetNote("decoder", source_->info().decoder);
  }
  // Without a frame source the tracking thread drains what is left and ends the stream.
  if (!options_.live || !stop) captured_.Close();
}

void Pipeline::PublishStill(const core::Frame& frame, const std::atomic<bool>& stop) {
  retrack_still_ = false;
  while (!stop) {
    core::Frame copy = frame;  // shares the pixels, which nobody writes
    copy.capture_ns = core::NowNs();
    if (!captured_.Publish(std::move(copy))) return;
    while (!stop && !retrack_still_.exchange(false)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    reset_tracker_ = true;  // a fresh, full detection with the new parameters
  }
}

void Pipeline::TrackLoop(const std::atomic<bool>& stop) {
  // A file processed frame by frame: each frame waits for the ones after it, so that its faces'
  // landmarks are smoothed with them (tracking::LookaheadSmoother). Live frames never wait.
  int ahead = 0;
  if (!options_.live) {
    std::lock_guard<std::mutex> lock(mu_);
    ahead = tracking::LookaheadSmoother::FramesAhead(params_.smooth_ahead,
                                                     info_.fps > 0.0 ? info_.fps : kDefaultFps);
  }
  const bool lookahead = ahead > 0;
  tracker_.SetSmoothing(!lookahead);
  tracking::LookaheadSmoother smoother(ahead);
  std::deque<TrackedFrame> waiting;  // frames tracked, waiting for the ones after them
  core::Params params;
  // Publishes the oldest waiting frame with its smoothed faces.
  auto publish_waiting = [&]() {
    TrackedFrame out = std::move(waiting.front());
    waiting.pop_front();
    out.faces = smoother.Pop({params.smooth_min_cutoff, params.smooth_beta, 1.0});
    return tracked_.PublishBlocking(std::move(out));
  };
  bool open = true;
  while (auto frame = captured_.Take()) {
    if (reset_tracker_.exchange(false)) {
      while (open && !waiting.empty()) open = publish_waiting();
      smoother.Reset();
      tracker_.Reset();
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      params = params_;
    }
    TrackedFrame out;
    out.faces = frame->yuv.empty()
                    ? tracker_.Process(frame->image, frame->timestamp_s, params, &out.timings)
                    : tracker_.Process(frame->yuv, frame->timestamp_s, params, &out.timings);
    if (out.timings.detected) stats_.Record(core::Stage::kDetect, out.timings.detect_ms);
    stats_.Record(core::Stage::kLandmarks, out.timings.landmarks_ms);
    out.frame = std::move(*frame);
    if (lookahead) {
      smoother.Push(out.faces, out.frame.timestamp_s);
      waiting.push_back(std::move(out));
      while (open && smoother.Ready()) open = publish_waiting();
    } else {
      open = options_.live ? tracked_.Publish(std::move(out))
                           : tracked_.PublishBlocking(std::move(out));
    }
    if (!open || stop) break;
  }
  // The stream's last frames have no more to wait for.
  while (open && !stop && !waiting.empty()) open = publish_waiting();
  tracked_.Close();
}

}  // namespace fw::app
