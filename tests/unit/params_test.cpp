#include "core/params.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <set>
#include <string>

namespace fw::core {
namespace {

TEST(ParamTable, HasTheKeysScriptsRelyOn) {
  for (const char* key :
       {"thin", "thin_radius", "eyes", "eye_radius", "smooth_min_cutoff", "smooth_beta"}) {
    EXPECT_NE(FindParam(key), nullptr) << key;
  }
}

TEST(ParamTable, KeysAreUniqueAndDefaultsLieInTheirRange) {
  std::set<std::string> keys;
  for (const ParamSpec& spec : ParamTable()) {
    EXPECT_TRUE(keys.insert(std::string(spec.key)).second) << spec.key;
    EXPECT_LT(spec.min, spec.max) << spec.key;
    EXPECT_GE(spec.def, spec.min) << spec.key;
    EXPECT_LE(spec.def, spec.max) << spec.key;
    EXPECT_FALSE(spec.label.empty()) << spec.key;
    EXPECT_FALSE(spec.help.empty()) << spec.key;
  }
}

TEST(ParamTable, DefaultParamsTakeEveryDefaultFromTheTable) {
  const Params p = DefaultParams();
  for (const ParamSpec& spec : ParamTable()) EXPECT_EQ(Get(p, spec), spec.def) << spec.key;
}

TEST(ParamTable, SetFromStringAppliesAValidValue) {
  Params p = DefaultParams();
  ASSERT_TRUE(SetFromString(p, "thin=1.5").ok());
  EXPECT_DOUBLE_EQ(p.thin, 1.5);
  ASSERT_TRUE(SetFromString(p, "eyes=0").ok());
  EXPECT_DOUBLE_EQ(p.eyes, 0.0);
}

TEST(ParamTable, UnknownKeyIsAUsageErrorListingTheValidKeys) {
  Params p = DefaultParams();
  const Status s = SetFromString(p, "thinness=2");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().ExitCode(), 2);
  EXPECT_NE(s.error().message.find("thinness"), std::string::npos);
  EXPECT_NE(s.error().message.find("thin_radius"), std::string::npos);
  EXPECT_NE(s.error().message.find("eye_radius"), std::string::npos);
}

TEST(ParamTable, UnparsableValueNamesTheKeyAndLeavesParamsUnchanged) {
  Params p = DefaultParams();
  for (const char* bad : {"thin=abc", "thin=", "thin=1.5x", "thin=nan", "=3", "thin"}) {
    const Status s = SetFromString(p, bad);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.error().ExitCode(), 2) << bad;
  }
  EXPECT_EQ(p.thin, DefaultParams().thin);
}

TEST(ParamTable, OutOfRangeValueIsRejectedWithTheRange) {
  Params p = DefaultParams();
  const ParamSpec& eyes = *FindParam("eyes");
  const Status s = SetFromString(p, "eyes=" + std::to_string(eyes.max + 1.0));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("out of range"), std::string::npos);
  EXPECT_NE(s.error().message.find("[0, "), std::string::npos);
  EXPECT_FALSE(SetFromString(p, "thin=-0.5").ok());
  EXPECT_EQ(p.eyes, DefaultParams().eyes);
}

TEST(ParamTable, IntegerKeysRejectFractions) {
  Params p = DefaultParams();
  EXPECT_FALSE(SetFromString(p, "detector=0.5").ok());
  EXPECT_TRUE(SetFromString(p, "detector=1").ok());
  EXPECT_EQ(p.detector, 1.0);
}

TEST(ParamTable, HelpTextMentionsEveryKeyWithItsRange) {
  const std::string help = ParamHelpText();
  for (const ParamSpec& spec : ParamTable()) {
    EXPECT_NE(help.find(std::string(spec.key)), std::string::npos) << spec.key;
  }
}

TEST(ParamTable, ReadmeShowsTheTableAsTheCodeHasIt) {
  std::ifstream in(std::string(FACEWARP_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(in) << "README.md not found";
  const std::string readme((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(readme.find(ParamMarkdownTable()), std::string::npos)
      << "README.md's parameter table is out of date; it should read:\n"
      << ParamMarkdownTable();
}

}  // namespace
}  // namespace fw::core
