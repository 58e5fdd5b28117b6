// The remembered settings: a round trip through the file, and every way the file can be bad
// (damaged, empty, unreadable, from a newer facewarp, values out of range), which must give
// the defaults and one warning line, never a crash. Also where the file lives and the
// precedence of the command line.
#include "app/settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <cstdlib>

#include <filesystem>
#include <string>

#include "app/cli.h"
#include "support/io_test_support.h"

namespace fw::app {
namespace {

using ::testing::HasSubstr;

Settings Changed() {
  Settings s;
  s.camera_name = "HD Webcam";
  s.camera_path = "/dev/video2";
  s.camera_width = 640;
  s.camera_height = 480;
  s.camera_fps = 15;
  s.vcam_path = "/dev/video10";
  s.vcam_width = 640;
  s.vcam_height = 360;
  s.vcam_format = "i420";
  s.vcam_fps = 25;
  s.params.thin = 2.5;
  s.params.eyes = 0.4;
  s.params.detect_every = 5;
  s.effect_on = false;
  s.split_view = true;
  s.split = 0.3f;
  s.show_landmarks = true;
  s.show_warp_regions = true;
  s.show_panel = false;
  s.panel_layout = "[Window][facewarp]\nPos=0,0\nSize=420,900\n";
  return s;
}

void ExpectSame(const Settings& a, const Settings& b) {
  EXPECT_EQ(a.camera_name, b.camera_name);
  EXPECT_EQ(a.camera_path, b.camera_path);
  EXPECT_EQ(a.camera_width, b.camera_width);
  EXPECT_EQ(a.camera_height, b.camera_height);
  EXPECT_EQ(a.camera_fps, b.camera_fps);
  EXPECT_EQ(a.vcam_path, b.vcam_path);
  EXPECT_EQ(a.vcam_width, b.vcam_width);
  EXPECT_EQ(a.vcam_height, b.vcam_height);
  EXPECT_EQ(a.vcam_format, b.vcam_format);
  EXPECT_EQ(a.vcam_fps, b.vcam_fps);
  EXPECT_TRUE(core::SameValues(a.params, b.params));
  EXPECT_EQ(a.effect_on, b.effect_on);
  EXPECT_EQ(a.split_view, b.split_view);
  EXPECT_FLOAT_EQ(a.split, b.split);
  EXPECT_EQ(a.show_landmarks, b.show_landmarks);
  EXPECT_EQ(a.show_warp_regions, b.show_warp_regions);
  EXPECT_EQ(a.show_panel, b.show_panel);
  EXPECT_EQ(a.panel_layout, b.panel_layout);
}

TEST(Settings, SurviveARoundTripThroughTheFile) {
  iotest::TempDir dir;
  const std::string path = dir.File("facewarp/settings.json");  // the directory is created
  ASSERT_TRUE(SaveSettings(path, Changed()).ok());
  const LoadedSettings loaded = LoadSettings(path);
  EXPECT_EQ(loaded.warning, "");
  ExpectSame(loaded.settings, Changed());
  // Written atomically: nothing but the file is left in the directory.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.File("facewarp")),
                          std::filesystem::directory_iterator()),
            1);
}

TEST(Settings, AMissingFileGivesTheDefaultsSilently) {
  iotest::TempDir dir;
  const LoadedSettings loaded = LoadSettings(dir.File("settings.json"));
  EXPECT_EQ(loaded.warning, "");
  EXPECT_TRUE(loaded.may_save);
  ExpectSame(loaded.settings, Settings{});
}

struct BadFile {
  const char* name;
  std::string contents;
  const char* reason;
  bool may_save;
};

class BadSettingsFile : public ::testing::TestWithParam<BadFile> {};

TEST_P(BadSettingsFile, GivesTheDefaultsAndOneWarningLine) {
  iotest::TempDir dir;
  const std::string path = dir.File("settings.json");
  iotest::WriteBytes(path, GetParam().contents);
  const LoadedSettings loaded = LoadSettings(path);
  ExpectSame(loaded.settings, Settings{});
  EXPECT_THAT(loaded.warning, HasSubstr("facewarp: warning: ignoring the settings in " + path));
  EXPECT_THAT(loaded.warning, HasSubstr(GetParam().reason));
  EXPECT_THAT(loaded.warning, HasSubstr("using the defaults"));
  EXPECT_EQ(loaded.warning.find('\n'), std::string::npos);
  EXPECT_EQ(loaded.may_save, GetParam().may_save);
}

INSTANTIATE_TEST_SUITE_P(
    Files, BadSettingsFile,
    ::testing::Values(
        BadFile{"Empty", "", "the file is empty", true},
        BadFile{"Blank", " \n", "the file is empty", true},
        BadFile{"Truncated", R"({"facewarp_settings": 1, "params": {"thin": 2)", "not valid JSON",
                true},
        BadFile{"Binary", std::string("\x00\xff\x10garbage", 10), "not valid JSON", true},
        BadFile{"OtherJson", R"({"facewarp_preset": 1, "params": {}})",
                "not a facewarp settings file", true},
        BadFile{"Array", "[1, 2, 3]", "not a facewarp settings file", true},
        // A newer facewarp's file is kept for it, not overwritten.
        BadFile{"FutureVersion", R"({"facewarp_settings": 99, "params": {"thin": 2}})",
                "written by a newer facewarp (version 99)", false}),
    [](const auto& test_info) { return std::string(test_info.param.name); });

TEST(Settings, AnUnreadableFileGivesTheDefaultsAndIsNotReplaced) {
  iotest::TempDir dir;
  const std::string path = dir.File("settings.json");
  std::filesystem::create_directory(path);  // unreadable as a file, even for root
  const LoadedSettings loaded = LoadSettings(path);
  ExpectSame(loaded.settings, Settings{});
  EXPECT_THAT(loaded.warning, HasSubstr("cannot read it"));
  EXPECT_FALSE(loaded.may_save);
}

TEST(Settings, KeepTheDefaultForEachValueOutOfRangeOrOfTheWrongType) {
  auto parsed = SettingsFromJson(R"({"facewarp_settings": 1,
      "params": {"thin": 99, "eyes": "big", "eye_radius": 1.75, "unknown_key": 3},
      "view": {"split": 7, "landmarks": true},
      "virtual_camera": {"width": 641, "height": 480, "format": "rgb", "fps": 0},
      "camera": {"width": -5, "height": 480, "fps": 30}})");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  const core::Params defaults = core::DefaultParams();
  EXPECT_EQ(parsed->params.thin, defaults.thin);
  EXPECT_EQ(parsed->params.eyes, defaults.eyes);
  EXPECT_EQ(parsed->params.eye_radius, 1.75);
  EXPECT_FLOAT_EQ(parsed->split, 0.5f);
  EXPECT_TRUE(parsed->show_landmarks);
  EXPECT_EQ(parsed->vcam_width, 1280);
  EXPECT_EQ(parsed->vcam_format, "yuyv");
  EXPECT_EQ(parsed->vcam_fps, 30.0);
  EXPECT_EQ(parsed->camera_width, 0);
}

TEST(Settings, LiveInTheXdgConfigDirectoryOrUnderHome) {
  const char* old_xdg = std::getenv("XDG_CONFIG_HOME");
  const char* old_home = std::getenv("HOME");
  const std::string saved_xdg = old_xdg ? old_xdg : "";
  const std::string saved_home = old_home ? old_home : "";
  setenv("XDG_CONFIG_HOME", "/tmp/xdg", 1);
  setenv("HOME", "/home/someone", 1);
  EXPECT_EQ(SettingsPath(), "/tmp/xdg/facewarp/settings.json");
  setenv("XDG_CONFIG_HOME", "relative/ignored", 1);
  EXPECT_EQ(SettingsPath(), "/home/someone/.config/facewarp/settings.json");
  unsetenv("XDG_CONFIG_HOME");
  EXPECT_EQ(SettingsPath(), "/home/someone/.config/facewarp/settings.json");
  unsetenv("HOME");
  EXPECT_EQ(SettingsPath(), "");
  if (old_xdg) setenv("XDG_CONFIG_HOME", saved_xdg.c_str(), 1);
  if (old_home) setenv("HOME", saved_home.c_str(), 1);
}

TEST(Settings, TheCommandLineWinsOverTheRememberedParameters) {
  core::Params remembered = core::DefaultParams();
  remembered.thin = 2.5;
  remembered.eyes = 0.4;
  // --set of the default value still wins over the remembered one.
  auto params = PreviewParams(remembered, "", {"eyes=0.2"});
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(params->thin, 2.5);
  EXPECT_EQ(params->eyes, 0.2);
  EXPECT_FALSE(PreviewParams(remembered, "", {"thin=42"}).ok());
}

TEST(Settings, NoConfigIsACommandLineFlag) {
  const char* with[] = {"facewarp", "--no-config"};
  const char* without[] = {"facewarp"};
  EXPECT_TRUE(ParseCommandLine(2, with).value().options.no_config);
  EXPECT_FALSE(ParseCommandLine(1, without).value().options.no_config);
}

}  // namespace
}  // namespace fw::app
