#include "net/control_channel.h"

#include <utility>

namespace fw::net {

ControlChannel::ControlChannel(const core::Params& params, bool effect_on)
    : params_(params), effect_on_(effect_on) {}

core::Params ControlChannel::params() const {
  std::lock_guard<std::mutex> lock(mu_);
  return params_;
}

bool ControlChannel::effect_on() const {
  std::lock_guard<std::mutex> lock(mu_);
  return effect_on_;
}

std::optional<ApiError> ControlChannel::EditParams(
    const std::function<std::optional<ApiError>(core::Params&)>& edit) {
  std::lock_guard<std::mutex> lock(mu_);
  core::Params updated = params_;
  if (std::optional<ApiError> error = edit(updated)) return error;
  params_ = updated;
  changed_ = true;
  return std::nullopt;
}

void ControlChannel::SetEffect(bool on) {
  std::lock_guard<std::mutex> lock(mu_);
  effect_on_ = on;
  changed_ = true;
}

namespace {

ControlChannel::Reply Failed(ApiError error) {
  ControlChannel::Reply reply;
  reply.error = std::move(error);
  return reply;
}

}  // namespace

ControlChannel::Reply ControlChannel::Call(Command command, std::chrono::milliseconds timeout) {
  auto pending = std::make_shared<Pending>();
  pending->command = command;
  std::unique_lock<std::mutex> lock(mu_);
  const ApiError ended{503, "the run has ended"};
  if (closed_) return Failed(ended);
  commands_.push_back(pending);
  has_commands_ = true;
  const bool done =
      answered_.wait_for(lock, timeout, [&] { return pending->done || closed_; });
  if (pending->done) return std::move(pending->reply);
  // Not answered: take it back so the frame loop does not work for nobody.
  for (auto it = commands_.begin(); it != commands_.end(); ++it) {
    if (*it == pending) {
      commands_.erase(it);
      break;
    }
  }
  has_commands_ = !commands_.empty();
  if (!done) return Failed({503, "no frame reached within the wait; retry shortly"});
  return Failed(ended);
}

bool ControlChannel::TakeChanges(core::Params& params, bool& effect_on) {
  if (!changed_.load(std::memory_order_acquire)) return false;
  std::lock_guard<std::mutex> lock(mu_);
  changed_ = false;
  params = params_;
  effect_on = effect_on_;
  return true;
}

void ControlChannel::Publish(const core::Params& params, bool effect_on) {
  std::lock_guard<std::mutex> lock(mu_);
  if (changed_) return;
  params_ = params;
  effect_on_ = effect_on;
}

void ControlChannel::Serve(ControlTarget& target) {
  if (!has_commands_.load(std::memory_order_acquire)) return;
  std::deque<std::shared_ptr<Pending>> commands;
  {
    std::lock_guard<std::mutex> lock(mu_);
    commands.swap(commands_);
    has_commands_ = false;
  }
  for (const auto& pending : commands) {
    Reply reply;
    switch (pending->command) {
      case Command::kSnapshot: {
        core::Result<cv::Mat> image = target.Snapshot();
        if (image.ok()) {
          reply.image = std::move(image).value();
        } else {
          reply.error = ApiError{503, image.error().message};
        }
        break;
      }
      case Command::kStartRecording:
      case Command::kStopRecording: {
        const bool start = pending->command == Command::kStartRecording;
        core::Result<std::string> path =
            start ? target.StartRecording() : target.StopRecording();
        if (path.ok()) {
          reply.path = std::move(path).value();
        } else {
          reply.error = ApiError{409, path.error().message};
        }
        break;
      }
    }
    reply.recording = target.recording();
    std::lock_guard<std::mutex> lock(mu_);
    pending->reply = std::move(reply);
    pending->done = true;
  }
  answered_.notify_all();
}

void ControlChannel::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    commands_.clear();
    has_commands_ = false;
  }
  answered_.notify_all();
}

}  // namespace fw::net
