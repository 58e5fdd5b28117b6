// The desktop side of the command line, end to end: --list-cameras on this machine, a camera
// name that matches nothing, and file runs that stay independent of the remembered settings
// of the live preview (so that scripts keep their defaults).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "capture/camera_list.h"
#include "support/io_test_support.h"

namespace fw {
namespace {

using ::testing::HasSubstr;
using iotest::Asset;
using iotest::TempDir;

std::string Binary() {
  const char* env = std::getenv("FACEWARP_BINARY");
  return env != nullptr && *env != '\0' ? env : FACEWARP_BINARY_PATH;
}

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::vector<std::string> err_lines;
};

// Runs facewarp in `dir` with XDG_CONFIG_HOME=dir/config.
RunResult Facewarp(const TempDir& dir, const std::string& args) {
  const std::string err = dir.File("stderr.txt");
  const iotest::CommandResult r =
      iotest::RunCommand("cd '" + dir.path() + "' && XDG_CONFIG_HOME='" + dir.File("config") +
                         "' '" + Binary() + "' " + args + " 2> '" + err + "'");
  RunResult run;
  run.exit_code = r.exit_code;
  run.out = r.out;
  std::istringstream lines(iotest::ReadBytes(err));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) run.err_lines.push_back(line);
  }
  return run;
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
  const std::string remembered =
      R"({"facewarp_settings": 1, "params": {"thin": 3, "eyes": 0.6}})";
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

}  // namespace
}  // namespace fw
