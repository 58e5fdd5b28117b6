// The virtual camera sink against a fake V4L2 device: the ioctls it issues, the frames it
// writes (size, content, fitting), its pacing, and every refusal. The real device layer is
// checked only where no kernel module is needed (a regular file, /dev/null, a missing path).
#include "output/v4l2_sink.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/videodev2.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/yuv_image.h"
#include "output/color_convert.h"
#include "output/sink_spec.h"
#include "support/fake_v4l2_device.h"
#include "support/io_test_support.h"
#include "support/yuv_reference.h"

namespace fw::output {
namespace {

using iotest::FakeV4l2Config;
using iotest::FakeV4l2Device;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kDevice[] = "/dev/video10";

CameraOptions Options(int width, int height, CameraPixelFormat format = CameraPixelFormat::kYuyv,
                      double fps = 100.0, FitMode fit = FitMode::kLetterbox) {
  CameraOptions o;
  o.width = width;
  o.height = height;
  o.format = format;
  o.fps = fps;
  o.fit = fit;
  return o;
}

cv::Mat Image(const char* name, const cv::Rect& crop) {
  const cv::Mat image = cv::imread(iotest::Asset(name), cv::IMREAD_COLOR);
  EXPECT_FALSE(image.empty()) << name;
  return image(crop).clone();
}

cv::Mat Astronaut(cv::Size size) { return Image("astronaut.png", cv::Rect(cv::Point(0, 0), size)); }

std::vector<uint8_t> Yuyv(const cv::Mat& bgr) {
  std::vector<uint8_t> out;
  EXPECT_TRUE(BgrToYuyv(bgr, out).ok());
  return out;
}

bool IsBlackYuyv(const std::vector<uint8_t>& frame) {
  for (size_t i = 0; i < frame.size(); ++i) {
    if (frame[i] != (i % 2 == 0 ? 16 : 128)) return false;
  }
  return true;
}

bool IsBlackI420(const std::vector<uint8_t>& frame) {
  const size_t y_size = frame.size() * 2 / 3;
  for (size_t i = 0; i < frame.size(); ++i) {
    if (frame[i] != (i < y_size ? 16 : 128)) return false;
  }
  return true;
}

bool IsPicture(const std::vector<uint8_t>& frame) {
  return !IsBlackYuyv(frame) && !IsBlackI420(frame);
}

struct Opened {
  std::shared_ptr<FakeV4l2Device> device;
  std::unique_ptr<Sink> sink;
};

Opened OpenFake(const CameraOptions& options, FakeV4l2Config config = {}) {
  auto device = std::make_shared<FakeV4l2Device>(std::move(config));
  auto sink = OpenV4l2Sink(kDevice, options, device);
  EXPECT_TRUE(sink.ok()) << sink.error().message;
  return {device, sink.ok() ? std::move(sink).value() : nullptr};
}

// The error of a refused open; checks that it is one line and that nothing is left open.
core::Error OpenFails(FakeV4l2Config config, const CameraOptions& options = Options(64, 48)) {
  auto device = std::make_shared<FakeV4l2Device>(std::move(config));
  auto sink = OpenV4l2Sink(kDevice, options, device);
  EXPECT_FALSE(sink.ok());
  if (sink.ok()) return {};
  EXPECT_EQ(device->opens(), device->closes()) << "the device was left open";
  EXPECT_EQ(sink.error().message.find('\n'), std::string::npos) << sink.error().message;
  return sink.error();
}

// The first frame written that is not black, after `bgr` was handed over.
std::vector<uint8_t> FirstPictureAfterWriting(const Opened& opened, const cv::Mat& bgr) {
  EXPECT_TRUE(opened.sink->Write(bgr).ok());
  const int i = opened.device->WaitForFrameWhere(IsPicture);
  EXPECT_GE(i, 0) << "no picture was written";
  return i >= 0 ? opened.device->frame(static_cast<size_t>(i)) : std::vector<uint8_t>();
}

TEST(V4l2Sink, QueriesCapabilitiesThenSetsTheFormatThenTheFrameRate) {
  const Opened opened = OpenFake(Options(64, 48));
  ASSERT_TRUE(opened.sink);
  EXPECT_THAT(opened.device->ioctls(), ElementsAre(static_cast<unsigned long>(VIDIOC_QUERYCAP),
                                                   static_cast<unsigned long>(VIDIOC_S_FMT),
                                                   static_cast<unsigned long>(VIDIOC_S_PARM)));
  EXPECT_EQ(opened.device->open_flags() & O_ACCMODE, O_WRONLY);
  EXPECT_NE(opened.device->open_flags() & O_NONBLOCK, 0);
}

TEST(V4l2Sink, AsksForYuyv1280x720At30FpsByDefault) {
  const auto spec = ParseSinkSpec("v4l2:/dev/video10");
  ASSERT_TRUE(spec.ok());
  const Opened opened = OpenFake(spec->camera);
  ASSERT_TRUE(opened.sink);
  const auto fmt = opened.device->requested_format();
  ASSERT_TRUE(fmt.has_value());
  EXPECT_EQ(fmt->type, V4L2_BUF_TYPE_VIDEO_OUTPUT);
  EXPECT_EQ(fmt->fmt.pix.pixelformat, static_cast<uint32_t>(V4L2_PIX_FMT_YUYV));
  EXPECT_EQ(fmt->fmt.pix.width, 1280u);
  EXPECT_EQ(fmt->fmt.pix.height, 720u);
  EXPECT_EQ(fmt->fmt.pix.field, static_cast<uint32_t>(V4L2_FIELD_NONE));
  EXPECT_EQ(fmt->fmt.pix.bytesperline, 1280u * 2);
  EXPECT_EQ(fmt->fmt.pix.sizeimage, 1280u * 720 * 2);
  EXPECT_EQ(fmt->fmt.pix.colorspace, static_cast<uint32_t>(V4L2_COLORSPACE_SMPTE170M));
  const auto parm = opened.device->parm();
  ASSERT_TRUE(parm.has_value());
  EXPECT_EQ(parm->type, V4L2_BUF_TYPE_VIDEO_OUTPUT);
  EXPECT_EQ(parm->parm.output.timeperframe.numerator, 1u);
  EXPECT_EQ(parm->parm.output.timeperframe.denominator, 30u);
}

TEST(V4l2Sink, AsksForI420AtTheSizeAndRateTheSpecGives) {
  const auto spec = ParseSinkSpec("v4l2:/dev/video10?size=640x360&format=i420&fps=29.97");
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  const Opened opened = OpenFake(spec->camera);
  ASSERT_TRUE(opened.sink);
  const auto fmt = opened.device->requested_format();
  ASSERT_TRUE(fmt.has_value());
  EXPECT_EQ(fmt->fmt.pix.pixelformat, static_cast<uint32_t>(V4L2_PIX_FMT_YUV420));
  EXPECT_EQ(fmt->fmt.pix.width, 640u);
  EXPECT_EQ(fmt->fmt.pix.height, 360u);
  EXPECT_EQ(fmt->fmt.pix.bytesperline, 640u);
  EXPECT_EQ(fmt->fmt.pix.sizeimage, 640u * 360 * 3 / 2);
  const auto parm = opened.device->parm();
  ASSERT_TRUE(parm.has_value());
  EXPECT_EQ(parm->parm.output.timeperframe.numerator, 1001u);
  EXPECT_EQ(parm->parm.output.timeperframe.denominator, 30000u);
}

TEST(V4l2Sink, WritesYuyvFramesOfWidthTimesHeightTimesTwoBytes) {
  const Opened opened = OpenFake(Options(64, 48));
  ASSERT_TRUE(opened.sink);
  ASSERT_TRUE(opened.sink->Write(Astronaut({64, 48})).ok());
  ASSERT_TRUE(opened.device->WaitForFrames(5));
  ASSERT_TRUE(opened.sink->Finish().ok());
  for (const auto& frame : opened.device->frames()) EXPECT_EQ(frame.size(), 64u * 48 * 2);
}

TEST(V4l2Sink, WritesI420FramesOfWidthTimesHeightTimesThreeHalvesBytes) {
  const Opened opened = OpenFake(Options(64, 48, CameraPixelFormat::kI420));
  ASSERT_TRUE(opened.sink);
  ASSERT_TRUE(opened.sink->Write(Astronaut({64, 48})).ok());
  ASSERT_TRUE(opened.device->WaitForFrames(5));
  ASSERT_TRUE(opened.sink->Finish().ok());
  for (const auto& frame : opened.device->frames()) EXPECT_EQ(frame.size(), 64u * 48 * 3 / 2);
}

TEST(V4l2Sink, SendsBlackUntilTheFirstFrame) {
  for (const CameraPixelFormat format : {CameraPixelFormat::kYuyv, CameraPixelFormat::kI420}) {
    const Opened opened = OpenFake(Options(64, 48, format));
    ASSERT_TRUE(opened.sink);
    ASSERT_TRUE(opened.device->WaitForFrames(3));
    for (const auto& frame : opened.device->frames()) {
      EXPECT_TRUE(format == CameraPixelFormat::kYuyv ? IsBlackYuyv(frame) : IsBlackI420(frame));
    }
  }
}

TEST(V4l2Sink, YuyvFrameMatchesAReferenceConversionWithinOneLevel) {
  const cv::Mat image = Image("group3.jpg", cv::Rect(600, 300, 640, 360));
  const Opened opened = OpenFake(Options(640, 360));
  ASSERT_TRUE(opened.sink);
  const std::vector<uint8_t> frame = FirstPictureAfterWriting(opened, image);
  ASSERT_EQ(frame.size(), 640u * 360 * 2);
  EXPECT_LE(iotest::MaxDifference(frame.data(), iotest::ReferenceYuyv(image)), 1);
}

TEST(V4l2Sink, I420FrameIsTheSameConversionAsTheY4mOutput) {
  const cv::Mat image = Image("group3.jpg", cv::Rect(600, 300, 640, 360));
  const Opened opened = OpenFake(Options(640, 360, CameraPixelFormat::kI420));
  ASSERT_TRUE(opened.sink);
  std::vector<uint8_t> expected;
  ASSERT_TRUE(BgrToI420(image, expected).ok());
  EXPECT_EQ(FirstPictureAfterWriting(opened, image), expected);
}

// Planes of the device's size: I420 goes out as the planes themselves, YUYV with the planes'
// luma and each chroma sample on both of its rows; other sizes are fitted as BGR frames are.
TEST(V4l2Sink, PlanesGoOutWithoutAColourConversion) {
  const cv::Mat image = Image("group3.jpg", cv::Rect(600, 300, 640, 360));
  core::YuvImage yuv;
  ASSERT_TRUE(core::BgrToYuv(image, yuv).ok());
  {
    const Opened opened = OpenFake(Options(640, 360, CameraPixelFormat::kI420));
    ASSERT_TRUE(opened.sink);
    ASSERT_TRUE(opened.sink->WriteYuv(yuv).ok());
    const int i = opened.device->WaitForFrameWhere(IsPicture);
    ASSERT_GE(i, 0);
    std::vector<uint8_t> expected;
    ASSERT_TRUE(BgrToI420(image, expected).ok());  // the same conversion as BgrToYuv's
    EXPECT_EQ(opened.device->frame(static_cast<size_t>(i)), expected);
  }
  {
    const Opened opened = OpenFake(Options(640, 360));
    ASSERT_TRUE(opened.sink);
    ASSERT_TRUE(opened.sink->WriteYuv(yuv).ok());
    const int i = opened.device->WaitForFrameWhere(IsPicture);
    ASSERT_GE(i, 0);
    const std::vector<uint8_t> frame = opened.device->frame(static_cast<size_t>(i));
    ASSERT_EQ(frame.size(), 640u * 360 * 2);
    for (int y = 0; y < 360; y += 7) {
      for (int x = 0; x < 640; x += 2) {
        const uint8_t* p = frame.data() + (static_cast<size_t>(y) * 640 + x) * 2;
        ASSERT_EQ(p[0], yuv.y.at<uint8_t>(y, x));
        ASSERT_EQ(p[2], yuv.y.at<uint8_t>(y, x + 1));
        ASSERT_EQ(p[1], yuv.u.at<uint8_t>(y / 2, x / 2));
        ASSERT_EQ(p[3], yuv.v.at<uint8_t>(y / 2, x / 2));
      }
    }
  }
  {
    const Opened opened = OpenFake(Options(320, 180));
    ASSERT_TRUE(opened.sink);
    ASSERT_TRUE(opened.sink->WriteYuv(yuv).ok());
    const int i = opened.device->WaitForFrameWhere(IsPicture);
    ASSERT_GE(i, 0);
    EXPECT_EQ(opened.device->frame(static_cast<size_t>(i)).size(), 320u * 180 * 2);
  }
}

TEST(V4l2Sink, LetterboxKeepsTheWholePictureBetweenBlackBars) {
  const cv::Mat square = Astronaut({512, 512});
  const Opened opened = OpenFake(Options(640, 360));
  ASSERT_TRUE(opened.sink);
  const std::vector<uint8_t> frame = FirstPictureAfterWriting(opened, square);
  ASSERT_EQ(frame.size(), 640u * 360 * 2);

  // 512x512 shrunk to 360x360, centred: columns 140..499 hold the picture.
  cv::Mat expected(360, 640, CV_8UC3, cv::Scalar::all(0));
  cv::Mat picture;
  cv::resize(square, picture, {360, 360}, 0.0, 0.0, cv::INTER_AREA);
  picture.copyTo(expected(cv::Rect(140, 0, 360, 360)));
  EXPECT_EQ(frame, Yuyv(expected));
  for (int r = 0; r < 360; ++r) {
    for (int c : {0, 138, 500, 638}) {  // pixel pairs in both bars
      const size_t i = (static_cast<size_t>(r) * 640 + c) * 2;
      ASSERT_EQ(frame[i], 16) << r << "," << c;
      ASSERT_EQ(frame[i + 1], 128) << r << "," << c;
      ASSERT_EQ(frame[i + 2], 16) << r << "," << c;
      ASSERT_EQ(frame[i + 3], 128) << r << "," << c;
    }
  }
}

TEST(V4l2Sink, CropFillsTheFrameWithTheCentreOfThePicture) {
  const cv::Mat square = Astronaut({512, 512});
  const Opened opened =
      OpenFake(Options(640, 360, CameraPixelFormat::kYuyv, 100.0, FitMode::kCrop));
  ASSERT_TRUE(opened.sink);
  const std::vector<uint8_t> frame = FirstPictureAfterWriting(opened, square);

  // The 16:9 band of the square, rows 112..399, enlarged to 640x360.
  cv::Mat expected;
  cv::resize(square(cv::Rect(0, 112, 512, 288)), expected, {640, 360}, 0.0, 0.0, cv::INTER_LINEAR);
  EXPECT_EQ(frame, Yuyv(expected));
}

TEST(V4l2Sink, RepeatsTheLastFrameWhileNoNewFrameComes) {
  const cv::Mat image = Astronaut({64, 48});
  const Opened opened = OpenFake(Options(64, 48, CameraPixelFormat::kYuyv, 100.0));
  ASSERT_TRUE(opened.sink);
  ASSERT_TRUE(opened.sink->Write(image).ok());
  const int first = opened.device->WaitForFrameWhere(IsPicture);
  ASSERT_GE(first, 0);
  ASSERT_TRUE(opened.device->WaitForFrames(static_cast<size_t>(first) + 10));
  const auto frames = opened.device->frames();
  EXPECT_EQ(frames[first], Yuyv(image));
  for (size_t i = static_cast<size_t>(first); i < frames.size(); ++i) {
    EXPECT_EQ(frames[i], frames[first]) << "write " << i;
  }
  EXPECT_EQ(opened.sink->dropped(), 0);
}

// Write k follows write j by at least (k - j - 1) ticks: a late tick may be caught up, but
// missed ticks are never written in a burst.
TEST(V4l2Sink, NeverWritesFasterThanTheOutputRate) {
  const Opened opened = OpenFake(Options(64, 48, CameraPixelFormat::kYuyv, 100.0));
  ASSERT_TRUE(opened.sink);
  ASSERT_TRUE(opened.device->WaitForFrames(20));
  ASSERT_TRUE(opened.sink->Finish().ok());
  const auto times = opened.device->write_times();
  ASSERT_GE(times.size(), 20u);
  const auto span = times.back() - times.front();
  EXPECT_GE(span, std::chrono::milliseconds(10) * static_cast<int>(times.size() - 2));
}

TEST(V4l2Sink, KeepsOnlyTheNewestFrameAndCountsTheReplacedOnesAsDropped) {
  // 2 fps: the first tick (black) comes at open, the next 500 ms later.
  const Opened opened = OpenFake(Options(64, 48, CameraPixelFormat::kYuyv, 2.0));
  ASSERT_TRUE(opened.sink);
  ASSERT_TRUE(opened.device->WaitForFrames(1));
  std::vector<cv::Mat> frames;
  for (int i = 0; i < 5; ++i) {
    frames.emplace_back(48, 64, CV_8UC3, cv::Scalar(40 * i, 200 - 30 * i, 100));
    ASSERT_TRUE(opened.sink->Write(frames.back()).ok());
  }
  EXPECT_EQ(opened.sink->dropped(), 4);
  const int written = opened.device->WaitForFrameWhere(IsPicture);
  ASSERT_GE(written, 0);
  EXPECT_EQ(opened.device->frame(static_cast<size_t>(written)), Yuyv(frames.back()));
}

TEST(V4l2Sink, AWriteFailureIsReturnedByTheNextWriteAndByFinish) {
  const Opened opened = OpenFake(Options(64, 48));
  ASSERT_TRUE(opened.sink);
  ASSERT_TRUE(opened.device->WaitForFrames(1));
  opened.device->FailWrites(ENODEV);
  const cv::Mat image = Astronaut({64, 48});
  core::Status status = core::Status::Ok();
  for (int i = 0; i < 1000 && status.ok(); ++i) {
    status = opened.sink->Write(image);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.error().message, StartsWith("cannot write to virtual camera /dev/video10: "));
  EXPECT_THAT(status.error().message, HasSubstr("v4l2loopback unloaded"));
  EXPECT_FALSE(opened.sink->Finish().ok());
}

TEST(V4l2Sink, FinishStopsWritingAndClosesTheDevice) {
  const Opened opened = OpenFake(Options(64, 48));
  ASSERT_TRUE(opened.sink);
  ASSERT_TRUE(opened.device->WaitForFrames(3));
  ASSERT_TRUE(opened.sink->Finish().ok());
  EXPECT_FALSE(opened.device->is_open());
  EXPECT_EQ(opened.device->closes(), 1);
  const size_t written = opened.device->frame_count();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(opened.device->frame_count(), written);
  EXPECT_FALSE(opened.sink->Write(Astronaut({64, 48})).ok());
}

TEST(V4l2Sink, DestroyedWithoutFinishClosesTheDevice) {
  Opened opened = OpenFake(Options(64, 48));
  ASSERT_TRUE(opened.sink);
  ASSERT_TRUE(opened.sink->Write(Astronaut({64, 48})).ok());
  opened.sink.reset();
  EXPECT_FALSE(opened.device->is_open());
  EXPECT_EQ(opened.device->closes(), 1);
}

TEST(V4l2SinkOpen, MissingPathIsRefusedWithTheModprobeLine) {
  FakeV4l2Config config;
  config.stat_errno = ENOENT;
  const core::Error e = OpenFails(config);
  EXPECT_EQ(e.kind, core::ErrorKind::kRuntime);
  EXPECT_THAT(e.message, StartsWith("cannot open virtual camera /dev/video10: no such device"));
  EXPECT_THAT(e.message, HasSubstr("sudo modprobe v4l2loopback"));
  EXPECT_THAT(e.message, HasSubstr("exclusive_caps=1"));
}

TEST(V4l2SinkOpen, RegularFileIsNotAV4l2Device) {
  FakeV4l2Config config;
  config.mode = S_IFREG | 0644;
  EXPECT_THAT(OpenFails(config).message, HasSubstr("/dev/video10 is not a V4L2 device"));
}

TEST(V4l2SinkOpen, CharacterDeviceThatFailsQuerycapIsNotAV4l2Device) {
  FakeV4l2Config config;
  config.querycap_errno = ENOTTY;
  EXPECT_THAT(OpenFails(config).message, HasSubstr("is not a V4L2 device"));
}

TEST(V4l2SinkOpen, CaptureOnlyCameraIsRefused) {
  FakeV4l2Config config;
  config.driver = "uvcvideo";
  config.device_caps = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_STREAMING;
  const core::Error e = OpenFails(config);
  EXPECT_THAT(e.message, HasSubstr("is a capture-only camera (driver 'uvcvideo')"));
  EXPECT_THAT(e.message, HasSubstr("modprobe v4l2loopback"));
}

TEST(V4l2SinkOpen, LoopbackThatAnotherWriterHoldsIsBusy) {
  // v4l2loopback with exclusive_caps=1 shows capture only while a writer is attached.
  FakeV4l2Config config;
  config.device_caps = V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_READWRITE | V4L2_CAP_STREAMING;
  EXPECT_THAT(OpenFails(config).message,
              HasSubstr("/dev/video10 is busy: another program is writing to it"));
}

TEST(V4l2SinkOpen, EbusyOnOpenIsBusy) {
  FakeV4l2Config config;
  config.open_errno = EBUSY;
  EXPECT_THAT(OpenFails(config).message,
              HasSubstr("/dev/video10 is busy: another program is writing to it"));
}

TEST(V4l2SinkOpen, EbusyOnSetFormatIsBusy) {
  FakeV4l2Config config;
  config.s_fmt_errno = EBUSY;
  EXPECT_THAT(OpenFails(config).message,
              HasSubstr("/dev/video10 is busy: another program is writing to it"));
}

TEST(V4l2SinkOpen, PermissionDeniedNamesTheVideoGroup) {
  FakeV4l2Config config;
  config.open_errno = EACCES;
  EXPECT_THAT(OpenFails(config).message, HasSubstr("'video' group"));
}

TEST(V4l2SinkOpen, OutputWithoutWriteSupportIsRefused) {
  FakeV4l2Config config;
  config.driver = "some-m2m";
  config.device_caps = V4L2_CAP_VIDEO_OUTPUT | V4L2_CAP_STREAMING;
  EXPECT_THAT(OpenFails(config).message, HasSubstr("does not take frames through write()"));
}

TEST(V4l2SinkOpen, OddSizeIsAUsageErrorBeforeTheDeviceIsTouched) {
  for (const cv::Size size : {cv::Size(1279, 720), cv::Size(1280, 719)}) {
    auto device = std::make_shared<FakeV4l2Device>();
    const auto sink = OpenV4l2Sink(kDevice, Options(size.width, size.height), device);
    ASSERT_FALSE(sink.ok()) << size;
    EXPECT_EQ(sink.error().kind, core::ErrorKind::kUsage);
    EXPECT_THAT(sink.error().message, HasSubstr("must be even"));
    EXPECT_EQ(device->open_calls(), 0);
  }
}

TEST(V4l2SinkOpen, DriverThatChangesTheSizeIsRefusedNamingTheSizeItHolds) {
  FakeV4l2Config config;
  config.adjust_format = [](v4l2_pix_format& pix) {
    pix.width = 640;
    pix.height = 480;
    pix.bytesperline = 640 * 2;
    pix.sizeimage = 640 * 480 * 2;
  };
  const core::Error e = OpenFails(config, Options(1280, 720));
  EXPECT_EQ(e.kind, core::ErrorKind::kRuntime);
  EXPECT_THAT(e.message, HasSubstr("the driver gave 640x480 YUYV for the requested 1280x720 YUYV"));
  EXPECT_THAT(e.message, HasSubstr("?size=640x480&format=yuyv"));
}

TEST(V4l2SinkOpen, DriverThatChangesThePixelFormatIsRefused) {
  FakeV4l2Config config;
  config.adjust_format = [](v4l2_pix_format& pix) { pix.pixelformat = V4L2_PIX_FMT_RGB24; };
  EXPECT_THAT(OpenFails(config).message, HasSubstr("gave 64x48 RGB3 for the requested 64x48 YUYV"));
}

TEST(V4l2SinkOpen, DriverThatPadsRowsIsRefused) {
  FakeV4l2Config config;
  config.adjust_format = [](v4l2_pix_format& pix) {
    pix.bytesperline = 256;
    pix.sizeimage = 256 * 48;
  };
  EXPECT_THAT(OpenFails(config).message, HasSubstr("256 bytes per row"));
}

TEST(V4l2SinkOpen, DriverThatRoundsTheFrameSizeUpToWholePagesIsAccepted) {
  // v4l2loopback page-aligns sizeimage: 1280x720 I420 is 1382400 bytes, 1384448 in pages.
  FakeV4l2Config config;
  config.adjust_format = [](v4l2_pix_format& pix) { pix.sizeimage = 1384448; };
  const Opened opened = OpenFake(Options(1280, 720, CameraPixelFormat::kI420), config);
  ASSERT_TRUE(opened.sink);
  ASSERT_TRUE(opened.device->WaitForFrames(1));
  EXPECT_EQ(opened.device->frame(0).size(), 1280u * 720 * 3 / 2);
}

TEST(V4l2SinkOpen, RefusedFrameRateIsNotAnError) {
  FakeV4l2Config config;
  config.s_parm_errno = ENOTTY;
  const Opened opened = OpenFake(Options(64, 48), config);
  ASSERT_TRUE(opened.sink);
  EXPECT_TRUE(opened.device->WaitForFrames(2));
}

TEST(V4l2SinkOnThisMachine, RegularFileThroughOpenSinkIsRefusedWithOneClearLine) {
  iotest::TempDir dir;
  iotest::WriteBytes(dir.File("video10"), "not a device");
  const auto sink = OpenSink("v4l2:" + dir.File("video10"), {512, 512, 30.0, false});
  ASSERT_FALSE(sink.ok());
  EXPECT_EQ(sink.error().kind, core::ErrorKind::kRuntime);
  EXPECT_EQ(sink.error().message, "cannot open virtual camera " + dir.File("video10") + ": " +
                                      dir.File("video10") +
                                      " is not a V4L2 device (a v4l2loopback device such as "
                                      "/dev/video10 is needed)");
  EXPECT_EQ(iotest::ReadBytes(dir.File("video10")), "not a device");
}

TEST(V4l2SinkOnThisMachine, MissingDeviceSaysToLoadV4l2loopback) {
  iotest::TempDir dir;
  const auto sink = OpenSink("v4l2:" + dir.File("video99"), {512, 512, 30.0, false});
  ASSERT_FALSE(sink.ok());
  EXPECT_THAT(sink.error().message, HasSubstr("no such device; load v4l2loopback first"));
  EXPECT_THAT(sink.error().message, Not(HasSubstr("\n")));
}

TEST(V4l2SinkOnThisMachine, DevNullIsNotAV4l2Device) {
  const auto sink = OpenSink("v4l2:/dev/null", {512, 512, 30.0, false});
  ASSERT_FALSE(sink.ok());
  EXPECT_THAT(sink.error().message, HasSubstr("/dev/null is not a V4L2 device"));
}

}  // namespace
}  // namespace fw::output
