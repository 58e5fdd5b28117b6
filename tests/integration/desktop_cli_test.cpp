// The desktop side of the command line, end to end: --list-cameras on this machine, a camera
// name that matches nothing, and file runs that stay independent of the remembered settings
// of the live preview (so that scripts keep their defaults).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "capture/camera_list.h"
#include "core/params.h"
#include "support/io_test_support.h"

namespace fw {
namespace {

using iotest::Asset;
using iotest::TempDir;
using ::testing::HasSubstr;

using RunResult = iotest::ShellRun;

// Runs facewarp in `dir` with XDG_CONFIG_HOME=dir/config.
RunResult Facewarp(const TempDir& dir, const std::string& args) {
  return iotest::RunFacewarpShell(dir, args, "XDG_CONFIG_HOME='" + dir.File("config") + "' ");
}

TEST(DesktopCommandLine, ListCamerasNamesEveryCameraOrSaysThereIsNoneAndExitsZero) {
  TempDir dir;
  const RunResult run = Facewarp(dir, "--list-cameras");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_TRUE(run.err_lines.empty());
  const auto cameras = capture::ListCameras();
  if (cameras.empty()) {
    EXPECT_EQ(run.out.rfind("facewarp: no camera found", 0), 0u) << run.out;
  }
  for (const auto& camera : cameras) EXPECT_THAT(run.out, HasSubstr(camera.path));
}

TEST(DesktopCommandLine, AnInputThatIsNeitherAFileNorACameraNameFailsInOneLine) {
  TempDir dir;
  const RunResult run = Facewarp(dir, "--headless --input 'No Such Webcam' --output out.png");
  EXPECT_EQ(run.exit_code, 1);
  ASSERT_EQ(run.err_lines.size(), 1u);
  EXPECT_THAT(run.err_lines[0], HasSubstr("facewarp: error: cannot open input No Such Webcam"));
}

TEST(DesktopCommandLine, FileRunsIgnoreTheRememberedSettingsOfThePreview) {
  TempDir dir;
  const std::string photo = "--input '" + Asset("astronaut.png") + "' --backend cpu --output ";
  ASSERT_EQ(Facewarp(dir, photo + "defaults.png").exit_code, 0);

  std::filesystem::create_directories(dir.File("config/facewarp"));
  const std::string settings = dir.File("config/facewarp/settings.json");
  const std::string remembered = R"({"facewarp_settings": 1, "params": {"thin": 3, "eyes": 0.6}})";
  iotest::WriteBytes(settings, remembered);
  const RunResult with_settings = Facewarp(dir, photo + "with_settings.png");
  ASSERT_EQ(with_settings.exit_code, 0);
  EXPECT_TRUE(with_settings.err_lines.empty());
  EXPECT_EQ(iotest::ReadBytes(dir.File("with_settings.png")),
            iotest::ReadBytes(dir.File("defaults.png")));
  EXPECT_EQ(iotest::ReadBytes(settings), remembered);  // not rewritten by a file run

  iotest::WriteBytes(settings, "{ damaged");
  const RunResult damaged = Facewarp(dir, photo + "damaged.png");
  ASSERT_EQ(damaged.exit_code, 0);
  EXPECT_TRUE(damaged.err_lines.empty()) << damaged.err_lines[0];
  EXPECT_EQ(iotest::ReadBytes(dir.File("damaged.png")),
            iotest::ReadBytes(dir.File("defaults.png")));
}

bool HaveDisplay() {
  const char* display = std::getenv("DISPLAY");
  return display != nullptr && *display != '\0';
}

// The live preview on a photo for one frame (--frames 1 closes it), then its settings file.
class PreviewSettings : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveDisplay()) GTEST_SKIP() << "no display: run under xvfb-run";
    std::filesystem::create_directories(dir_.File("config/facewarp"));
  }
  RunResult Preview(const std::string& args = "") {
    return Facewarp(dir_, "--input '" + Asset("astronaut.png") + "' --frames 1 " + args);
  }
  std::string Path() const { return dir_.File("config/facewarp/settings.json"); }
  nlohmann::json Saved() const { return nlohmann::json::parse(iotest::ReadBytes(Path())); }

  TempDir dir_;
};

TEST_F(PreviewSettings, AreWrittenOnCloseAndTheNextRunStartsFromThem) {
  const RunResult first = Preview("--set thin=2.2");
  ASSERT_EQ(first.exit_code, 0) << (first.err_lines.empty() ? "" : first.err_lines[0]);
  EXPECT_TRUE(first.err_lines.empty());
  EXPECT_EQ(Saved()["facewarp_settings"], 1);
  EXPECT_EQ(Saved()["params"]["thin"], 2.2);
  EXPECT_FALSE(Saved()["panel_layout"].get<std::string>().empty());
  // The remembered thin stays; the command line's eyes wins over the remembered default.
  ASSERT_EQ(Preview("--set eyes=0.5").exit_code, 0);
  EXPECT_EQ(Saved()["params"]["thin"], 2.2);
  EXPECT_EQ(Saved()["params"]["eyes"], 0.5);
}

TEST_F(PreviewSettings, ADamagedFileGivesOneWarningLineAndIsReplaced) {
  iotest::WriteBytes(Path(), "{\"facewarp_settings\": 1, \"params\": {\"thin\": ");
  const RunResult run = Preview();
  ASSERT_EQ(run.exit_code, 0);
  ASSERT_EQ(run.err_lines.size(), 1u);
  EXPECT_THAT(run.err_lines[0], HasSubstr("facewarp: warning: ignoring the settings in"));
  EXPECT_THAT(run.err_lines[0], HasSubstr("not valid JSON"));
  EXPECT_EQ(Saved()["params"]["thin"], core::DefaultParams().thin);
}

TEST_F(PreviewSettings, AFileFromANewerFacewarpIsLeftAsItIs) {
  const std::string future = R"({"facewarp_settings": 7, "params": {"thin": 2}})";
  iotest::WriteBytes(Path(), future);
  const RunResult run = Preview();
  ASSERT_EQ(run.exit_code, 0);
  ASSERT_EQ(run.err_lines.size(), 1u);
  EXPECT_THAT(run.err_lines[0], HasSubstr("newer facewarp (version 7)"));
  EXPECT_EQ(iotest::ReadBytes(Path()), future);
}

TEST_F(PreviewSettings, NoConfigNeitherReadsNorWritesThem) {
  iotest::WriteBytes(Path(), "{ damaged");
  const RunResult run = Preview("--no-config");
  ASSERT_EQ(run.exit_code, 0);
  EXPECT_TRUE(run.err_lines.empty());
  EXPECT_EQ(iotest::ReadBytes(Path()), "{ damaged");
}

}  // namespace
}  // namespace fw
