#include "output/y4m_sink.h"

#include <unistd.h>

#include <optional>
#include <utility>

#include "core/atomic_file.h"
#include "core/fd_writer.h"
#include "output/sink_spec.h"
#include "output/y4m_writer.h"

namespace fw::output {
namespace {

constexpr char kStdoutName[] = "standard output";

class Y4mSink : public Sink {
 public:
  // A file sink owns its PendingFile; the standard output sink has none.
  Y4mSink(std::string name, Y4mWriter writer, std::optional<core::PendingFile> pending,
          std::unique_ptr<core::NonBlockingWhilePipe> stdout_mode)
      : name_(std::move(name)),
        pending_(std::move(pending)),
        stdout_mode_(std::move(stdout_mode)),
        writer_(std::move(writer)) {}

  const std::string& name() const override { return name_; }

  core::Status Write(const cv::Mat& bgr) override {
    FW_RETURN_IF_ERROR(guard_.CheckWrite(bgr));
    FW_RETURN_IF_ERROR(writer_.WriteFrame(bgr));
    guard_.Wrote();
    return core::Status::Ok();
  }

  core::Status WriteYuv(const core::YuvImage& yuv) override {
    FW_RETURN_IF_ERROR(guard_.CheckWrite(yuv));
    FW_RETURN_IF_ERROR(writer_.WriteFrame(yuv));
    guard_.Wrote();
    return core::Status::Ok();
  }

  core::Status Complete() override {
    // Frames are written unbuffered as they come. A file must hold one; a stream may end
    // before its first.
    return guard_.CheckComplete(pending_.has_value());
  }

  core::Status Commit() override {
    if (!pending_) return core::Status::Ok();
    return pending_->Commit();
  }

 private:
  std::string name_;
  std::optional<core::PendingFile> pending_;
  std::unique_ptr<core::NonBlockingWhilePipe> stdout_mode_;
  Y4mWriter writer_;  // writes to pending_'s descriptor or to standard output
  SinkGuard guard_{name_};
};

}  // namespace

core::Result<std::unique_ptr<Sink>> OpenY4mFileSink(const std::string& path,
                                                    const StreamInfo& info) {
  FW_RETURN_IF_ERROR(CheckOutputPath(path));
  FW_ASSIGN_OR_RETURN(core::PendingFile pending, core::PendingFile::Create(path));
  FW_ASSIGN_OR_RETURN(Y4mWriter writer,
                      Y4mWriter::Create(pending.fd(), path, info.width, info.height, info.fps));
  return std::unique_ptr<Sink>(
      std::make_unique<Y4mSink>(path, std::move(writer), std::move(pending), nullptr));
}

core::Result<std::unique_ptr<Sink>> OpenY4mStdoutSink(const StreamInfo& info) {
  if (isatty(STDOUT_FILENO)) {
    return core::Error::Usage(
        "refusing to write video to a terminal: pipe standard output into a player "
        "(facewarp --output - | ffplay -) or redirect it to a file");
  }
  // A pipe is made non-blocking, so a reader that stalls never holds up a stop signal.
  auto mode = std::make_unique<core::NonBlockingWhilePipe>(STDOUT_FILENO);
  FW_ASSIGN_OR_RETURN(Y4mWriter writer, Y4mWriter::Create(STDOUT_FILENO, kStdoutName, info.width,
                                                          info.height, info.fps));
  return std::unique_ptr<Sink>(
      std::make_unique<Y4mSink>(kStdoutName, std::move(writer), std::nullopt, std::move(mode)));
}

}  // namespace fw::output
