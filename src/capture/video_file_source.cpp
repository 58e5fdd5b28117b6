#include "capture/video_file_source.h"

#include <utility>

#include "capture/ffmpeg_decoder.h"
#include "core/log.h"
#include "core/stats.h"

namespace fw::capture {
namespace {

class VideoFileSource : public Source {
 public:
  VideoFileSource(std::unique_ptr<FfmpegDecoder> decoder, std::string url, bool reopenable,
                  SourceInfo info, bool planar)
      : decoder_(std::move(decoder)),
        url_(std::move(url)),
        reopenable_(reopenable),
        info_(std::move(info)),
        planar_(planar) {}

  const SourceInfo& info() const override { return info_; }

  ReadState Read(core::Frame& frame) override {
    core::YuvImage yuv;
    DecodeResult got = decoder_->Next(yuv);
    if (got == DecodeResult::kError) {
      if (!FallBackToSoftware()) return ReadState::kFailed;
      got = decoder_->Next(yuv);
    }
    if (got != DecodeResult::kPicture) {
      WarnIfShort();
      return got == DecodeResult::kEnd ? ReadState::kEnd : ReadState::kFailed;
    }
    if (yuv.width() != info_.width || yuv.height() != info_.height) {
      // A stream whose picture size changes midway: facewarp's outputs keep the first size.
      spdlog::warn("{} changes its picture size at frame {}; stopping there", info_.name,
                   next_index_);
      return ReadState::kEnd;
    }
    // A new buffer per frame, made before the frame lets go of its last one.
    cv::Mat bgr;
    if (!planar_ && !core::YuvToBgr(yuv, bgr).ok()) return ReadState::kFailed;
    frame.image = bgr;
    frame.yuv = planar_ ? std::move(yuv) : core::YuvImage();
    frame.index = next_index_++;
    frame.timestamp_s = static_cast<double>(frame.index) / info_.fps;
    frame.capture_ns = core::NowNs();
    return ReadState::kFrame;
  }

 private:
  // The hardware decoder failed mid-stream: a regular file is decoded again in software from
  // its start, up to the frame that failed, so that no frame is lost. A stream cannot be.
  bool FallBackToSoftware() {
    if (!reopenable_) {
      spdlog::error("{}: {} decoding failed at frame {} (try --hwdec none)", info_.name,
                    info_.decoder, next_index_);
      return false;
    }
    spdlog::warn("{}: {} decoding failed at frame {}; continuing in software", info_.name,
                 info_.decoder, next_index_);
    auto software = FfmpegDecoder::Open(url_, info_.name, HwDecode::kNone, false);
    if (!software.ok()) return false;
    core::YuvImage skipped;
    for (int64_t i = 0; i < next_index_; ++i) {
      if ((*software)->Next(skipped) != DecodeResult::kPicture) return false;
    }
    decoder_ = std::move(software).value();
    info_.decoder = decoder_->description();
    return true;
  }

  // Frame counts of some containers are estimates, so a short stream is only worth a warning.
  void WarnIfShort() {
    if (warned_ || info_.frame_count <= 0 || next_index_ >= info_.frame_count) return;
    warned_ = true;
    spdlog::warn("{} ended after {} of {} frames (truncated file?)", info_.name, next_index_,
                 info_.frame_count);
  }

  std::unique_ptr<FfmpegDecoder> decoder_;
  std::string url_;
  bool reopenable_;
  SourceInfo info_;
  bool planar_;
  int64_t next_index_ = 0;
  bool warned_ = false;
};

// Opens `url` with FFmpeg and decodes the first frame; `name` is what messages call it.
core::Result<std::unique_ptr<Source>> OpenWithFfmpeg(const std::string& url,
                                                     const std::string& name, bool reopenable,
                                                     const SourceOptions& options) {
  FW_ASSIGN_OR_RETURN(std::unique_ptr<FfmpegDecoder> decoder,
                      FfmpegDecoder::Open(url, name, options.hwdec, reopenable));
  SourceInfo info;
  info.kind = SourceKind::kVideoFile;
  info.name = name;
  info.width = decoder->width();
  info.height = decoder->height();
  info.fps = decoder->fps();
  info.frame_count = decoder->frame_count();
  info.decoder = decoder->description();
  return std::unique_ptr<Source>(std::make_unique<VideoFileSource>(
      std::move(decoder), url, reopenable, std::move(info), options.planar));
}

}  // namespace

core::Result<std::unique_ptr<Source>> OpenVideoFile(const std::string& path,
                                                    const SourceOptions& options) {
  // "file:" makes FFmpeg take the name literally: no protocol ("concat:", "http:") in it.
  return OpenWithFfmpeg("file:" + path, path, true, options);
}

core::Result<std::unique_ptr<Source>> OpenVideoStream(const std::string& path,
                                                      const SourceOptions& options) {
  if (path == kStandardInput) return OpenWithFfmpeg("pipe:0", "standard input", false, options);
  return OpenWithFfmpeg("file:" + path, path, false, options);
}

}  // namespace fw::capture
