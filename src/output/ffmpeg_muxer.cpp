#include "output/ffmpeg_muxer.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include "core/fd_writer.h"
#include "core/log.h"
#include "output/audio_transcoder.h"

namespace fw::output {
namespace {

constexpr int kIoBufferSize = 1 << 16;

std::string AvError(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(code, text, sizeof(text));
  return text;
}

const char* MuxerFor(const std::string& extension) {
  if (extension == ".mp4") return "mp4";
  if (extension == ".mkv") return "matroska";
  if (extension == ".avi") return "avi";
  return nullptr;
}

// Encoders to try, best first.
std::vector<const char*> EncodersFor(const std::string& extension) {
  if (extension == ".avi") return {"mjpeg"};
  return {"libx264", "mpeg4"};
}

// Audio encoders for a container that cannot take the input's codec, best first.
std::vector<const char*> AudioEncodersFor(const std::string& extension) {
  if (extension == ".avi") return {"libmp3lame", "aac"};
  if (extension == ".mkv") return {"libopus", "aac"};
  return {"aac", "libmp3lame"};
}

}  // namespace

struct FfmpegMuxer::State {
  MuxerOptions options;
  int fd = -1;
  core::Status io_error = core::Status::Ok();  // the first failed write, if any

  AVFormatContext* out = nullptr;
  AVIOContext* io = nullptr;
  AVCodecContext* video = nullptr;
  AVStream* video_stream = nullptr;
  SwsContext* sws = nullptr;
  AVFrame* frame = nullptr;
  AVPacket* packet = nullptr;
  std::string codec;
  int64_t frames = 0;

  AVFormatContext* audio_in = nullptr;
  int audio_index = -1;
  AVStream* audio_stream = nullptr;  // in `out`
  int64_t audio_offset = 0;          // input start time, in the input audio's time base
  bool audio_done = false;

  ~State() {
    if (audio_in != nullptr) avformat_close_input(&audio_in);
    av_packet_free(&packet);
    av_frame_free(&frame);
    sws_freeContext(sws);
    avcodec_free_context(&video);
    if (out != nullptr) avformat_free_context(out);
    if (io != nullptr) {
      av_freep(&io->buffer);
      avio_context_free(&io);
    }
  }

  static int WritePacket(void* opaque, const uint8_t* data, int size) {
    auto* self = static_cast<State*>(opaque);
    if (!self->io_error.ok()) return AVERROR(EIO);
    core::Status s =
        core::WriteAllToFd(self->fd, data, static_cast<size_t>(size), self->options.name);
    if (!s.ok()) {
      self->io_error = s;
      return AVERROR(EIO);
    }
    return size;
  }
#if LIBAVFORMAT_VERSION_MAJOR < 61
  static int WritePacketMutable(void* opaque, uint8_t* data, int size) {
    return WritePacket(opaque, data, size);
  }
#endif

  static int64_t Seek(void* opaque, int64_t offset, int whence) {
    auto* self = static_cast<State*>(opaque);
    if ((whence & AVSEEK_SIZE) != 0) {
      struct stat st;
      return fstat(self->fd, &st) == 0 ? st.st_size : AVERROR(errno);
    }
    const off_t at = lseek(self->fd, offset, whence & ~AVSEEK_FORCE);
    return at < 0 ? AVERROR(errno) : at;
  }

  core::Status Fail(const std::string& what, int code) {
    if (!io_error.ok()) return io_error;
    return core::Error::Runtime("cannot write " + options.name + ": " + what + " (" +
                                AvError(code) + ")");
  }

  core::Status OpenAudio() {
    if (options.audio_from.empty()) return core::Status::Ok();
    const std::string url = "file:" + options.audio_from;
    int rc = avformat_open_input(&audio_in, url.c_str(), nullptr, nullptr);
    if (rc < 0) {
      return core::Error::Runtime("cannot read the audio of " + options.audio_from + ": " +
                                  AvError(rc));
    }
    rc = avformat_find_stream_info(audio_in, nullptr);
    if (rc < 0) {
      return core::Error::Runtime("cannot read the audio of " + options.audio_from + ": " +
                                  AvError(rc));
    }
    audio_index = av_find_best_stream(audio_in, AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    if (audio_index < 0) {
      avformat_close_input(&audio_in);
      return core::Status::Ok();  // no audio: nothing to carry
    }
    AVStream* in = audio_in->streams[audio_index];
    if (avformat_query_codec(out->oformat, in->codecpar->codec_id, FF_COMPLIANCE_NORMAL) != 1) {
      // The container cannot hold this codec: re-encode to one it takes.
      const AVCodec* encoder = nullptr;
      for (const char* name : AudioEncodersFor(options.extension)) {
        const AVCodec* candidate = avcodec_find_encoder_by_name(name);
        if (candidate != nullptr &&
            avformat_query_codec(out->oformat, candidate->id, FF_COMPLIANCE_NORMAL) == 1) {
          encoder = candidate;
          break;
        }
      }
      if (encoder == nullptr) {
        return core::Error::Runtime("cannot write " + options.name + ": the input's " +
                                    avcodec_get_name(in->codecpar->codec_id) +
                                    " audio cannot go into a " + options.extension +
                                    " file and no encoder for it is available");
      }
      auto transcoder = AudioTranscoder::Open(in->codecpar, in->time_base, encoder,
                                              (out->oformat->flags & AVFMT_GLOBALHEADER) != 0);
      if (!transcoder.ok()) {
        return core::Error::Runtime("cannot write " + options.name + ": " +
                                    transcoder.error().message);
      }
      audio_transcoder = std::move(transcoder).value();
      audio_stream = avformat_new_stream(out, nullptr);
      if (audio_stream == nullptr) return Fail("out of memory", AVERROR(ENOMEM));
      rc = avcodec_parameters_from_context(audio_stream->codecpar, audio_transcoder->encoder());
      if (rc < 0) return Fail("cannot set up the audio stream", rc);
      audio_stream->time_base = audio_transcoder->encoder()->time_base;
      spdlog::debug("{}: {} audio re-encoded as {}", options.name,
                    avcodec_get_name(in->codecpar->codec_id), encoder->name);
    } else {
      audio_stream = avformat_new_stream(out, nullptr);
      if (audio_stream == nullptr) return Fail("out of memory", AVERROR(ENOMEM));
      rc = avcodec_parameters_copy(audio_stream->codecpar, in->codecpar);
      if (rc < 0) return Fail("cannot copy the audio stream", rc);
      audio_stream->codecpar->codec_tag = 0;
      audio_stream->time_base = in->time_base;
    }
    if (audio_in->start_time != AV_NOPTS_VALUE) {
      audio_offset = av_rescale_q(audio_in->start_time, AV_TIME_BASE_Q, in->time_base);
    }
    return core::Status::Ok();
  }

  core::Status OpenVideo() {
    const AVCodec* encoder = nullptr;
    for (const char* name : EncodersFor(options.extension)) {
      encoder = avcodec_find_encoder_by_name(name);
      if (encoder != nullptr) break;
    }
    if (encoder == nullptr) {
      return core::Error::Runtime("cannot write " + options.name + ": no " + options.extension +
                                  " video encoder in this FFmpeg build");
    }
    codec = encoder->name;
    video = avcodec_alloc_context3(encoder);
    if (video == nullptr) return Fail("out of memory", AVERROR(ENOMEM));
    const bool jpeg = encoder->id == AV_CODEC_ID_MJPEG;
    video->width = options.width;
    video->height = options.height;
    video->time_base = AVRational{options.fps.den, options.fps.num};
    video->framerate = AVRational{options.fps.num, options.fps.den};
    video->pix_fmt = jpeg ? AV_PIX_FMT_YUVJ420P : AV_PIX_FMT_YUV420P;
    video->color_range = jpeg ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG;
    video->colorspace = AVCOL_SPC_SMPTE170M;
    video->color_primaries = AVCOL_PRI_SMPTE170M;
    video->color_trc = AVCOL_TRC_SMPTE170M;
    if (encoder->id == AV_CODEC_ID_H264) {
      av_opt_set_int(video->priv_data, "crf", options.crf, 0);
    } else {
      // The quantiser scale 2..31 spread over the crf range.
      const int q = std::clamp(2 + options.crf * 29 / 51, 2, 31);
      video->flags |= AV_CODEC_FLAG_QSCALE;
      video->global_quality = FF_QP2LAMBDA * q;
    }
    if ((out->oformat->flags & AVFMT_GLOBALHEADER) != 0) {
      video->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    }
    int rc = avcodec_open2(video, encoder, nullptr);
    if (rc < 0) return Fail("cannot open the " + codec + " encoder", rc);
    video_stream = avformat_new_stream(out, nullptr);
    if (video_stream == nullptr) return Fail("out of memory", AVERROR(ENOMEM));
    video_stream->time_base = video->time_base;
    video_stream->avg_frame_rate = video->framerate;
    rc = avcodec_parameters_from_context(video_stream->codecpar, video);
    if (rc < 0) return Fail("cannot set up the video stream", rc);

    frame = av_frame_alloc();
    packet = av_packet_alloc();
    if (frame == nullptr || packet == nullptr) return Fail("out of memory", AVERROR(ENOMEM));
    frame->format = video->pix_fmt;
    frame->width = options.width;
    frame->height = options.height;
    rc = av_frame_get_buffer(frame, 0);
    if (rc < 0) return Fail("out of memory", rc);
    sws = sws_getContext(options.width, options.height, AV_PIX_FMT_BGR24, options.width,
                         options.height, video->pix_fmt, SWS_BICUBIC | SWS_ACCURATE_RND, nullptr,
                         nullptr, nullptr);
    if (sws == nullptr) return Fail("cannot set up the colour conversion", AVERROR(EINVAL));
    const int* coefficients = sws_getCoefficients(SWS_CS_ITU601);
    sws_setColorspaceDetails(sws, coefficients, 1, coefficients, jpeg ? 1 : 0, 0, 1 << 16, 1 << 16);
    return core::Status::Ok();
  }

  // Audio packets that start before `until_seconds` of the output's timeline, and (unless
  // `last`) the first one after it, so that the muxer always has audio ahead to interleave.
  core::Status PumpAudio(double until_seconds, bool last) {
    if (audio_in == nullptr || audio_done) return core::Status::Ok();
    AVStream* in = audio_in->streams[audio_index];
    while (true) {
      const int rc = av_read_frame(audio_in, packet);
      if (rc == AVERROR_EOF) {
        audio_done = true;
        return core::Status::Ok();
      }
      if (rc < 0) {
        return core::Error::Runtime("cannot read the audio of " + options.audio_from + ": " +
                                    AvError(rc));
      }
      if (packet->stream_index != audio_index) {
        av_packet_unref(packet);
        continue;
      }
      if (packet->pts != AV_NOPTS_VALUE) packet->pts -= audio_offset;
      if (packet->dts != AV_NOPTS_VALUE) packet->dts -= audio_offset;
      const int64_t ts = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
      const double at = ts == AV_NOPTS_VALUE ? 0.0 : ts * av_q2d(in->time_base);
      if (at >= until_seconds) {
        if (last) {  // past the video's end: cut here
          av_packet_unref(packet);
          audio_done = true;
          return core::Status::Ok();
        }
        pending_audio_seconds = at;
        return WriteAudioPacket();
      }
      FW_RETURN_IF_ERROR(WriteAudioPacket());
    }
  }

  // Writes `packet` (an input audio packet, offset applied), re-encoded where needed.
  core::Status WriteAudioPacket() {
    AVStream* in = audio_in->streams[audio_index];
    if (audio_transcoder) {
      core::Status pushed = audio_transcoder->Push(packet, emit_audio);
      av_packet_unref(packet);
      return pushed;
    }
    packet->stream_index = audio_stream->index;
    av_packet_rescale_ts(packet, in->time_base, audio_stream->time_base);
    packet->pos = -1;
    const int rc = av_interleaved_write_frame(out, packet);
    if (rc < 0) return Fail("cannot write the audio", rc);
    return core::Status::Ok();
  }

  core::Status Drain(bool flush) {
    int rc = avcodec_send_frame(video, flush ? nullptr : frame);
    if (rc < 0) return Fail("the " + codec + " encoder failed", rc);
    while (true) {
      rc = avcodec_receive_packet(video, packet);
      if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return core::Status::Ok();
      if (rc < 0) return Fail("the " + codec + " encoder failed", rc);
      packet->stream_index = video_stream->index;
      av_packet_rescale_ts(packet, video->time_base, video_stream->time_base);
      rc = av_interleaved_write_frame(out, packet);
      if (rc < 0) return Fail("cannot write the video", rc);
    }
  }

  double pending_audio_seconds = 0.0;
  std::unique_ptr<AudioTranscoder> audio_transcoder;
  // Writes an encoded audio packet, timed in the transcoder's encoder time base.
  AudioTranscoder::Emit emit_audio = [this](AVPacket* encoded) {
    encoded->stream_index = audio_stream->index;
    av_packet_rescale_ts(encoded, audio_transcoder->encoder()->time_base, audio_stream->time_base);
    const int rc = av_interleaved_write_frame(out, encoded);
    if (rc < 0) return Fail("cannot write the audio", rc);
    return core::Status::Ok();
  };
};

FfmpegMuxer::FfmpegMuxer(std::unique_ptr<State> state) : s_(std::move(state)) {}
FfmpegMuxer::~FfmpegMuxer() = default;

const std::string& FfmpegMuxer::codec_name() const { return s_->codec; }
bool FfmpegMuxer::has_audio() const { return s_->audio_stream != nullptr; }

core::Result<std::unique_ptr<FfmpegMuxer>> FfmpegMuxer::Open(int fd, const MuxerOptions& options) {
  auto s = std::make_unique<State>();
  s->options = options;
  s->fd = fd;
  const char* muxer = MuxerFor(options.extension);
  if (muxer == nullptr) {
    return core::Error::Runtime("cannot write " + options.name + ": unknown video container " +
                                options.extension);
  }
  int rc = avformat_alloc_output_context2(&s->out, nullptr, muxer, nullptr);
  if (rc < 0 || s->out == nullptr)
    return s->Fail("no " + std::string(muxer) + " muxer", rc).error();
  auto* buffer = static_cast<uint8_t*>(av_malloc(kIoBufferSize));
  if (buffer == nullptr) return s->Fail("out of memory", AVERROR(ENOMEM)).error();
#if LIBAVFORMAT_VERSION_MAJOR < 61
  s->io = avio_alloc_context(buffer, kIoBufferSize, 1, s.get(), nullptr, &State::WritePacketMutable,
                             &State::Seek);
#else
  s->io = avio_alloc_context(buffer, kIoBufferSize, 1, s.get(), nullptr, &State::WritePacket,
                             &State::Seek);
#endif
  if (s->io == nullptr) {
    av_free(buffer);
    return s->Fail("out of memory", AVERROR(ENOMEM)).error();
  }
  s->out->pb = s->io;
  s->out->flags |= AVFMT_FLAG_CUSTOM_IO;
  FW_RETURN_IF_ERROR(s->OpenVideo());
  FW_RETURN_IF_ERROR(s->OpenAudio());
  rc = avformat_write_header(s->out, nullptr);
  if (rc < 0) return s->Fail("cannot start the " + std::string(muxer) + " file", rc).error();
  return std::unique_ptr<FfmpegMuxer>(new FfmpegMuxer(std::move(s)));
}

core::Status FfmpegMuxer::WriteFrame(const cv::Mat& bgr) {
  State& s = *s_;
  if (bgr.type() != CV_8UC3 || bgr.cols < s.options.width || bgr.rows < s.options.height) {
    return core::Error::Runtime("internal: frame of " + std::to_string(bgr.cols) + "x" +
                                std::to_string(bgr.rows) + " for " + s.options.name);
  }
  int rc = av_frame_make_writable(s.frame);  // the encoder may still hold the last one
  if (rc < 0) return s.Fail("out of memory", rc);
  const uint8_t* src[1] = {bgr.data};
  const int stride[1] = {static_cast<int>(bgr.step[0])};
  sws_scale(s.sws, src, stride, 0, s.options.height, s.frame->data, s.frame->linesize);
  return EncodeFrame();
}

bool FfmpegMuxer::takes_yuv() const { return s_->video->pix_fmt == AV_PIX_FMT_YUV420P; }

core::Status FfmpegMuxer::WriteFrame(const core::YuvImage& yuv) {
  State& s = *s_;
  const cv::Size chroma = core::ChromaSize({s.options.width, s.options.height});
  if (!takes_yuv() || yuv.width() != s.options.width || yuv.height() != s.options.height ||
      yuv.u.size() != chroma || yuv.v.size() != chroma) {
    return core::Error::Runtime("internal: I420 frame of " + std::to_string(yuv.width()) + "x" +
                                std::to_string(yuv.height()) + " for " + s.options.name);
  }
  const int rc = av_frame_make_writable(s.frame);  // the encoder may still hold the last one
  if (rc < 0) return s.Fail("out of memory", rc);
  const cv::Mat* planes[3] = {&yuv.y, &yuv.u, &yuv.v};
  for (int i = 0; i < 3; ++i) {
    av_image_copy_plane(s.frame->data[i], s.frame->linesize[i], planes[i]->data,
                        static_cast<int>(planes[i]->step[0]), planes[i]->cols, planes[i]->rows);
  }
  return EncodeFrame();
}

core::Status FfmpegMuxer::EncodeFrame() {
  State& s = *s_;
  s.frame->pts = s.frames;
  const double at = static_cast<double>(s.frames) * s.options.fps.den / s.options.fps.num;
  if (s.audio_stream != nullptr && (s.frames == 0 || s.pending_audio_seconds < at)) {
    FW_RETURN_IF_ERROR(s.PumpAudio(at, false));
  }
  FW_RETURN_IF_ERROR(s.Drain(false));
  ++s.frames;
  return s.io_error;
}

core::Status FfmpegMuxer::Finish() {
  State& s = *s_;
  FW_RETURN_IF_ERROR(s.Drain(true));
  const double end = static_cast<double>(s.frames) * s.options.fps.den / s.options.fps.num;
  if (s.audio_stream != nullptr && s.pending_audio_seconds < end) {
    FW_RETURN_IF_ERROR(s.PumpAudio(end, true));
  }
  if (s.audio_transcoder) FW_RETURN_IF_ERROR(s.audio_transcoder->Push(nullptr, s.emit_audio));
  const int rc = av_write_trailer(s.out);
  if (rc < 0) return s.Fail("cannot finish the file", rc);
  avio_flush(s.io);
  if (s.io->error < 0) return s.Fail("the file could not be written", s.io->error);
  return s.io_error;
}

}  // namespace fw::output
