// Choosing a hardware decoding device: the device types are tried in the order VAAPI, VDPAU,
// CUDA, only those the decoder supports, the first that opens wins, and "none available" is a
// clean outcome with a reason per type tried. Devices are simulated by the opener; the real
// opener is run too, which on a machine without a GPU (CI) finds none. A decode with
// HwDecode::kAuto equals one with kNone, frame for frame.
#include "capture/hw_decode.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "capture/source.h"
#include "support/io_test_support.h"

namespace fw::capture {
namespace {

// An opener that opens only `works` (none when empty) and records what it was asked for.
HwDeviceOpener Simulated(std::vector<std::string>& asked, const std::string& works = "") {
  return [&asked, works](const std::string& type) -> core::Result<HwDeviceHandle> {
    asked.push_back(type);
    if (type != works) return core::Error::Runtime("simulated: no " + type + " device");
    return HwDeviceHandle(new int(7), [](void* p) { delete static_cast<int*>(p); });
  };
}

TEST(HwDecode, ParsesAutoAndNoneAndNothingElse) {
  EXPECT_EQ(ParseHwDecode("auto"), HwDecode::kAuto);
  EXPECT_EQ(ParseHwDecode("none"), HwDecode::kNone);
  for (const char* bad : {"", "AUTO", "vaapi", "software", "none "}) {
    EXPECT_FALSE(ParseHwDecode(bad).has_value()) << bad;
  }
}

TEST(HwDecode, H264OffersDeviceTypesInTheOrderVaapiVdpauCuda) {
  const std::vector<std::string> types = HwDeviceTypesFor("h264");
  ASSERT_FALSE(types.empty()) << "Debian's libavcodec decodes H.264 on VAAPI, VDPAU and CUDA";
  const std::vector<std::string> order = {"vaapi", "vdpau", "cuda"};
  size_t last = 0;
  for (const std::string& type : types) {
    const auto at = std::find(order.begin(), order.end(), type);
    ASSERT_NE(at, order.end()) << type;
    const size_t rank = static_cast<size_t>(at - order.begin()) + 1;
    EXPECT_GT(rank, last) << type << " out of order";
    last = rank;
  }
}

TEST(HwDecode, WhenNoDeviceOpensNoneIsAvailableWithAReasonPerTypeTried) {
  std::vector<std::string> asked;
  const HwDeviceChoice choice = ChooseHwDevice("h264", Simulated(asked));
  EXPECT_FALSE(choice.available());
  EXPECT_TRUE(choice.type.empty());
  EXPECT_EQ(choice.device, nullptr);
  EXPECT_EQ(asked, HwDeviceTypesFor("h264"));
  for (const std::string& type : asked) {
    EXPECT_NE(choice.reason.find(type + ": simulated: no " + type), std::string::npos)
        << choice.reason;
  }
}

TEST(HwDecode, TheFirstDeviceThatOpensWinsAndLaterOnesAreNotTried) {
  const std::vector<std::string> types = HwDeviceTypesFor("h264");
  ASSERT_FALSE(types.empty());
  for (size_t i = 0; i < types.size(); ++i) {
    std::vector<std::string> asked;
    const HwDeviceChoice choice = ChooseHwDevice("h264", Simulated(asked, types[i]));
    ASSERT_TRUE(choice.available()) << types[i];
    EXPECT_EQ(choice.type, types[i]);
    EXPECT_GE(choice.pixel_format, 0) << "the decoder's hardware pixel format";
    EXPECT_TRUE(choice.reason.empty());
    EXPECT_EQ(asked, std::vector<std::string>(types.begin(), types.begin() + i + 1));
  }
}

TEST(HwDecode, ADecoderWithoutHardwareSupportOrAnUnknownOneTriesNothing) {
  for (const char* codec : {"rawvideo", "no-such-decoder"}) {
    std::vector<std::string> asked;
    const HwDeviceChoice choice = ChooseHwDevice(codec, Simulated(asked, "vaapi"));
    EXPECT_FALSE(choice.available()) << codec;
    EXPECT_TRUE(asked.empty()) << codec;
    EXPECT_NE(choice.reason.find("no hardware support"), std::string::npos) << choice.reason;
  }
}

TEST(HwDecode, TheRealOpenersReturnCleanlyAndAnUnknownTypeIsRefused) {
  // On this project's machines (no GPU, no /dev/dri) every type fails with a reason; where a
  // device exists the choice names it. Either way nothing crashes or throws.
  const HwDeviceChoice choice = ChooseHwDevice("h264");
  if (choice.available()) {
    const std::vector<std::string> types = HwDeviceTypesFor("h264");
    EXPECT_NE(std::find(types.begin(), types.end(), choice.type), types.end());
  } else {
    for (const std::string& type : HwDeviceTypesFor("h264")) {
      EXPECT_NE(choice.reason.find(type + ": "), std::string::npos) << choice.reason;
    }
  }
  EXPECT_FALSE(OpenHwDevice("no-such-device").ok());
}

TEST(HwDecode, AutoAndNoneDecodeTheSameFramesAndNameTheDecoder) {
  const std::string clip = iotest::Asset(iotest::kClip512);
  SourceOptions none;
  none.planar = true;
  none.hwdec = HwDecode::kNone;
  SourceOptions automatic = none;
  automatic.hwdec = HwDecode::kAuto;
  auto a = OpenSource(clip, automatic);
  auto n = OpenSource(clip, none);
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_EQ((*n)->info().decoder, "h264 (software)");
  // H.264 decoding is exact, so a hardware decoder's pictures equal software's too.
  if (!ChooseHwDevice("h264").available()) {
    EXPECT_EQ((*a)->info().decoder, "h264 (software)");
  }
  core::Frame fa;
  core::Frame fn;
  int frames = 0;
  for (;;) {
    const ReadState sa = (*a)->Read(fa);
    const ReadState sn = (*n)->Read(fn);
    ASSERT_EQ(sa, sn) << "frame " << frames;
    if (sa != ReadState::kFrame) break;
    ++frames;
    for (int p = 0; p < 3; ++p) {
      const cv::Mat& x = p == 0 ? fa.yuv.y : p == 1 ? fa.yuv.u : fa.yuv.v;
      const cv::Mat& y = p == 0 ? fn.yuv.y : p == 1 ? fn.yuv.u : fn.yuv.v;
      ASSERT_EQ(cv::norm(x, y, cv::NORM_INF), 0.0) << "frame " << frames << " plane " << p;
    }
  }
  EXPECT_EQ(frames, 120);
}

}  // namespace
}  // namespace fw::capture
