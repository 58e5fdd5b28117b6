// The enumeration of cameras and virtual cameras against the fake V4L2 layer: capabilities,
// card labels, busy and forbidden devices, pixel formats, sizes and frame rates; and the
// listing of /dev/videoN nodes in a real directory.
#include "output/v4l2_devices.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/videodev2.h>

#include <string>
#include <vector>

#include "capture/camera_list.h"
#include "support/fake_v4l2_device.h"
#include "support/io_test_support.h"

namespace fw::output {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::string> Paths(const std::vector<V4l2NodeInfo>& nodes) {
  std::vector<std::string> paths;
  for (const V4l2NodeInfo& node : nodes) paths.push_back(node.path);
  return paths;
}

TEST(ListVideoNodes, ListsOnlyVideoNodesInNumericOrder) {
  iotest::TempDir dir;
  for (const char* name : {"video10", "video2", "video0", "videox", "media0", "video"}) {
    iotest::WriteBytes(dir.File(name), "");
  }
  EXPECT_THAT(ListVideoNodes(dir.path()),
              ElementsAre(dir.File("video0"), dir.File("video2"), dir.File("video10")));
}

TEST(ListVideoNodes, IsEmptyForAMissingDirectory) {
  EXPECT_TRUE(ListVideoNodes("/nonexistent-facewarp-dir").empty());
}

TEST(QueryV4l2Node, ReadsTheCameraFormatsSizesAndRates) {
  iotest::FakeV4l2Bus bus;
  bus.Add("/dev/video0", iotest::FakeCamera("HD Webcam"));
  const V4l2NodeInfo node = QueryV4l2Node(bus, "/dev/video0");
  EXPECT_EQ(node.card, "HD Webcam");
  EXPECT_EQ(node.driver, "uvcvideo");
  EXPECT_EQ(node.index, 0);
  EXPECT_TRUE(node.capture);
  EXPECT_FALSE(node.output);
  EXPECT_TRUE(node.problem.empty());
  ASSERT_EQ(node.formats.size(), 2u);
  EXPECT_EQ(node.formats[0].name, "YUYV");
  EXPECT_EQ(node.formats[0].description, "YUYV 4:2:2");
  ASSERT_EQ(node.formats[0].sizes.size(), 2u);
  EXPECT_EQ(node.formats[0].sizes[0].width, 1280);  // largest first
  EXPECT_THAT(node.formats[0].sizes[0].fps, ElementsAre(10.0));
  EXPECT_THAT(node.formats[0].sizes[1].fps, ElementsAre(30.0, 15.0));
  EXPECT_EQ(node.formats[1].name, "MJPG");
  ASSERT_EQ(node.formats[1].sizes.size(), 3u);
  EXPECT_EQ(node.formats[1].sizes[0].width, 1920);
  EXPECT_THAT(node.formats[1].sizes[1].fps, ElementsAre(60.0, 30.0));
  // Queried read-only, and every descriptor closed again.
  EXPECT_THAT(bus.open_flags(), ElementsAre(O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  EXPECT_EQ(bus.open_count(), 0u);
}

TEST(QueryV4l2Node, TurnsAStepwiseRangeIntoTheCommonSizesThatFit) {
  iotest::FakeV4l2Bus bus;
  iotest::FakeV4l2Node node = iotest::FakeCamera("Range Cam");
  node.formats = {{V4L2_PIX_FMT_YUYV, "YUYV", {{1280, 720, {30}, /*stepwise=*/true}}}};
  bus.Add("/dev/video3", node);
  const V4l2NodeInfo info = QueryV4l2Node(bus, "/dev/video3");
  ASSERT_EQ(info.formats.size(), 1u);
  std::vector<std::string> sizes;
  for (const auto& s : info.formats[0].sizes) {
    sizes.push_back(std::to_string(s.width) + "x" + std::to_string(s.height));
  }
  EXPECT_THAT(sizes, ElementsAre("1280x720", "640x480"));
}

TEST(QueryV4l2Node, ReportsBusyAndForbiddenDevicesInsteadOfFailing) {
  iotest::FakeV4l2Bus bus;
  iotest::FakeV4l2Node busy = iotest::FakeCamera("Busy Cam");
  busy.open_errno = EBUSY;
  iotest::FakeV4l2Node forbidden = iotest::FakeCamera("Locked Cam");
  forbidden.open_errno = EACCES;
  bus.Add("/dev/video0", busy);
  bus.Add("/dev/video1", forbidden);
  EXPECT_THAT(QueryV4l2Node(bus, "/dev/video0").problem, HasSubstr("busy"));
  EXPECT_THAT(QueryV4l2Node(bus, "/dev/video1").problem, HasSubstr("video group"));
}

TEST(QueryV4l2Nodes, SortsCamerasFromLoopbackOutputsAndSkipsOtherNodes) {
  iotest::FakeV4l2Bus bus;
  bus.Add("/dev/video0", iotest::FakeCamera("HD Webcam"));
  iotest::FakeV4l2Node metadata = iotest::FakeCamera("HD Webcam");
  metadata.device_caps = V4L2_CAP_META_CAPTURE;  // the second node of every UVC camera
  bus.Add("/dev/video1", metadata);
  bus.Add("/dev/video10", iotest::FakeLoopback("facewarp"));
  bus.Add("/dev/video11", iotest::FakeLoopback("OBS Virtual Camera", /*being_written=*/true));
  iotest::FakeV4l2Node not_a_device;
  not_a_device.mode = S_IFREG | 0644;
  bus.Add("/dev/video12", not_a_device);
  const std::vector<std::string> paths = {"/dev/video0",  "/dev/video1",  "/dev/video10",
                                          "/dev/video11", "/dev/video12", "/dev/video13"};
  const std::vector<V4l2NodeInfo> nodes = QueryV4l2Nodes(bus, paths);
  EXPECT_THAT(Paths(nodes), ElementsAre("/dev/video0", "/dev/video10", "/dev/video11"));

  // A loopback device another program writes to reports capture: a camera for other apps,
  // and a busy virtual camera for us.
  EXPECT_THAT(Paths(CameraNodes(nodes)), ElementsAre("/dev/video0", "/dev/video11"));
  const std::vector<V4l2NodeInfo> outputs = OutputNodes(nodes);
  ASSERT_THAT(Paths(outputs), ElementsAre("/dev/video10", "/dev/video11"));
  EXPECT_EQ(outputs[0].card, "facewarp");
  EXPECT_TRUE(outputs[0].loopback);
  EXPECT_TRUE(outputs[0].problem.empty());
  EXPECT_TRUE(outputs[0].formats.empty());
  EXPECT_THAT(outputs[1].problem, HasSubstr("another program is writing"));
  EXPECT_EQ(bus.open_count(), 0u);
}

TEST(QueryV4l2Nodes, FindsNoOutputWhenNoLoopbackDeviceIsLoaded) {
  iotest::FakeV4l2Bus bus;
  bus.Add("/dev/video0", iotest::FakeCamera("HD Webcam"));
  EXPECT_TRUE(OutputNodes(QueryV4l2Nodes(bus, {"/dev/video0"})).empty());
  EXPECT_TRUE(QueryV4l2Nodes(bus, {}).empty());
}

TEST(CameraList, ListsEveryCameraWithItsFormatsSizesAndRates) {
  iotest::TempDir dir;
  iotest::FakeV4l2Bus bus;
  iotest::WriteBytes(dir.File("video0"), "");
  iotest::WriteBytes(dir.File("video10"), "");
  bus.Add(dir.File("video0"), iotest::FakeCamera("HD Webcam"));
  bus.Add(dir.File("video10"), iotest::FakeLoopback("facewarp"));
  const auto cameras = capture::ListCameras(bus, dir.path());
  ASSERT_EQ(cameras.size(), 1u);
  const std::string text = capture::CameraListText(cameras);
  EXPECT_THAT(text, HasSubstr(dir.File("video0") + "  \"HD Webcam\"  (uvcvideo)  --input 0"));
  EXPECT_THAT(text, HasSubstr("YUYV (YUYV 4:2:2): 1280x720 @ 10 fps, 640x480 @ 30/15 fps"));
  EXPECT_THAT(text, HasSubstr("MJPG (Motion-JPEG): 1920x1080 @ 30 fps, 1280x720 @ 60/30 fps"));
  EXPECT_THAT(text, Not(HasSubstr("facewarp\"")));
}

TEST(CameraList, SaysNoCameraFoundWhenThereIsNone) {
  EXPECT_THAT(capture::CameraListText({}), HasSubstr("no camera found"));
}

TEST(CameraList, MergesTheModesOfAllFormats) {
  iotest::FakeV4l2Bus bus;
  bus.Add("/dev/video0", iotest::FakeCamera("HD Webcam"));
  const auto modes = capture::CameraModes(QueryV4l2Node(bus, "/dev/video0"));
  std::vector<std::string> labels;
  for (const auto& m : modes) labels.push_back(m.label);
  EXPECT_THAT(labels, ElementsAre("1920x1080 @ 30 fps (MJPG)", "1280x720 @ 60 fps (MJPG)",
                                  "1280x720 @ 30 fps (MJPG)", "1280x720 @ 10 fps (YUYV)",
                                  "640x480 @ 30 fps (YUYV, MJPG)", "640x480 @ 15 fps (YUYV)"));
}

TEST(CameraList, FindsACameraByExactOrPartialNameIgnoringCase) {
  iotest::FakeV4l2Bus bus;
  bus.Add("/dev/video0", iotest::FakeCamera("HD Webcam C270"));
  bus.Add("/dev/video2", iotest::FakeCamera("Integrated Camera"));
  bus.Add("/dev/video4", iotest::FakeCamera("Integrated Camera IR"));
  const auto cameras = CameraNodes(QueryV4l2Nodes(bus, {"/dev/video0", "/dev/video2",
                                                        "/dev/video4"}));
  EXPECT_EQ(capture::FindCameraByName(cameras, "hd webcam c270").value(), "/dev/video0");
  EXPECT_EQ(capture::FindCameraByName(cameras, "C270").value(), "/dev/video0");
  // An exact name wins over the longer name that contains it.
  EXPECT_EQ(capture::FindCameraByName(cameras, "Integrated Camera").value(), "/dev/video2");
  const auto ambiguous = capture::FindCameraByName(cameras, "integrated");
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_EQ(ambiguous.error().ExitCode(), 2);
  EXPECT_THAT(ambiguous.error().message, HasSubstr("several cameras"));
  const auto missing = capture::FindCameraByName(cameras, "Logitech");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message, HasSubstr("--list-cameras"));
}

}  // namespace
}  // namespace fw::output
