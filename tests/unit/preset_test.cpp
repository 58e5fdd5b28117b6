#include "core/preset.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fw::core {
namespace {

namespace fs = std::filesystem;

class PresetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("facewarp_preset_test_" +
            std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }
  fs::path dir_;
};

TEST_F(PresetTest, SavedPresetLoadsBackToTheSameValues) {
  Params p = DefaultParams();
  p.thin = 2.25;
  p.eyes = 0.125;
  p.smooth_beta = 0.5;
  const std::string path = (dir_ / "look.json").string();
  ASSERT_TRUE(SavePreset(path, p).ok());
  Params loaded = DefaultParams();
  ASSERT_TRUE(LoadPreset(path, loaded).ok());
  for (const ParamSpec& spec : ParamTable()) EXPECT_EQ(Get(loaded, spec), Get(p, spec));
}

TEST_F(PresetTest, SavingLeavesNoTemporaryFileBehind) {
  ASSERT_TRUE(SavePreset((dir_ / "a.json").string(), DefaultParams()).ok());
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    ++files;
    EXPECT_EQ(entry.path().filename(), "a.json");
  }
  EXPECT_EQ(files, 1);
}

TEST_F(PresetTest, KeysLeftOutKeepTheirCurrentValue) {
  Params p = DefaultParams();
  p.eyes = 0.3;
  ASSERT_TRUE(
      LoadPreset(Write("p.json", R"({"facewarp_preset":1,"params":{"thin":1.0}})"), p).ok());
  EXPECT_EQ(p.thin, 1.0);
  EXPECT_EQ(p.eyes, 0.3);
}

TEST_F(PresetTest, UnknownKeyIsAUsageErrorAndChangesNothing) {
  Params p = DefaultParams();
  const Status s =
      LoadPreset(Write("p.json", R"({"facewarp_preset":1,"params":{"thin":1.0,"chin":2}})"), p);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().ExitCode(), 2);
  EXPECT_NE(s.error().message.find("chin"), std::string::npos);
  EXPECT_EQ(p.thin, DefaultParams().thin);
}

TEST_F(PresetTest, OutOfRangeAndNonNumericValuesAreRejected) {
  Params p = DefaultParams();
  EXPECT_FALSE(LoadPreset(Write("a.json", R"({"params":{"eyes":5}})"), p).ok());
  EXPECT_FALSE(LoadPreset(Write("b.json", R"({"params":{"eyes":"big"}})"), p).ok());
}

TEST_F(PresetTest, MissingAndCorruptFilesAreRuntimeErrorsNamingTheFile) {
  Params p = DefaultParams();
  const Status missing = LoadPreset((dir_ / "nope.json").string(), p);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().ExitCode(), 1);
  EXPECT_NE(missing.error().message.find("nope.json"), std::string::npos);
  const Status corrupt = LoadPreset(Write("bad.json", "{\"params\": {\"thin\": 1"), p);
  ASSERT_FALSE(corrupt.ok());
  EXPECT_NE(corrupt.error().message.find("bad.json"), std::string::npos);
}

TEST_F(PresetTest, ShippedPresetsAreListedByName) {
  const std::vector<std::string> names = ListPresetNames();
  for (const char* name : {"classic", "natural", "strong", "subtle", "v-line"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
}

TEST_F(PresetTest, EveryShippedPresetLoadsByNameAndByPath) {
  for (const std::string& name : ListPresetNames()) {
    Params by_name = DefaultParams();
    const Status s = LoadPreset(name, by_name);
    ASSERT_TRUE(s.ok()) << name << ": " << s.error().message;
    Params by_path = DefaultParams();
    const std::string path = std::string(FACEWARP_SOURCE_DIR) + "/presets/" + name + ".json";
    ASSERT_TRUE(LoadPreset(path, by_path).ok()) << path;
    EXPECT_TRUE(SameValues(by_name, by_path)) << name;
  }
}

TEST_F(PresetTest, NaturalIsTheDefaultsAndClassicIsTheSeedWarp) {
  Params natural = DefaultParams();
  natural.slim = 0.0;
  natural.thin = 2.0;
  ASSERT_TRUE(LoadPreset("natural", natural).ok());
  EXPECT_TRUE(SameValues(natural, DefaultParams()));
  Params classic = DefaultParams();
  classic.nose_width = 0.5;
  ASSERT_TRUE(LoadPreset("classic", classic).ok());
  EXPECT_EQ(classic.thin, 1.0);
  EXPECT_EQ(classic.thin_radius, 1.0);
  EXPECT_EQ(classic.eyes, 0.0);
  EXPECT_EQ(classic.slim, 0.0);
  EXPECT_EQ(classic.nose_width, 0.0);  // every shape control set, not left as it was
}

TEST_F(PresetTest, AnUnknownNameIsAUsageErrorListingTheNames) {
  Params p = DefaultParams();
  const Status s = LoadPreset("glamorous", p);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().ExitCode(), 2);
  EXPECT_NE(s.error().message.find("glamorous"), std::string::npos);
  EXPECT_NE(s.error().message.find("v-line"), std::string::npos);
  EXPECT_TRUE(SameValues(p, DefaultParams()));
}

TEST_F(PresetTest, ThePresetDirectoryVariableComesFirst) {
  Write("natural.json", R"({"facewarp_preset":1,"params":{"slim":0.25}})");
  Write("mine.json", R"({"facewarp_preset":1,"params":{"eyes":0.5}})");
  Write("broken.json", R"({"facewarp_preset":1,"params":{"slimness":1}})");
  ASSERT_EQ(setenv("FACEWARP_PRESET_DIR", dir_.c_str(), 1), 0);
  Params p = DefaultParams();
  EXPECT_TRUE(LoadPreset("natural", p).ok());
  EXPECT_EQ(p.slim, 0.25);
  EXPECT_TRUE(LoadPreset("mine", p).ok());
  EXPECT_EQ(p.eyes, 0.5);
  const Status broken = LoadPreset("broken", p);  // an unknown key is refused by name too
  EXPECT_FALSE(broken.ok());
  EXPECT_NE(broken.error().message.find("slimness"), std::string::npos);
  const std::vector<std::string> names = ListPresetNames();
  EXPECT_NE(std::find(names.begin(), names.end(), "mine"), names.end());
  unsetenv("FACEWARP_PRESET_DIR");
}

}  // namespace
}  // namespace fw::core
