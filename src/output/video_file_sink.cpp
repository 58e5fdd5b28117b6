#include "output/video_file_sink.h"

#include <utility>

#include "core/atomic_file.h"
#include "core/log.h"
#include "output/ffmpeg_muxer.h"
#include "output/sink_spec.h"

namespace fw::output {
namespace {

class VideoFileSink : public Sink {
 public:
  VideoFileSink(std::string name, core::PendingFile pending, std::unique_ptr<FfmpegMuxer> muxer,
                cv::Size size)
      : name_(std::move(name)),
        pending_(std::move(pending)),
        muxer_(std::move(muxer)),
        guard_(name_, size) {}

  const std::string& name() const override { return name_; }

  core::Status Write(const cv::Mat& bgr) override {
    FW_RETURN_IF_ERROR(guard_.CheckWrite(bgr));
    FW_RETURN_IF_ERROR(muxer_->WriteFrame(bgr));
    guard_.Wrote();
    return core::Status::Ok();
  }

  core::Status WriteYuv(const core::YuvImage& yuv) override {
    if (!muxer_->takes_yuv()) return Sink::WriteYuv(yuv);
    FW_RETURN_IF_ERROR(guard_.CheckWrite(yuv));
    // The encoder's size is even (see OpenVideoFileSink): the top-left part, as for BGR.
    const cv::Rect luma(0, 0, yuv.width() & ~1, yuv.height() & ~1);
    const cv::Rect chroma(0, 0, luma.width / 2, luma.height / 2);
    core::YuvImage even;
    even.y = yuv.y(luma);
    even.u = yuv.u(chroma);
    even.v = yuv.v(chroma);
    FW_RETURN_IF_ERROR(muxer_->WriteFrame(even));
    guard_.Wrote();
    return core::Status::Ok();
  }

  core::Status Complete() override {
    FW_RETURN_IF_ERROR(guard_.CheckComplete());
    return muxer_->Finish();
  }

  core::Status Commit() override {
    muxer_.reset();
    return pending_.Commit();
  }

 private:
  std::string name_;
  core::PendingFile pending_;           // declared before muxer_: the muxer goes first
  std::unique_ptr<FfmpegMuxer> muxer_;  // writes into pending_'s descriptor
  SinkGuard guard_;
};

}  // namespace

core::Result<std::unique_ptr<Sink>> OpenVideoFileSink(const std::string& path,
                                                      const std::string& extension,
                                                      const StreamInfo& info) {
  FW_RETURN_IF_ERROR(CheckOutputPath(path));
  if (info.width < 2 || info.height < 2) {
    return core::Error::Runtime("cannot write " + path + ": invalid frame size " +
                                std::to_string(info.width) + "x" + std::to_string(info.height));
  }
  if (info.crf < 0 || info.crf > 51) {
    return core::Error::Usage("--crf " + std::to_string(info.crf) + " is out of range 0..51");
  }
  FW_ASSIGN_OR_RETURN(core::PendingFile pending, core::PendingFile::Create(path));
  if (pending.in_place()) {
    // A container's index is written last, at the start of the file: a device or pipe
    // cannot take it. (A .y4m or gst: output streams.)
    return core::Error::Runtime("cannot write " + path +
                                ": a video file needs a regular file, not a device, pipe or "
                                "link (use - or a .y4m path to stream)");
  }
  MuxerOptions options;
  options.name = path;
  options.extension = extension;
  options.width = info.width & ~1;
  options.height = info.height & ~1;
  options.fps = FpsToRational(info.fps);
  options.crf = info.crf;
  options.audio_from = info.audio_from;
  FW_ASSIGN_OR_RETURN(std::unique_ptr<FfmpegMuxer> muxer, FfmpegMuxer::Open(pending.fd(), options));
  spdlog::debug("{}: {} video{}", path, muxer->codec_name(),
                muxer->has_audio() ? " with the input's audio" : "");
  return std::unique_ptr<Sink>(std::make_unique<VideoFileSink>(
      path, std::move(pending), std::move(muxer), cv::Size(info.width, info.height)));
}

}  // namespace fw::output
