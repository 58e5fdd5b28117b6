#include "core/preset.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace fw::core {
namespace {

namespace fs = std::filesystem;

class PresetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("facewarp_preset_test_" + std::to_string(::testing::UnitTest::GetInstance()
                                                         ->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
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
  ASSERT_TRUE(LoadPreset(Write("p.json", R"({"facewarp_preset":1,"params":{"thin":1.0}})"), p).ok());
  EXPECT_EQ(p.thin, 1.0);
  EXPECT_EQ(p.eyes, 0.3);
}

TEST_F(PresetTest, UnknownKeyIsAUsageErrorAndChangesNothing) {
  Params p = DefaultParams();
  const Status s = LoadPreset(
      Write("p.json", R"({"facewarp_preset":1,"params":{"thin":1.0,"chin":2}})"), p);
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

}  // namespace
}  // namespace fw::core
