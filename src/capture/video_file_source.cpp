#include "capture/video_file_source.h"

#include <cmath>
#include <utility>

#include <opencv2/videoio.hpp>

#include "capture/bgr8.h"
#include "core/log.h"
#include "core/stats.h"

namespace fw::capture {
namespace {

class VideoFileSource : public Source {
 public:
  VideoFileSource(std::unique_ptr<cv::VideoCapture> capture, cv::Mat first, SourceInfo info)
      : capture_(std::move(capture)), pending_(std::move(first)), info_(std::move(info)) {}

  const SourceInfo& info() const override { return info_; }

  ReadState Read(core::Frame& frame) override {
    cv::Mat image;
    if (!pending_.empty()) {
      image = std::move(pending_);
      pending_ = cv::Mat();
    } else if (!capture_->read(image) || image.empty()) {
      WarnIfShort();
      return ReadState::kEnd;
    }
    frame.image = ToBgr8(image);
    frame.index = next_index_++;
    frame.timestamp_s = static_cast<double>(frame.index) / info_.fps;
    frame.capture_ns = core::NowNs();
    return ReadState::kFrame;
  }

 private:
  // Frame counts of some containers are estimates, so a short stream is only worth a warning.
  void WarnIfShort() {
    if (warned_ || info_.frame_count <= 0 || next_index_ >= info_.frame_count) return;
    warned_ = true;
    spdlog::warn("{} ended after {} of {} frames (truncated file?)", info_.name, next_index_,
                 info_.frame_count);
  }

  std::unique_ptr<cv::VideoCapture> capture_;
  cv::Mat pending_;  // the frame decoded at open time, handed out by the first Read
  SourceInfo info_;
  int64_t next_index_ = 0;
  bool warned_ = false;
};

double SaneFps(double fps) {
  return std::isfinite(fps) && fps > 0.0 && fps <= 1000.0 ? fps : kFallbackFps;
}

int64_t SaneFrameCount(double count) {
  return std::isfinite(count) && count > 0.0 && count < 1e12 ? std::llround(count) : -1;
}

// Opens `url` with FFmpeg and decodes the first frame; `name` is what messages call it.
core::Result<std::unique_ptr<Source>> OpenWithFfmpeg(const std::string& url,
                                                     const std::string& name) {
  const std::string undecodable =
      "cannot decode input " + name +
      ": not a readable video or image (corrupt, truncated or unsupported format)";
  auto capture = std::make_unique<cv::VideoCapture>();
  cv::Mat first;
  try {
    if (!capture->open(url, cv::CAP_FFMPEG)) return core::Error::Runtime(undecodable);
    if (!capture->read(first) || first.empty()) return core::Error::Runtime(undecodable);
  } catch (const cv::Exception&) {
    return core::Error::Runtime(undecodable);
  }
  first = ToBgr8(first);

  SourceInfo info;
  info.kind = SourceKind::kVideoFile;
  info.name = name;
  info.width = first.cols;
  info.height = first.rows;
  info.fps = SaneFps(capture->get(cv::CAP_PROP_FPS));
  info.frame_count = SaneFrameCount(capture->get(cv::CAP_PROP_FRAME_COUNT));
  return std::unique_ptr<Source>(
      std::make_unique<VideoFileSource>(std::move(capture), std::move(first), std::move(info)));
}

}  // namespace

core::Result<std::unique_ptr<Source>> OpenVideoFile(const std::string& path) {
  // "file:" makes FFmpeg take the name literally: no protocol ("concat:", "http:") in it.
  return OpenWithFfmpeg("file:" + path, path);
}

core::Result<std::unique_ptr<Source>> OpenVideoStream(const std::string& path) {
  if (path == kStandardInput) return OpenWithFfmpeg("pipe:0", "standard input");
  return OpenWithFfmpeg("file:" + path, path);
}

}  // namespace fw::capture
