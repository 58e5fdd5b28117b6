// The frame pipeline of DESIGN.md: a capture thread feeds the newest frame to a tracking
// thread, which hands each frame together with the faces found on it to the main thread.
// Start/Stop/Take*/SetParams are called from the main thread; the workers own everything else.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "capture/source.h"
#include "core/face.h"
#include "core/frame.h"
#include "core/latest_mailbox.h"
#include "core/params.h"
#include "core/stats.h"
#include "core/worker.h"
#include "tracking/face_analyzer.h"
#include "tracking/face_tracker.h"

namespace fw::app {

// A frame and the faces computed on it travel together, so the warp never "swims".
struct TrackedFrame {
  core::Frame frame;
  core::Faces faces;
  tracking::TrackerTimings timings;
};

struct PipelineOptions {
  // Live: the newest frame wins and drops are counted, and faces are detected asynchronously
  // (tracking::DetectionMode). Otherwise (files headless) every frame is processed, with
  // back-pressure, detection in step, and the stream ends with the file.
  bool live = false;
  // Files and stills are delivered at their own frame rate, as a camera would.
  bool paced = false;
  // A file starts again at its end (the preview, a virtual camera fed from a file).
  bool loop = false;
  int64_t max_frames = -1;
};

class Pipeline {
 public:
  Pipeline(std::unique_ptr<capture::Source> source, std::string source_spec,
           capture::SourceOptions source_options, tracking::FaceAnalyzer& analyzer,
           const core::Params& params, PipelineOptions options, core::RunStats& stats);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  void Start();
  // Stops the workers (closing the mailboxes wakes them) and joins them.
  void Stop();

  std::optional<TrackedFrame> TryTake() { return tracked_.TryTake(); }
  std::optional<TrackedFrame> Take() { return tracked_.Take(); }
  template <class Rep, class Period>
  std::optional<TrackedFrame> TakeFor(std::chrono::duration<Rep, Period> timeout) {
    return tracked_.TakeFor(timeout);
  }
  // The stream has ended: no frame will come any more.
  bool ended() const { return tracked_.closed(); }

  // New parameter values reach the tracking thread at its next frame. A still image shown live
  // is detected once; a change of a tracking parameter detects it again.
  void SetParams(const core::Params& params);
  // Switches to another camera (or file) while running; the old one is closed first.
  core::Status SwitchSource(const std::string& spec, const capture::SourceOptions& options);

  const capture::SourceInfo& info() const { return info_; }
  int64_t dropped() const { return captured_.dropped() + tracked_.dropped(); }
  // "" or a temporary condition ("camera lost - reconnecting").
  std::string status() const;
  // "" or the error that stopped a worker (a file that could not be read further).
  std::string error() const;

 private:
  void CaptureLoop(const std::atomic<bool>& stop);
  void TrackLoop(const std::atomic<bool>& stop);
  void PublishStill(const core::Frame& frame, const std::atomic<bool>& stop);
  bool Reopen();
  void SetStatus(std::string status);

  std::unique_ptr<capture::Source> source_;
  std::string source_spec_;
  capture::SourceOptions source_options_;
  capture::SourceInfo info_;
  tracking::FaceTracker tracker_;
  PipelineOptions options_;
  core::RunStats& stats_;

  mutable std::mutex mu_;  // guards params_, status_, error_, source_ while switching
  core::Params params_;
  std::string status_;
  std::string error_;
  std::atomic<bool> reset_tracker_{false};
  // A still image shown live is tracked once, and again only when a parameter outside the
  // "Face" group (the warp's own) changes: set by SetParams, taken by the capture thread.
  std::atomic<bool> retrack_still_{false};

  core::LatestMailbox<core::Frame> captured_;
  core::LatestMailbox<TrackedFrame> tracked_;
  std::unique_ptr<core::Worker> capture_worker_;
  std::unique_ptr<core::Worker> track_worker_;
};

}  // namespace fw::app
