#include "output/audio_transcoder.h"

#include <algorithm>
#include <string>
#include <utility>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libswresample/swresample.h>
}

namespace fw::output {
namespace {

constexpr int64_t kBitRate = 160000;

std::string AvError(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(code, text, sizeof(text));
  return text;
}

core::Error Failed(const std::string& what, int code) {
  return core::Error::Runtime("cannot re-encode the audio: " + what + " (" + AvError(code) + ")");
}

// The encoder's rate closest to `wanted` (its only one if it lists none).
int SupportedRate(const AVCodec* codec, int wanted) {
  if (codec->supported_samplerates == nullptr) return wanted;
  int best = 0;
  for (const int* r = codec->supported_samplerates; *r != 0; ++r) {
    if (best == 0 || std::abs(*r - wanted) < std::abs(best - wanted)) best = *r;
  }
  return best;
}

}  // namespace

struct AudioTranscoder::State {
  AVRational input_time_base{1, 1};
  AVCodecContext* decoder = nullptr;
  AVCodecContext* encoder = nullptr;
  SwrContext* swr = nullptr;
  AVAudioFifo* fifo = nullptr;
  AVFrame* decoded = nullptr;
  AVFrame* converted = nullptr;  // swr output, grown as needed
  AVFrame* chunk = nullptr;      // one encoder frame
  AVPacket* packet = nullptr;    // encoder output
  int64_t next_pts = AV_NOPTS_VALUE;

  ~State() {
    av_packet_free(&packet);
    av_frame_free(&chunk);
    av_frame_free(&converted);
    av_frame_free(&decoded);
    if (fifo != nullptr) av_audio_fifo_free(fifo);
    swr_free(&swr);
    avcodec_free_context(&encoder);
    avcodec_free_context(&decoder);
  }

  core::Status Encode(AVFrame* frame, const Emit& emit) {
    int rc = avcodec_send_frame(encoder, frame);
    if (rc < 0) return Failed("the encoder refused a frame", rc);
    while (true) {
      rc = avcodec_receive_packet(encoder, packet);
      if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return core::Status::Ok();
      if (rc < 0) return Failed("the encoder failed", rc);
      FW_RETURN_IF_ERROR(emit(packet));
    }
  }

  // Encodes whole encoder frames from the FIFO; with `all`, the last partial one too.
  core::Status EncodeFifo(bool all, const Emit& emit) {
    const int size = encoder->frame_size > 0 ? encoder->frame_size : 1024;
    while (av_audio_fifo_size(fifo) >= size || (all && av_audio_fifo_size(fifo) > 0)) {
      const int n = std::min(size, av_audio_fifo_size(fifo));
      av_frame_unref(chunk);
      chunk->nb_samples = n;
      chunk->format = encoder->sample_fmt;
      chunk->sample_rate = encoder->sample_rate;
      int rc = av_channel_layout_copy(&chunk->ch_layout, &encoder->ch_layout);
      if (rc < 0) return Failed("out of memory", rc);
      rc = av_frame_get_buffer(chunk, 0);
      if (rc < 0) return Failed("out of memory", rc);
      if (av_audio_fifo_read(fifo, reinterpret_cast<void**>(chunk->data), n) < n) {
        return Failed("the sample queue failed", AVERROR(EIO));
      }
      chunk->pts = next_pts;
      next_pts += n;
      FW_RETURN_IF_ERROR(Encode(chunk, emit));
    }
    return core::Status::Ok();
  }

  // Resamples `frame` (nullptr: what the resampler still holds) into the FIFO.
  core::Status Queue(const AVFrame* frame) {
    const int in_samples = frame != nullptr ? frame->nb_samples : 0;
    const int out_samples = swr_get_out_samples(swr, in_samples);
    if (out_samples <= 0) return core::Status::Ok();
    if (converted->nb_samples < out_samples) {
      av_frame_unref(converted);
      converted->nb_samples = out_samples;
      converted->format = encoder->sample_fmt;
      converted->sample_rate = encoder->sample_rate;
      int rc = av_channel_layout_copy(&converted->ch_layout, &encoder->ch_layout);
      if (rc < 0) return Failed("out of memory", rc);
      rc = av_frame_get_buffer(converted, 0);
      if (rc < 0) return Failed("out of memory", rc);
    }
    const int got = swr_convert(
        swr, converted->data, out_samples,
        frame != nullptr ? const_cast<const uint8_t**>(frame->extended_data) : nullptr, in_samples);
    if (got < 0) return Failed("resampling failed", got);
    if (got > 0 &&
        av_audio_fifo_write(fifo, reinterpret_cast<void**>(converted->data), got) < got) {
      return Failed("the sample queue failed", AVERROR(ENOMEM));
    }
    return core::Status::Ok();
  }
};

AudioTranscoder::AudioTranscoder(std::unique_ptr<State> state) : s_(std::move(state)) {}
AudioTranscoder::~AudioTranscoder() = default;

const AVCodecContext* AudioTranscoder::encoder() const { return s_->encoder; }

core::Result<std::unique_ptr<AudioTranscoder>> AudioTranscoder::Open(const AVCodecParameters* input,
                                                                     AVRational input_time_base,
                                                                     const AVCodec* encoder,
                                                                     bool global_header) {
  auto s = std::make_unique<State>();
  s->input_time_base = input_time_base;
  const AVCodec* decoder = avcodec_find_decoder(input->codec_id);
  if (decoder == nullptr) {
    return core::Error::Runtime(std::string("cannot re-encode the audio: no decoder for ") +
                                avcodec_get_name(input->codec_id));
  }
  s->decoder = avcodec_alloc_context3(decoder);
  if (s->decoder == nullptr) return Failed("out of memory", AVERROR(ENOMEM));
  int rc = avcodec_parameters_to_context(s->decoder, input);
  if (rc < 0) return Failed("bad input parameters", rc);
  s->decoder->pkt_timebase = input_time_base;
  rc = avcodec_open2(s->decoder, decoder, nullptr);
  if (rc < 0) return Failed("cannot open the decoder", rc);

  s->encoder = avcodec_alloc_context3(encoder);
  if (s->encoder == nullptr) return Failed("out of memory", AVERROR(ENOMEM));
  s->encoder->sample_rate = SupportedRate(encoder, s->decoder->sample_rate);
  if (s->decoder->ch_layout.nb_channels >= 1 && s->decoder->ch_layout.nb_channels <= 2) {
    av_channel_layout_default(&s->encoder->ch_layout, s->decoder->ch_layout.nb_channels);
  } else {
    av_channel_layout_default(&s->encoder->ch_layout, 2);
  }
  s->encoder->sample_fmt =
      encoder->sample_fmts != nullptr ? encoder->sample_fmts[0] : AV_SAMPLE_FMT_FLTP;
  s->encoder->bit_rate = kBitRate;
  s->encoder->time_base = AVRational{1, s->encoder->sample_rate};
  if (global_header) s->encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  rc = avcodec_open2(s->encoder, encoder, nullptr);
  if (rc < 0) return Failed(std::string("cannot open the ") + encoder->name + " encoder", rc);

  AVChannelLayout in_layout;
  if (s->decoder->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC ||
      s->decoder->ch_layout.nb_channels == 0) {
    av_channel_layout_default(&in_layout, std::max(1, s->decoder->ch_layout.nb_channels));
  } else {
    av_channel_layout_copy(&in_layout, &s->decoder->ch_layout);
  }
  rc = swr_alloc_set_opts2(&s->swr, &s->encoder->ch_layout, s->encoder->sample_fmt,
                           s->encoder->sample_rate, &in_layout, s->decoder->sample_fmt,
                           s->decoder->sample_rate, 0, nullptr);
  av_channel_layout_uninit(&in_layout);
  if (rc < 0 || (rc = swr_init(s->swr)) < 0) return Failed("cannot set up resampling", rc);
  s->fifo = av_audio_fifo_alloc(s->encoder->sample_fmt, s->encoder->ch_layout.nb_channels, 4096);
  s->decoded = av_frame_alloc();
  s->converted = av_frame_alloc();
  s->chunk = av_frame_alloc();
  s->packet = av_packet_alloc();
  if (s->fifo == nullptr || s->decoded == nullptr || s->converted == nullptr ||
      s->chunk == nullptr || s->packet == nullptr) {
    return Failed("out of memory", AVERROR(ENOMEM));
  }
  return std::unique_ptr<AudioTranscoder>(new AudioTranscoder(std::move(s)));
}

core::Status AudioTranscoder::Push(const AVPacket* packet, const Emit& emit) {
  State& s = *s_;
  int rc = avcodec_send_packet(s.decoder, packet);
  if (rc < 0 && rc != AVERROR_EOF) return Failed("the decoder refused a packet", rc);
  while (true) {
    rc = avcodec_receive_frame(s.decoder, s.decoded);
    if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) break;
    if (rc < 0) return Failed("the decoder failed", rc);
    if (s.next_pts == AV_NOPTS_VALUE) {
      // The first sample's time, so the audio keeps its place against the video.
      const int64_t ts = s.decoded->best_effort_timestamp;
      s.next_pts =
          ts == AV_NOPTS_VALUE ? 0 : av_rescale_q(ts, s.input_time_base, s.encoder->time_base);
    }
    const core::Status queued = s.Queue(s.decoded);
    av_frame_unref(s.decoded);
    FW_RETURN_IF_ERROR(queued);
    FW_RETURN_IF_ERROR(s.EncodeFifo(false, emit));
  }
  if (packet != nullptr) return core::Status::Ok();
  if (s.next_pts == AV_NOPTS_VALUE) s.next_pts = 0;
  FW_RETURN_IF_ERROR(s.Queue(nullptr));
  FW_RETURN_IF_ERROR(s.EncodeFifo(true, emit));
  return s.Encode(nullptr, emit);
}

}  // namespace fw::output
