// The channel between the control API's HTTP threads and a run's frame loop. Parameter and
// effect changes are held as the latest wanted values and taken by the frame loop at a frame
// boundary (as the panel's changes are); commands that need the frame loop (a snapshot of the
// filtered frame, starting and stopping a recording) wait there to be answered at the next
// boundary. HTTP threads call the "HTTP side", the frame loop (the main thread) the "frame
// side"; every method is thread-safe. The frame side never blocks and, with nothing pending,
// costs two atomic loads per frame.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <opencv2/core.hpp>
#include <string>

#include "core/params.h"
#include "core/result.h"
#include "net/api_error.h"

namespace fw::net {

// What a command asks of the frame loop; called on the frame loop's thread.
class ControlTarget {
 public:
  virtual ~ControlTarget() = default;
  // A copy of the filtered frame last produced (8-bit BGR).
  virtual core::Result<cv::Mat> Snapshot() = 0;
  // Starts recording the filtered frames; the file's path.
  virtual core::Result<std::string> StartRecording() = 0;
  // Finishes the recording; the file's path.
  virtual core::Result<std::string> StopRecording() = 0;
  virtual bool recording() const = 0;
};

class ControlChannel {
 public:
  enum class Command { kSnapshot, kStartRecording, kStopRecording };
  struct Reply {
    std::optional<ApiError> error;
    cv::Mat image;     // kSnapshot
    std::string path;  // recordings
    bool recording = false;
  };

  ControlChannel(const core::Params& params, bool effect_on);

  // HTTP side.
  core::Params params() const;
  bool effect_on() const;
  // Runs `edit` on a copy of the current values; if it succeeds the copy becomes the values the
  // frame loop takes next, otherwise nothing changes and its error is returned.
  std::optional<ApiError> EditParams(
      const std::function<std::optional<ApiError>(core::Params&)>& edit);
  void SetEffect(bool on);
  // Queues the command and waits until the frame loop has answered it. A run that has ended, or
  // a frame loop that reaches no frame boundary within `timeout`, gives a 503.
  Reply Call(Command command, std::chrono::milliseconds timeout);

  // Frame side.
  // Copies the values changed since the last call into params / effect_on; true if any did.
  bool TakeChanges(core::Params& params, bool& effect_on);
  // Makes values changed by the frame loop itself (the panel) the current ones, unless an HTTP
  // change is waiting to be taken (that one wins).
  void Publish(const core::Params& params, bool effect_on);
  // Answers every waiting command.
  void Serve(ControlTarget& target);
  // The frame loop has ended: waiting and later commands get 503.
  void Close();

 private:
  struct Pending {
    Command command;
    Reply reply;
    bool done = false;
  };

  mutable std::mutex mu_;
  std::condition_variable answered_;
  core::Params params_;
  bool effect_on_;
  std::atomic<bool> changed_{false};
  std::atomic<bool> has_commands_{false};
  std::deque<std::shared_ptr<Pending>> commands_;
  bool closed_ = false;
};

}  // namespace fw::net
