#include "capture/video_file_source.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include <cmath>
#include <utility>

#include "capture/backend_logging.h"
#include "core/log.h"
#include "core/stats.h"

namespace fw::capture {
namespace {

struct FormatCloser {
  void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
struct CodecFreer {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameFreer {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketFreer {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct SwsFreer {
  void operator()(SwsContext* c) const { sws_freeContext(c); }
};
using FormatPtr = std::unique_ptr<AVFormatContext, FormatCloser>;
using CodecPtr = std::unique_ptr<AVCodecContext, CodecFreer>;
using FramePtr = std::unique_ptr<AVFrame, FrameFreer>;
using PacketPtr = std::unique_ptr<AVPacket, PacketFreer>;

double SaneFps(double fps) {
  return std::isfinite(fps) && fps > 0.0 && fps <= 1000.0 ? fps : kFallbackFps;
}

int64_t SaneFrameCount(double count) {
  return std::isfinite(count) && count > 0.0 && count < 1e12 ? std::llround(count) : -1;
}

// Demuxes and decodes one video stream. Decoded pictures come out as I420 planes: views of the
// decoder's own reference-counted buffer when it decodes to yuv420p (no copy; the buffer goes
// back to the decoder's pool with the last frame that uses it), else converted by libswscale
// (other subsamplings, full-range "yuvj", RGB formats).
class Decoder {
 public:
  Decoder(FormatPtr format, CodecPtr codec, int stream)
      : format_(std::move(format)),
        codec_(std::move(codec)),
        stream_(stream),
        frame_(av_frame_alloc()),
        packet_(av_packet_alloc()) {}

  bool ok() const { return frame_ && packet_; }
  AVStream* stream() const { return format_->streams[stream_]; }

  // The next picture, or false at the end of the stream (or an unrecoverable error).
  bool Next(core::YuvImage& out) {
    for (;;) {
      const int got = avcodec_receive_frame(codec_.get(), frame_.get());
      if (got == 0) {
        const bool converted = Convert(out);
        av_frame_unref(frame_.get());
        if (converted) return true;
        continue;
      }
      if (got == AVERROR_EOF || got != AVERROR(EAGAIN)) return false;
      if (flushed_) return false;
      const int read = av_read_frame(format_.get(), packet_.get());
      if (read < 0) {
        // The end of the file, or a read error: the decoder gives what it still holds.
        flushed_ = true;
        avcodec_send_packet(codec_.get(), nullptr);
        continue;
      }
      if (packet_->stream_index == stream_) {
        // A damaged packet is skipped, as players do; the next key frame recovers.
        const int sent = avcodec_send_packet(codec_.get(), packet_.get());
        if (sent == AVERROR(ENOMEM)) {
          av_packet_unref(packet_.get());
          return false;
        }
      }
      av_packet_unref(packet_.get());
    }
  }

 private:
  bool Convert(core::YuvImage& out) {
    AVFrame* f = frame_.get();
    if (f->width <= 0 || f->height <= 0) return false;
    const cv::Size c = core::ChromaSize({f->width, f->height});
    if (f->format == AV_PIX_FMT_YUV420P && f->buf[0] != nullptr) {
      // Views of the decoder's planes; the reference keeps them alive and unwritten (the
      // decoder writes only buffers nobody else references).
      AVFrame* ref = av_frame_clone(f);
      if (ref == nullptr) return false;
      out.owner = std::shared_ptr<const void>(ref, [](const void* p) {
        AVFrame* r = const_cast<AVFrame*>(static_cast<const AVFrame*>(p));
        av_frame_free(&r);
      });
      out.y = cv::Mat(f->height, f->width, CV_8UC1, ref->data[0], ref->linesize[0]);
      out.u = cv::Mat(c, CV_8UC1, ref->data[1], ref->linesize[1]);
      out.v = cv::Mat(c, CV_8UC1, ref->data[2], ref->linesize[2]);
      return true;
    }
    // Any other layout: converted into new planes (limited range, BT.601, as YuvToBgr expects).
    out = core::YuvImage();
    out.Create(f->width, f->height);
    sws_.reset(sws_getCachedContext(sws_.release(), f->width, f->height,
                                    static_cast<AVPixelFormat>(f->format), f->width, f->height,
                                    AV_PIX_FMT_YUV420P, SWS_BICUBIC, nullptr, nullptr, nullptr));
    if (!sws_) return false;
    uint8_t* planes[4] = {out.y.data, out.u.data, out.v.data, nullptr};
    int strides[4] = {static_cast<int>(out.y.step[0]), static_cast<int>(out.u.step[0]),
                      static_cast<int>(out.v.step[0]), 0};
    return sws_scale(sws_.get(), f->data, f->linesize, 0, f->height, planes, strides) > 0;
  }

  FormatPtr format_;
  CodecPtr codec_;
  int stream_;
  FramePtr frame_;
  PacketPtr packet_;
  std::unique_ptr<SwsContext, SwsFreer> sws_;
  bool flushed_ = false;
};

class VideoFileSource : public Source {
 public:
  VideoFileSource(std::unique_ptr<Decoder> decoder, core::YuvImage first, SourceInfo info,
                  bool planar)
      : decoder_(std::move(decoder)),
        pending_(std::move(first)),
        info_(std::move(info)),
        planar_(planar) {}

  const SourceInfo& info() const override { return info_; }

  ReadState Read(core::Frame& frame) override {
    core::YuvImage yuv;
    if (!pending_.empty()) {
      yuv = std::move(pending_);
      pending_ = core::YuvImage();
    } else if (!decoder_->Next(yuv)) {
      WarnIfShort();
      return ReadState::kEnd;
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
  // Frame counts of some containers are estimates, so a short stream is only worth a warning.
  void WarnIfShort() {
    if (warned_ || info_.frame_count <= 0 || next_index_ >= info_.frame_count) return;
    warned_ = true;
    spdlog::warn("{} ended after {} of {} frames (truncated file?)", info_.name, next_index_,
                 info_.frame_count);
  }

  std::unique_ptr<Decoder> decoder_;
  core::YuvImage pending_;  // the frame decoded at open time, handed out by the first Read
  SourceInfo info_;
  bool planar_;
  int64_t next_index_ = 0;
  bool warned_ = false;
};

// Opens `url` with FFmpeg and decodes the first frame; `name` is what messages call it.
core::Result<std::unique_ptr<Source>> OpenWithFfmpeg(const std::string& url,
                                                     const std::string& name,
                                                     const SourceOptions& options) {
  const core::Error undecodable = core::Error::Runtime(
      "cannot decode input " + name +
      ": not a readable video or image (corrupt, truncated or unsupported format)");
  // The same restriction as RestrictFfmpegInputs: this one file, no protocol, pattern or list.
  AVDictionary* open_options = nullptr;
  av_dict_set(&open_options, "protocol_whitelist", "file,pipe", 0);
  av_dict_set(&open_options, "pattern_type", "none", 0);
  av_dict_set(&open_options, "format_whitelist", kFfmpegFormatWhitelist, 0);
  AVFormatContext* raw = nullptr;
  const int opened = avformat_open_input(&raw, url.c_str(), nullptr, &open_options);
  av_dict_free(&open_options);
  if (opened < 0) return undecodable;
  FormatPtr format(raw);
  if (avformat_find_stream_info(format.get(), nullptr) < 0) return undecodable;
  const AVCodec* codec = nullptr;
  const int stream = av_find_best_stream(format.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
  if (stream < 0 || codec == nullptr) return undecodable;
  // Only the video stream is demuxed into packets.
  for (unsigned i = 0; i < format->nb_streams; ++i) {
    if (static_cast<int>(i) != stream) format->streams[i]->discard = AVDISCARD_ALL;
  }
  CodecPtr context(avcodec_alloc_context3(codec));
  if (!context) return core::Error::Runtime("out of memory opening " + name);
  AVStream* st = format->streams[stream];
  if (avcodec_parameters_to_context(context.get(), st->codecpar) < 0) return undecodable;
  // One decoder thread: the pipeline's other stages keep the second core busy.
  context->thread_count = 1;
  if (avcodec_open2(context.get(), codec, nullptr) < 0) return undecodable;

  auto decoder = std::make_unique<Decoder>(std::move(format), std::move(context), stream);
  if (!decoder->ok()) return core::Error::Runtime("out of memory opening " + name);
  core::YuvImage first;
  if (!decoder->Next(first)) return undecodable;

  SourceInfo info;
  info.kind = SourceKind::kVideoFile;
  info.name = name;
  info.width = first.width();
  info.height = first.height();
  AVRational rate = st->avg_frame_rate;
  if (rate.num <= 0 || rate.den <= 0) rate = st->r_frame_rate;
  info.fps = SaneFps(rate.den > 0 ? av_q2d(rate) : 0.0);
  double count = static_cast<double>(st->nb_frames);
  if (count <= 0.0 && decoder->stream()->duration > 0) {
    count = static_cast<double>(st->duration) * av_q2d(st->time_base) * info.fps;
  }
  info.frame_count = SaneFrameCount(count);
  return std::unique_ptr<Source>(std::make_unique<VideoFileSource>(
      std::move(decoder), std::move(first), std::move(info), options.planar));
}

}  // namespace

core::Result<std::unique_ptr<Source>> OpenVideoFile(const std::string& path,
                                                    const SourceOptions& options) {
  // "file:" makes FFmpeg take the name literally: no protocol ("concat:", "http:") in it.
  return OpenWithFfmpeg("file:" + path, path, options);
}

core::Result<std::unique_ptr<Source>> OpenVideoStream(const std::string& path,
                                                      const SourceOptions& options) {
  if (path == kStandardInput) return OpenWithFfmpeg("pipe:0", "standard input", options);
  return OpenWithFfmpeg("file:" + path, path, options);
}

}  // namespace fw::capture
