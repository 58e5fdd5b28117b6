// Re-encoding an audio stream that a container cannot hold as it is (PCM into .mp4, Opus into
// .avi): decoded, resampled to the encoder's sample format, cut into the encoder's frame size
// and encoded (AAC, MP3). An instance is used from one thread.
#pragma once

#include <functional>
#include <memory>

#include "core/result.h"

struct AVCodec;
struct AVCodecContext;
struct AVCodecParameters;
struct AVPacket;
struct AVRational;

namespace fw::output {

class AudioTranscoder {
 public:
  // `input` describes the source stream; `encoder` the codec to produce. `global_header` for
  // containers that keep codec headers out of band (.mp4, .mkv).
  static core::Result<std::unique_ptr<AudioTranscoder>> Open(const AVCodecParameters* input,
                                                             AVRational input_time_base,
                                                             const AVCodec* encoder,
                                                             bool global_header);
  ~AudioTranscoder();
  AudioTranscoder(const AudioTranscoder&) = delete;
  AudioTranscoder& operator=(const AudioTranscoder&) = delete;

  // The encoder, for the output stream's parameters and time base (1 / sample rate).
  const AVCodecContext* encoder() const;

  // Decodes `packet` (nullptr: the end, flushes everything) and hands every encoded packet,
  // timed in the encoder's time base, to `emit` (which must unreference it).
  using Emit = std::function<core::Status(AVPacket*)>;
  core::Status Push(const AVPacket* packet, const Emit& emit);

 private:
  struct State;
  explicit AudioTranscoder(std::unique_ptr<State> state);
  std::unique_ptr<State> s_;
};

}  // namespace fw::output
