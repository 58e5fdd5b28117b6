#include "output/video_file_sink.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <utility>

#include <opencv2/videoio.hpp>

#include "core/atomic_file.h"
#include "output/sink_spec.h"

namespace fw::output {
namespace {

constexpr double kDefaultFps = 30.0;

int Fourcc(const char (&code)[5]) {
  return cv::VideoWriter::fourcc(code[0], code[1], code[2], code[3]);
}

std::string FourccName(int fourcc) {
  std::string s(4, ' ');
  for (int i = 0; i < 4; ++i) s[i] = static_cast<char>((fourcc >> (8 * i)) & 0xff);
  return s;
}

class VideoFileSink : public Sink {
 public:
  VideoFileSink(std::string name, core::PendingFile pending,
                std::unique_ptr<cv::VideoWriter> writer, cv::Size size)
      : name_(std::move(name)),
        pending_(std::move(pending)),
        writer_(std::move(writer)),
        size_(size) {}

  const std::string& name() const override { return name_; }

  core::Status Write(const cv::Mat& bgr) override {
    if (finished_) return core::Error::Runtime("internal: write to " + name_ + " after Finish");
    if (bgr.type() != CV_8UC3 || bgr.size() != size_) {
      return core::Error::Runtime("internal: frame of " + std::to_string(bgr.cols) + "x" +
                                  std::to_string(bgr.rows) + " for " + name_ + " opened at " +
                                  std::to_string(size_.width) + "x" + std::to_string(size_.height));
    }
    try {
      writer_->write(bgr);
    } catch (const cv::Exception& e) {
      return core::Error::Runtime("cannot write " + name_ + ": " + e.err);
    }
    ++frames_;
    return core::Status::Ok();
  }

  core::Status Finish() override {
    if (finished_) return core::Error::Runtime("internal: " + name_ + " finished twice");
    finished_ = true;
    if (frames_ == 0) {
      return core::Error::Runtime("cannot write " + name_ + ": no frame was produced");
    }
    // release() writes the trailer (the mp4 index) but reports no failure: an empty or
    // missing file is the only sign of a failed encode.
    writer_->release();
    std::error_code ec;
    const auto size = std::filesystem::file_size(pending_.temp_path(), ec);
    if (ec || size == 0) {
      return core::Error::Runtime("cannot write " + name_ + ": the encoder produced no data");
    }
    return pending_.Commit();
  }

 private:
  std::string name_;
  core::PendingFile pending_;  // declared before writer_: the writer closes, then the file goes
  std::unique_ptr<cv::VideoWriter> writer_;
  cv::Size size_;
  int64_t frames_ = 0;
  bool finished_ = false;
};

}  // namespace

std::vector<int> FourccsFor(const std::string& extension) {
  // Checked against Debian 12's OpenCV 4.6 + FFmpeg 5.1: these open without OpenCV's "tag not
  // supported, fallback" warning and ffprobe reads the results.
  if (extension == ".mp4") return {Fourcc("avc1"), Fourcc("mp4v")};
  if (extension == ".mkv") return {Fourcc("H264"), Fourcc("mp4v")};
  if (extension == ".avi") return {Fourcc("MJPG")};
  return {};
}

core::Result<std::unique_ptr<Sink>> OpenVideoFileSink(const std::string& path,
                                                      const std::string& extension,
                                                      const StreamInfo& info) {
  FW_RETURN_IF_ERROR(CheckOutputPath(path));
  if (info.width <= 0 || info.height <= 0) {
    return core::Error::Runtime("cannot write " + path + ": invalid frame size " +
                                std::to_string(info.width) + "x" + std::to_string(info.height));
  }
  const std::vector<int> fourccs = FourccsFor(extension);
  const double fps = std::isfinite(info.fps) && info.fps > 0.0 ? info.fps : kDefaultFps;
  const cv::Size size(info.width, info.height);
  core::PendingFile pending(path);  // the temporary keeps the extension: FFmpeg picks the muxer
  auto writer = std::make_unique<cv::VideoWriter>();
  std::string tried;
  for (int fourcc : fourccs) {
    try {
      if (writer->open(pending.temp_path(), cv::CAP_FFMPEG, fourcc, fps, size, true)) {
        return std::unique_ptr<Sink>(
            std::make_unique<VideoFileSink>(path, std::move(pending), std::move(writer), size));
      }
    } catch (const cv::Exception&) {
      // Treated like a failed open: the next codec may work.
    }
    std::remove(pending.temp_path().c_str());
    tried += (tried.empty() ? "" : ", ") + FourccName(fourcc);
  }
  return core::Error::Runtime("cannot write " + path + ": no working " + extension +
                              " encoder in this OpenCV/FFmpeg build (tried " + tried + ")");
}

}  // namespace fw::output
