#include "output/y4m_sink.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <utility>

#include "core/atomic_file.h"
#include "output/sink_spec.h"
#include "output/y4m_writer.h"

namespace fw::output {
namespace {

constexpr char kStdoutName[] = "standard output";

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

class Y4mSink : public Sink {
 public:
  // file and pending are empty for standard output.
  Y4mSink(std::string name, Y4mWriter writer, FilePtr file,
          std::optional<core::PendingFile> pending)
      : name_(std::move(name)),
        pending_(std::move(pending)),
        file_(std::move(file)),
        writer_(std::move(writer)) {}

  const std::string& name() const override { return name_; }

  core::Status Write(const cv::Mat& bgr) override {
    if (finished_) return core::Error::Runtime("internal: write to " + name_ + " after Finish");
    return writer_.WriteFrame(bgr);
  }

  core::Status Finish() override {
    if (finished_) return core::Error::Runtime("internal: " + name_ + " finished twice");
    finished_ = true;
    if (!pending_) return core::Status::Ok();  // standard output: frames are already flushed
    if (writer_.frames() == 0) {
      return core::Error::Runtime("cannot write " + name_ + ": no frame was produced");
    }
    // fclose reports write errors that buffering deferred (a full disk, NFS).
    const int rc = std::fclose(file_.release());
    if (rc != 0) return core::Error::Runtime("cannot write " + name_ + ": " + std::strerror(errno));
    return pending_->Commit();
  }

 private:
  std::string name_;
  std::optional<core::PendingFile> pending_;  // declared before file_: closed, then removed
  FilePtr file_;
  Y4mWriter writer_;  // writes to file_ or stdout, owns neither
  bool finished_ = false;
};

}  // namespace

core::Result<std::unique_ptr<Sink>> OpenY4mFileSink(const std::string& path,
                                                    const StreamInfo& info) {
  FW_RETURN_IF_ERROR(CheckOutputPath(path));
  core::PendingFile pending(path);
  FilePtr file(std::fopen(pending.temp_path().c_str(), "wb"));
  if (!file) return core::Error::Runtime("cannot write " + path + ": " + std::strerror(errno));
  auto writer = Y4mWriter::Create(file.get(), path, info.width, info.height, info.fps);
  if (!writer.ok()) return writer.error();
  return std::unique_ptr<Sink>(
      std::make_unique<Y4mSink>(path, std::move(*writer), std::move(file), std::move(pending)));
}

core::Result<std::unique_ptr<Sink>> OpenY4mStdoutSink(const StreamInfo& info) {
  if (isatty(STDOUT_FILENO)) {
    return core::Error::Usage(
        "refusing to write video to a terminal: pipe standard output into a player "
        "(facewarp --output - | ffplay -) or redirect it to a file");
  }
  auto writer = Y4mWriter::Create(stdout, kStdoutName, info.width, info.height, info.fps);
  if (!writer.ok()) return writer.error();
  return std::unique_ptr<Sink>(
      std::make_unique<Y4mSink>(kStdoutName, std::move(*writer), FilePtr(), std::nullopt));
}

}  // namespace fw::output
