#include "capture/ffmpeg_decoder.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/hwcontext.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include <atomic>
#include <cmath>
#include <utility>
#include <vector>

#include "capture/backend_logging.h"
#include "capture/video_file_source.h"
#include "core/log.h"

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

// A picture handed out: the decoder's own frame (moved in, no copy) or planes of its own that
// a conversion wrote. Reused once the decoder holds the only reference.
struct PictureSlot {
  FramePtr frame{av_frame_alloc()};
  core::YuvImage planes;
};

}  // namespace

struct FfmpegDecoder::Impl {
  FormatPtr format;
  CodecPtr codec;
  int stream = -1;
  FramePtr frame{av_frame_alloc()};
  FramePtr transfer{av_frame_alloc()};  // a hardware picture copied to system memory, reused
  PacketPtr packet{av_packet_alloc()};
  std::unique_ptr<SwsContext, SwsFreer> sws;
  bool flushed = false;

  HwDeviceChoice hw;         // the device the decoder was given; none for software
  bool hw_pictures = false;  // the last picture came from the device
  std::string description;
  double fps = kFallbackFps;
  int64_t frame_count = -1;
  int width = 0;
  int height = 0;

  std::vector<std::shared_ptr<PictureSlot>> slots;
  core::YuvImage first;  // decoded by Open, handed out by the first Next

  bool ok() const { return frame && transfer && packet; }

  // The hardware format where the decoder offers it for this stream, else software (the
  // device cannot decode this profile or size): the decoder then continues without it.
  static AVPixelFormat PickFormat(AVCodecContext* context, const AVPixelFormat* formats) {
    const auto* self = static_cast<const Impl*>(context->opaque);
    for (const AVPixelFormat* f = formats; *f != AV_PIX_FMT_NONE; ++f) {
      if (*f == self->hw.pixel_format) return *f;
    }
    for (const AVPixelFormat* f = formats; *f != AV_PIX_FMT_NONE; ++f) {
      const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(*f);
      if (d != nullptr && (d->flags & AV_PIX_FMT_FLAG_HWACCEL) == 0) {
        spdlog::debug("{} cannot decode this stream; decoding in software", self->hw.type);
        return *f;
      }
    }
    return AV_PIX_FMT_NONE;
  }

  // A slot that nobody else holds (a new one while all are in use, which happens only until
  // the pipeline's frames in flight have each taken one). Free slots give their decoder
  // buffers back to the decoder's pool.
  PictureSlot* Acquire(std::shared_ptr<const void>& owner) {
    PictureSlot* found = nullptr;
    for (const std::shared_ptr<PictureSlot>& slot : slots) {
      if (slot.use_count() != 1) continue;
      // Pairs with the release of the last other reference: its reads of the pixels are done.
      std::atomic_thread_fence(std::memory_order_acquire);
      av_frame_unref(slot->frame.get());
      if (found == nullptr) {
        found = slot.get();
        owner = slot;
      }
    }
    if (found != nullptr) return found;
    auto slot = std::make_shared<PictureSlot>();
    if (!slot->frame) return nullptr;
    slots.push_back(slot);
    owner = slot;
    return slot.get();
  }

  // Decoded picture -> out. False when it cannot be converted (skipped) or, with hw_failed
  // set, when the device's picture could not be copied to system memory.
  bool Convert(core::YuvImage& out, bool& hw_failed) {
    AVFrame* f = frame.get();
    if (f->width <= 0 || f->height <= 0) return false;
    std::shared_ptr<const void> owner;
    PictureSlot* slot = Acquire(owner);
    if (slot == nullptr) return false;
    const cv::Size c = core::ChromaSize({f->width, f->height});
    hw_pictures = hw.available() && f->format == hw.pixel_format;
    if (!hw_pictures && f->format == AV_PIX_FMT_YUV420P && f->buf[0] != nullptr) {
      // Views of the decoder's planes, which it writes only once nobody references them.
      av_frame_move_ref(slot->frame.get(), f);
      const AVFrame* s = slot->frame.get();
      out.y = cv::Mat(s->height, s->width, CV_8UC1, s->data[0], s->linesize[0]);
      out.u = cv::Mat(c, CV_8UC1, s->data[1], s->linesize[1]);
      out.v = cv::Mat(c, CV_8UC1, s->data[2], s->linesize[2]);
      out.owner = std::move(owner);
      return true;
    }
    const AVFrame* src = f;
    if (hw_pictures) {
      // Into the same system-memory frame every time (allocated by the first transfer).
      AVFrame* t = transfer.get();
      if (t->buf[0] != nullptr && (t->width != f->width || t->height != f->height)) {
        av_frame_unref(t);
      }
      if (av_hwframe_transfer_data(t, f, 0) < 0) {
        hw_failed = true;
        return false;
      }
      src = t;
    }
    // Any other layout: converted into the slot's planes (limited range, BT.601, as YuvToBgr
    // expects), allocated once per slot.
    slot->planes.Create(src->width, src->height);
    sws.reset(sws_getCachedContext(sws.release(), src->width, src->height,
                                   static_cast<AVPixelFormat>(src->format), src->width, src->height,
                                   AV_PIX_FMT_YUV420P, SWS_BICUBIC, nullptr, nullptr, nullptr));
    if (!sws) return false;
    const core::YuvImage& p = slot->planes;
    uint8_t* planes[4] = {p.y.data, p.u.data, p.v.data, nullptr};
    int strides[4] = {static_cast<int>(p.y.step[0]), static_cast<int>(p.u.step[0]),
                      static_cast<int>(p.v.step[0]), 0};
    if (sws_scale(sws.get(), src->data, src->linesize, 0, src->height, planes, strides) <= 0) {
      return false;
    }
    // Views without a reference count of their own: the owner keeps the slot.
    out.y = cv::Mat(p.y.rows, p.y.cols, CV_8UC1, p.y.data, p.y.step[0]);
    out.u = cv::Mat(p.u.rows, p.u.cols, CV_8UC1, p.u.data, p.u.step[0]);
    out.v = cv::Mat(p.v.rows, p.v.cols, CV_8UC1, p.v.data, p.v.step[0]);
    out.owner = std::move(owner);
    return true;
  }

  DecodeResult Decode(core::YuvImage& out) {
    for (;;) {
      const int got = avcodec_receive_frame(codec.get(), frame.get());
      if (got == 0) {
        bool hw_failed = false;
        const bool converted = Convert(out, hw_failed);
        av_frame_unref(frame.get());
        if (converted) return DecodeResult::kPicture;
        if (hw_failed) return DecodeResult::kError;
        continue;
      }
      if (got != AVERROR(EAGAIN)) {
        // The end, or a decoder that cannot go on: on a device, software may still can.
        return got != AVERROR_EOF && hw.available() ? DecodeResult::kError : DecodeResult::kEnd;
      }
      if (flushed) return DecodeResult::kEnd;
      const int read = av_read_frame(format.get(), packet.get());
      if (read < 0) {
        // The end of the file, or a read error: the decoder gives what it still holds.
        flushed = true;
        avcodec_send_packet(codec.get(), nullptr);
        continue;
      }
      if (packet->stream_index == stream) {
        // A damaged packet is skipped, as players do; the next key frame recovers.
        const int sent = avcodec_send_packet(codec.get(), packet.get());
        if (sent == AVERROR(ENOMEM)) {
          av_packet_unref(packet.get());
          return hw.available() ? DecodeResult::kError : DecodeResult::kEnd;
        }
      }
      av_packet_unref(packet.get());
    }
  }
};

namespace {

// Opens the container and the decoder, on a hardware device where kAuto finds one. Null on
// failure.
std::unique_ptr<FfmpegDecoder::Impl> OpenImpl(const std::string& url, const std::string& name,
                                              HwDecode hwdec) {
  auto impl = std::make_unique<FfmpegDecoder::Impl>();
  if (!impl->ok()) return nullptr;
  // The same restriction as RestrictFfmpegInputs: this one file, no protocol, pattern or list.
  AVDictionary* open_options = nullptr;
  av_dict_set(&open_options, "protocol_whitelist", "file,pipe", 0);
  av_dict_set(&open_options, "pattern_type", "none", 0);
  av_dict_set(&open_options, "format_whitelist", kFfmpegFormatWhitelist, 0);
  AVFormatContext* raw = nullptr;
  const int opened = avformat_open_input(&raw, url.c_str(), nullptr, &open_options);
  av_dict_free(&open_options);
  if (opened < 0) return nullptr;
  impl->format.reset(raw);
  if (avformat_find_stream_info(impl->format.get(), nullptr) < 0) return nullptr;
  const AVCodec* codec = nullptr;
  impl->stream = av_find_best_stream(impl->format.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
  if (impl->stream < 0 || codec == nullptr) return nullptr;
  // Only the video stream is demuxed into packets.
  for (unsigned i = 0; i < impl->format->nb_streams; ++i) {
    if (static_cast<int>(i) != impl->stream) impl->format->streams[i]->discard = AVDISCARD_ALL;
  }
  impl->codec.reset(avcodec_alloc_context3(codec));
  if (!impl->codec) return nullptr;
  AVStream* st = impl->format->streams[impl->stream];
  if (avcodec_parameters_to_context(impl->codec.get(), st->codecpar) < 0) return nullptr;
  // One decoder thread: the pipeline's other stages keep the second core busy.
  impl->codec->thread_count = 1;
  if (hwdec == HwDecode::kAuto) {
    impl->hw = ChooseHwDevice(codec->name);
    if (impl->hw.available()) {
      impl->codec->hw_device_ctx = av_buffer_ref(static_cast<AVBufferRef*>(impl->hw.device.get()));
      if (impl->codec->hw_device_ctx == nullptr) return nullptr;
      impl->codec->opaque = impl.get();
      impl->codec->get_format = &FfmpegDecoder::Impl::PickFormat;
    } else {
      spdlog::debug("no hardware decoding for {}: {}", name, impl->hw.reason);
    }
  }
  if (avcodec_open2(impl->codec.get(), codec, nullptr) < 0) return nullptr;

  AVRational rate = st->avg_frame_rate;
  if (rate.num <= 0 || rate.den <= 0) rate = st->r_frame_rate;
  impl->fps = SaneFps(rate.den > 0 ? av_q2d(rate) : 0.0);
  double count = static_cast<double>(st->nb_frames);
  if (count <= 0.0 && st->duration > 0) {
    count = static_cast<double>(st->duration) * av_q2d(st->time_base) * impl->fps;
  }
  impl->frame_count = SaneFrameCount(count);
  return impl;
}

}  // namespace

core::Result<std::unique_ptr<FfmpegDecoder>> FfmpegDecoder::Open(const std::string& url,
                                                                 const std::string& name,
                                                                 HwDecode hwdec, bool reopenable) {
  const core::Error undecodable = core::Error::Runtime(
      "cannot decode input " + name +
      ": not a readable video or image (corrupt, truncated or unsupported format)");
  std::unique_ptr<Impl> impl = OpenImpl(url, name, hwdec);
  if (!impl) return undecodable;
  DecodeResult first = impl->Decode(impl->first);
  if (first != DecodeResult::kPicture && impl->hw.available()) {
    if (!reopenable) {
      return core::Error::Runtime("cannot decode input " + name + " on the " + impl->hw.type +
                                  " device; try --hwdec none");
    }
    spdlog::info("{}: {} decoding failed at the first picture; decoding in software", name,
                 impl->hw.type);
    impl = OpenImpl(url, name, HwDecode::kNone);
    if (!impl) return undecodable;
    first = impl->Decode(impl->first);
  }
  if (first != DecodeResult::kPicture) return undecodable;
  impl->width = impl->first.width();
  impl->height = impl->first.height();
  const char* where = impl->hw_pictures ? impl->hw.type.c_str() : "software";
  impl->description = std::string(impl->codec->codec->name) + " (" + where + ")";
  spdlog::info("decoding {} with {}", name, impl->description);
  return std::unique_ptr<FfmpegDecoder>(new FfmpegDecoder(std::move(impl)));
}

FfmpegDecoder::FfmpegDecoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FfmpegDecoder::~FfmpegDecoder() = default;

DecodeResult FfmpegDecoder::Next(core::YuvImage& out) {
  if (!impl_->first.empty()) {
    out = std::move(impl_->first);
    impl_->first = core::YuvImage();
    return DecodeResult::kPicture;
  }
  return impl_->Decode(out);
}

int FfmpegDecoder::width() const { return impl_->width; }
int FfmpegDecoder::height() const { return impl_->height; }
double FfmpegDecoder::fps() const { return impl_->fps; }
int64_t FfmpegDecoder::frame_count() const { return impl_->frame_count; }
const std::string& FfmpegDecoder::description() const { return impl_->description; }
bool FfmpegDecoder::hardware() const { return impl_->hw_pictures; }

}  // namespace fw::capture
