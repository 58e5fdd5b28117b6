// Output files as other tools see them: ffprobe reads the frame count, size and rate that were
// written (file sinks, GStreamer pipelines, a recording made mid-stream), and ffmpeg decodes the
// pictures back close to the input.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>

#include "capture/source.h"
#include "output/gst_sink.h"
#include "output/recorder.h"
#include "output/sink.h"
#include "support/io_test_support.h"

namespace fw {
namespace {

class OutputFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!iotest::HaveProgram("ffprobe") || !iotest::HaveProgram("ffmpeg")) {
      GTEST_SKIP() << "ffprobe/ffmpeg not installed (Debian package ffmpeg)";
    }
  }
  iotest::TempDir dir_;
};

std::vector<cv::Mat> ReadAll(const std::string& spec) {
  std::vector<cv::Mat> frames;
  auto source = capture::OpenSource(spec);
  EXPECT_TRUE(source.ok()) << source.error().message;
  if (!source.ok()) return frames;
  core::Frame frame;
  while ((*source)->Read(frame) == capture::ReadState::kFrame) frames.push_back(frame.image);
  return frames;
}

// Writes `frames` through OpenSink(path) and finishes; fails the test on any error.
void WriteAll(const std::string& path, const std::vector<cv::Mat>& frames, double fps,
              bool still = false) {
  ASSERT_FALSE(frames.empty());
  auto sink = output::OpenSink(path, {frames[0].cols, frames[0].rows, fps, still});
  ASSERT_TRUE(sink.ok()) << sink.error().message;
  for (const cv::Mat& f : frames) ASSERT_TRUE((*sink)->Write(f).ok());
  const core::Status finished = (*sink)->Finish();
  ASSERT_TRUE(finished.ok()) << finished.error().message;
}

// The first frame of `path` decoded by ffmpeg to 8-bit BGR. swscale's accurate mode, so that
// the comparison measures the file, not the fast path's own rounding (about 1 level of bias).
cv::Mat DecodeFirstFrameWithFfmpeg(const std::string& path, cv::Size size) {
  const iotest::CommandResult r = iotest::RunCommand(
      "ffmpeg -v error -i '" + path +
      "' -frames:v 1 -sws_flags bilinear+accurate_rnd+full_chroma_int -f rawvideo "
      "-pix_fmt bgr24 -");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.size(), static_cast<size_t>(size.area()) * 3);
  if (r.out.size() != static_cast<size_t>(size.area()) * 3) return cv::Mat();
  return cv::Mat(size, CV_8UC3, const_cast<char*>(r.out.data())).clone();
}

std::vector<cv::Mat> AstronautCrops(cv::Size size, int count) {
  const cv::Mat astronaut = cv::imread(iotest::Asset("astronaut.png"), cv::IMREAD_COLOR);
  std::vector<cv::Mat> frames;
  for (int i = 0; i < count; ++i) frames.push_back(astronaut(cv::Rect(cv::Point(i, i), size)));
  return frames;
}

TEST_F(OutputFiles, Y4mOfTheSampleClipHasItsFrameCountSizeAndRate) {
  const std::string path = dir_.File("clip.y4m");
  WriteAll(path, ReadAll(iotest::Asset(iotest::kClip512)), 30.0);
  EXPECT_EQ(iotest::ProbeVideo(path), "512,512,30/1,120");
}

TEST_F(OutputFiles, Y4mKeepsOddSizesAndNtscRates) {
  const std::string path = dir_.File("odd.y4m");
  WriteAll(path, AstronautCrops(cv::Size(311, 203), 5), 30000.0 / 1001.0);
  EXPECT_EQ(iotest::ProbeVideo(path), "311,203,30000/1001,5");
}

// 4:2:0 halves the chroma resolution, so sharp colour edges differ; the picture as a whole
// must come back at 38 dB PSNR or better, a mean error under 1.75 levels and no channel
// shifted by more than 1 level on average (ffmpeg's own PNG -> y4m -> BGR round trip of this
// image: 39.7 dB, 1.36 levels).
TEST_F(OutputFiles, Y4mFrameDecodedByFfmpegMatchesTheInput) {
  for (const cv::Size size : {cv::Size(512, 512), cv::Size(311, 203)}) {
    const std::string path = dir_.File("still.y4m");
    const std::vector<cv::Mat> frames = AstronautCrops(size, 1);
    WriteAll(path, frames, 0.0, true);
    const cv::Mat decoded = DecodeFirstFrameWithFfmpeg(path, size);
    ASSERT_FALSE(decoded.empty());
    EXPECT_GE(cv::PSNR(decoded, frames[0]), 38.0) << size;
    EXPECT_LE(cv::norm(decoded, frames[0], cv::NORM_L1) / (size.area() * 3.0), 1.75) << size;
    cv::Mat difference;
    cv::subtract(decoded, frames[0], difference, cv::noArray(), CV_32F);
    const cv::Scalar bias = cv::mean(difference);
    for (int c = 0; c < 3; ++c) EXPECT_LE(std::abs(bias[c]), 1.0) << size << " channel " << c;
  }
}

// Planes written through WriteYuv: YUV4MPEG2 and a lossless H.264 file (crf 0) hold exactly
// the planes given (no colour conversion on the way); at an odd size, y4m keeps every sample
// and the video file its even top-left part, as it does for BGR frames.
TEST_F(OutputFiles, PlanesGoIntoY4mAndVideoFilesUnchanged) {
  for (const cv::Size size : {cv::Size(500, 500), cv::Size(311, 203)}) {
    std::vector<core::YuvImage> planes;
    for (const cv::Mat& bgr : AstronautCrops(size, 3)) {
      planes.emplace_back();
      ASSERT_TRUE(core::BgrToYuv(bgr, planes.back()).ok());
    }
    for (const char* name : {"planes.y4m", "planes.mp4"}) {
      const std::string path = dir_.File(name);
      output::StreamInfo info(size.width, size.height, 30.0);
      info.crf = 0;
      auto sink = output::OpenSink(path, info);
      ASSERT_TRUE(sink.ok()) << sink.error().message;
      for (const core::YuvImage& p : planes) ASSERT_TRUE((*sink)->WriteYuv(p).ok());
      ASSERT_TRUE((*sink)->Finish().ok());
      capture::SourceOptions options;
      options.planar = true;
      auto source = capture::OpenSource(path, options);
      ASSERT_TRUE(source.ok()) << source.error().message;
      core::Frame frame;
      size_t n = 0;
      while ((*source)->Read(frame) == capture::ReadState::kFrame) {
        ASSERT_LT(n, planes.size()) << name;
        const cv::Rect luma(cv::Point(), frame.yuv.y.size());
        const cv::Rect chroma(cv::Point(), frame.yuv.u.size());
        ASSERT_EQ(luma.width, std::string(name) == "planes.y4m" ? size.width : size.width & ~1);
        EXPECT_EQ(cv::norm(frame.yuv.y, planes[n].y(luma), cv::NORM_INF), 0.0) << name << size;
        EXPECT_EQ(cv::norm(frame.yuv.u, planes[n].u(chroma), cv::NORM_INF), 0.0) << name << size;
        EXPECT_EQ(cv::norm(frame.yuv.v, planes[n].v(chroma), cv::NORM_INF), 0.0) << name << size;
        ++n;
      }
      EXPECT_EQ(n, planes.size()) << name;
    }
  }
}

struct VideoCase {
  const char* extension;
  const char* codec;  // what ffprobe must report
};

class VideoOutput : public OutputFiles, public ::testing::WithParamInterface<VideoCase> {};

TEST_P(VideoOutput, SampleClipKeepsFrameCountSizeAndRate) {
  const std::string path = dir_.File(std::string("clip") + GetParam().extension);
  const std::vector<cv::Mat> input = ReadAll(iotest::Asset(iotest::kClip512));
  WriteAll(path, input, 30.0);
  EXPECT_EQ(iotest::ProbeVideo(path), "512,512,30/1,120");
  EXPECT_EQ(iotest::ProbeCodec(path), GetParam().codec);

  // Lossy, but the same picture: 30 dB PSNR on the first frame.
  const std::vector<cv::Mat> back = ReadAll(path);
  ASSERT_EQ(back.size(), input.size());
  EXPECT_GE(cv::PSNR(back[0], input[0]), 30.0);
}

TEST_P(VideoOutput, StillImageBecomesAOneFrameVideo) {
  const std::string path = dir_.File(std::string("still") + GetParam().extension);
  WriteAll(path, AstronautCrops(cv::Size(512, 512), 1), 0.0, true);
  EXPECT_EQ(iotest::ProbeVideo(path), "512,512,30/1,1");
}

// The sample clip's pictures with a 440 Hz sine as `codec` audio, made here by ffmpeg.
std::string ClipWithAudio(const iotest::TempDir& dir, const std::string& name,
                          const std::string& codec) {
  const std::string input = dir.File(name);
  const int rc = iotest::RunCommand("ffmpeg -v error -i '" + iotest::Asset(iotest::kClip512) +
                                    "' -f lavfi -i sine=frequency=440:sample_rate=48000 "
                                    "-shortest -c:v copy -c:a " +
                                    codec + " -t 4 '" + input + "'")
                     .exit_code;
  return rc == 0 ? input : "";
}

// Writes `input`'s frames to `path`, carrying its audio.
void TranscodeWithAudio(const std::string& input, const std::string& path) {
  const std::vector<cv::Mat> frames = ReadAll(input);
  ASSERT_EQ(frames.size(), 120u);
  output::StreamInfo info(512, 512, 30.0);
  info.audio_from = input;
  auto sink = output::OpenSink(path, info);
  ASSERT_TRUE(sink.ok()) << sink.error().message;
  for (const cv::Mat& f : frames) ASSERT_TRUE((*sink)->Write(f).ok());
  const core::Status finished = (*sink)->Finish();
  ASSERT_TRUE(finished.ok()) << finished.error().message;
}

std::string AudioCodec(const std::string& path) {
  return iotest::RunCommand(
             "ffprobe -v error -select_streams a:0 -show_entries stream=codec_name -of csv=p=0 '" +
             path + "'")
      .out;
}

// A stream's decoded length in seconds, as ffmpeg measures it.
double DecodedSeconds(const std::string& path, const char* stream) {
  const iotest::CommandResult r = iotest::RunCommand(
      "ffmpeg -v error -i '" + path + "' -map 0:" + stream +
      " -f null - -progress - 2>/dev/null | grep out_time_us= | tail -1 | cut -d= -f2");
  return std::atof(r.out.c_str()) * 1e-6;
}

TEST_P(VideoOutput, CarriesTheInputsAudioWithTheSameDuration) {
  const std::string input = ClipWithAudio(dir_, "with_audio.mp4", "aac");
  ASSERT_FALSE(input.empty());
  const std::string path = dir_.File(std::string("sound") + GetParam().extension);
  TranscodeWithAudio(input, path);
  EXPECT_EQ(AudioCodec(path), "aac\n") << "the AAC stream is copied, not re-encoded";
  // The audio ends with the video, within one audio frame (Motion JPEG in .avi: 1 frame).
  const double video_s = DecodedSeconds(path, "v:0");
  EXPECT_NEAR(video_s, 4.0, 0.04);
  EXPECT_NEAR(DecodedSeconds(path, "a:0"), video_s, 0.05);
}

// PCM cannot go into .mp4, Opus not into .avi: they are re-encoded, with the same length.
TEST_F(OutputFiles, AudioTheContainerCannotHoldIsReencoded) {
  struct Case {
    const char* codec;
    const char* input;
    const char* output;
    const char* expected;
  };
  for (const Case& c : {Case{"pcm_s16le", "pcm.mkv", "pcm.mp4", "aac\n"},
                        Case{"libopus", "opus.mkv", "opus.avi", "mp3\n"}}) {
    const std::string input = ClipWithAudio(dir_, c.input, c.codec);
    if (input.empty()) continue;  // this ffmpeg lacks the encoder to make the input
    const std::string path = dir_.File(c.output);
    TranscodeWithAudio(input, path);
    EXPECT_EQ(AudioCodec(path), c.expected) << c.output;
    EXPECT_NEAR(DecodedSeconds(path, "a:0"), DecodedSeconds(path, "v:0"), 0.05) << c.output;
  }
}

INSTANTIATE_TEST_SUITE_P(Containers, VideoOutput,
                         ::testing::Values(VideoCase{".mp4", "h264"}, VideoCase{".mkv", "h264"},
                                           VideoCase{".avi", "mjpeg"}),
                         [](const auto& test) { return std::string(test.param.extension + 1); });

TEST_F(OutputFiles, LowerCrfGivesALargerFileOfTheSamePicture) {
  const std::vector<cv::Mat> frames = AstronautCrops(cv::Size(256, 256), 10);
  std::vector<uintmax_t> sizes;
  for (int crf : {10, 40}) {
    const std::string path = dir_.File("crf" + std::to_string(crf) + ".mp4");
    output::StreamInfo info(256, 256, 30.0);
    info.crf = crf;
    auto sink = output::OpenSink(path, info);
    ASSERT_TRUE(sink.ok()) << sink.error().message;
    for (const cv::Mat& f : frames) ASSERT_TRUE((*sink)->Write(f).ok());
    ASSERT_TRUE((*sink)->Finish().ok());
    EXPECT_EQ(iotest::ProbeVideo(path), "256,256,30/1,10");
    sizes.push_back(std::filesystem::file_size(path));
  }
  EXPECT_GT(sizes[0], 3 * sizes[1]) << "crf 10: " << sizes[0] << " bytes, crf 40: " << sizes[1];
}

// Runs `child` in a forked process whose standard output is the write end of a new pipe;
// returns the read end. The child's return value is its exit status.
template <class Fn>
int ForkWithStdoutPipe(pid_t* pid, Fn child) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  std::fflush(stdout);
  *pid = fork();
  if (*pid == 0) {
    close(fds[0]);
    dup2(fds[1], STDOUT_FILENO);
    close(fds[1]);
    std::fflush(stdout);
    _exit(child());
  }
  close(fds[1]);
  return fds[0];
}

TEST_F(OutputFiles, StdoutStreamIsReadableY4m) {
  const std::vector<cv::Mat> frames = AstronautCrops(cv::Size(128, 96), 10);
  pid_t pid = 0;
  const int read_end = ForkWithStdoutPipe(&pid, [&] {
    auto sink = output::OpenSink("-", {128, 96, 30.0, false});
    if (!sink.ok()) return 2;
    for (const cv::Mat& f : frames) {
      if (!(*sink)->Write(f).ok()) return 3;
    }
    return (*sink)->Finish().ok() ? 0 : 4;
  });
  ASSERT_GE(read_end, 0);
  std::string stream;
  char buffer[1 << 16];
  for (ssize_t n; (n = read(read_end, buffer, sizeof(buffer))) > 0;) stream.append(buffer, n);
  close(read_end);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  iotest::WriteBytes(dir_.File("piped.y4m"), stream);
  EXPECT_EQ(iotest::ProbeVideo(dir_.File("piped.y4m")), "128,96,30/1,10");
}

TEST_F(OutputFiles, ClosedStdoutPipeEndsWithAClearErrorWhenSigpipeIsIgnored) {
  const cv::Mat frame = AstronautCrops(cv::Size(128, 96), 1)[0];
  pid_t pid = 0;
  const int read_end = ForkWithStdoutPipe(&pid, [&] {
    std::signal(SIGPIPE, SIG_IGN);  // as main() does
    usleep(100000);                 // let the parent close the reading end first
    const std::string expected = "cannot write to standard output: the reader closed the pipe";
    auto sink = output::OpenSink("-", {128, 96, 30.0, false});
    if (!sink.ok()) return sink.error().message == expected ? 0 : 2;
    for (int i = 0; i < 100; ++i) {
      const core::Status s = (*sink)->Write(frame);
      if (!s.ok()) return s.error().message == expected ? 0 : 3;
    }
    return 4;
  });
  ASSERT_GE(read_end, 0);
  close(read_end);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << "child killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

// The recording button: a file opened at frame 30 of the running clip and finished at frame 80.
TEST_F(OutputFiles, RecordingStartedAndStoppedMidStreamHoldsThoseFiftyFrames) {
  auto source = capture::OpenSource(iotest::Asset(iotest::kClip512));
  ASSERT_TRUE(source.ok()) << source.error().message;
  const output::StreamInfo info{512, 512, 30.0, false};
  output::Recorder recorder;
  std::string path;
  core::Frame frame;
  for (int index = 0; (*source)->Read(frame) == capture::ReadState::kFrame; ++index) {
    if (index == 30) {
      path = output::RecordingPath(dir_.path(), std::chrono::system_clock::now());
      ASSERT_TRUE(recorder.Start(path, info).ok());
    }
    if (index == 80) {
      const auto stopped = recorder.Stop();
      ASSERT_TRUE(stopped.ok()) << stopped.error().message;
      EXPECT_EQ(*stopped, path);
    }
    ASSERT_TRUE(recorder.Write(frame.image).ok()) << "frame " << index;
  }
  EXPECT_FALSE(recorder.recording());
  EXPECT_TRUE(std::regex_match(path, std::regex(".*/facewarp-[0-9]{8}-[0-9]{6}\\.mp4"))) << path;
  EXPECT_EQ(dir_.List().size(), 1u);
  EXPECT_EQ(iotest::ProbeVideo(path), "512,512,30/1,50");
  EXPECT_EQ(iotest::ProbeCodec(path), "h264");
}

class GstOutput : public OutputFiles {
 protected:
  void SetUp() override {
    OutputFiles::SetUp();
    if (IsSkipped()) return;
    if (!output::HaveGstreamer()) GTEST_SKIP() << "GStreamer does not initialise here";
  }
};

// Whether GStreamer can start `pipeline`: every element in it is installed.
bool GstCanRun(const std::string& pipeline) {
  return output::OpenGstSink(pipeline, {64, 48, 30.0, false}).ok();
}

TEST_F(GstOutput, PipelineToY4mIsReadByFfprobe) {
  if (!GstCanRun("appsrc ! videoconvert ! y4menc ! fakesink")) {
    GTEST_SKIP() << "appsrc, videoconvert or y4menc missing "
                    "(gstreamer1.0-plugins-base, gstreamer1.0-plugins-good)";
  }
  const std::string path = dir_.File("gst.y4m");
  WriteAll("gst:appsrc ! videoconvert ! y4menc ! filesink location=" + path,
           AstronautCrops(cv::Size(128, 96), 10), 30.0);
  EXPECT_EQ(iotest::ProbeVideo(path), "128,96,30/1,10");
}

// The README's example: an H.264 mp4 that browsers play (4:2:0, not High 4:4:4).
TEST_F(GstOutput, ReadmeX264ExampleDecodesAsYuv420p) {
  if (!output::HaveGstElement("x264enc") || !output::HaveGstElement("mp4mux")) {
    GTEST_SKIP() << "x264enc or mp4mux missing (gstreamer1.0-plugins-ugly, -good)";
  }
  const std::string path = dir_.File("x264.mp4");
  WriteAll("gst:x264enc ! mp4mux ! filesink location=" + path,
           AstronautCrops(cv::Size(128, 96), 10), 30.0);
  EXPECT_EQ(iotest::ProbeVideo(path), "128,96,30/1,10");
  const iotest::CommandResult r = iotest::RunCommand(
      "ffprobe -v error -select_streams v:0 -show_entries stream=pix_fmt -of csv=p=0 '" + path +
      "'");
  EXPECT_EQ(r.out, "yuv420p\n");
}

TEST_F(GstOutput, FilesinkWritesATemporaryThatOnlyFinishRenames) {
  const std::string path = dir_.File("stream.y4m");
  const std::vector<cv::Mat> frames = AstronautCrops(cv::Size(128, 96), 3);
  {
    auto sink = output::OpenSink("gst:y4menc ! filesink location=" + path, {128, 96, 30.0});
    ASSERT_TRUE(sink.ok()) << sink.error().message;
    for (const cv::Mat& f : frames) ASSERT_TRUE((*sink)->Write(f).ok());
    EXPECT_FALSE(std::filesystem::exists(path));
  }
  EXPECT_TRUE(dir_.List().empty()) << "an unfinished pipeline leaves nothing";
  WriteAll("gst:y4menc ! filesink location=" + path, frames, 30.0);
  EXPECT_EQ(dir_.List(), std::vector<std::string>{"stream.y4m"});
  EXPECT_EQ(iotest::ProbeVideo(path), "128,96,30/1,3");
}

TEST_F(GstOutput, TailGetsAnAppsrcInFrontAndWritesOneJpegPerFrame) {
  if (!GstCanRun("appsrc ! videoconvert ! jpegenc ! fakesink")) {
    GTEST_SKIP() << "appsrc, videoconvert or jpegenc missing "
                    "(gstreamer1.0-plugins-base, gstreamer1.0-plugins-good)";
  }
  const std::vector<cv::Mat> frames = AstronautCrops(cv::Size(128, 96), 5);
  // jpegenc takes I420 as it comes and JPEG is full range: the RGB caps make videoconvert
  // expand the limited-range frames first (README, "GStreamer").
  WriteAll(
      "gst:video/x-raw,format=RGB ! jpegenc ! multifilesink location=" + dir_.File("f%03d.jpg"),
      frames, 30.0);
  ASSERT_EQ(dir_.List(),
            (std::vector<std::string>{"f000.jpg", "f001.jpg", "f002.jpg", "f003.jpg", "f004.jpg"}));
  for (size_t i = 0; i < frames.size(); ++i) {
    const std::string path = dir_.File("f00" + std::to_string(i) + ".jpg");
    EXPECT_EQ(iotest::ProbeCodec(path), "mjpeg") << path;
    const cv::Mat back = cv::imread(path, cv::IMREAD_COLOR);
    ASSERT_EQ(back.size(), frames[i].size()) << path;
    EXPECT_GE(cv::PSNR(back, frames[i]), 30.0) << path;
  }
}

}  // namespace
}  // namespace fw
