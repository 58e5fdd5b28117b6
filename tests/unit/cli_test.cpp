#include "app/cli.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fw::app {
namespace {

core::Result<ParsedCommandLine> Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "facewarp");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  return ParseCommandLine(static_cast<int>(argv.size()), argv.data());
}

TEST(CommandLine, DefaultsToCameraOrSampleWithTheTableDefaults) {
  auto r = Parse({});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->options.input.empty());
  EXPECT_TRUE(r->options.outputs.empty());
  EXPECT_FALSE(r->options.headless);
  EXPECT_EQ(r->options.backend, Backend::kAuto);
  EXPECT_EQ(r->options.params.thin, core::DefaultParams().thin);
}

TEST(CommandLine, ParsesTheDocumentedContract) {
  auto r =
      Parse({"--input",   "clip.mp4",    "--output", "a.mp4",   "--output", "-",       "--headless",
             "--backend", "cpu",         "--frames", "12",      "--set",    "thin=2",  "--set",
             "eyes=0.1",  "--landmarks", "l.jsonl",  "--stats", "s.json",   "--model", "m.dat"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Options& o = r->options;
  EXPECT_EQ(o.input, "clip.mp4");
  ASSERT_EQ(o.outputs.size(), 2u);
  EXPECT_EQ(o.outputs[1], "-");
  EXPECT_TRUE(o.headless);
  EXPECT_EQ(o.backend, Backend::kCpu);
  EXPECT_EQ(o.frames, 12);
  EXPECT_EQ(o.params.thin, 2.0);
  EXPECT_EQ(o.params.eyes, 0.1);
  EXPECT_EQ(o.landmarks, "l.jsonl");
  EXPECT_EQ(o.stats, "s.json");
  EXPECT_EQ(o.model, "m.dat");
}

TEST(CommandLine, UnknownOptionIsAUsageError) {
  auto r = Parse({"--thin", "2"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().ExitCode(), 2);
  EXPECT_NE(r.error().message.find("--thin"), std::string::npos);
}

TEST(CommandLine, UnknownParameterNamesItAndListsValidKeys) {
  auto r = Parse({"--set", "cheekbones=2"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().ExitCode(), 2);
  EXPECT_NE(r.error().message.find("cheekbones"), std::string::npos);
  EXPECT_NE(r.error().message.find("eye_radius"), std::string::npos);
}

TEST(CommandLine, OutOfRangeParameterGivesTheRange) {
  auto r = Parse({"--set", "eyes=3"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("range"), std::string::npos);
}

TEST(CommandLine, BadBackendAndFrameCountAreUsageErrors) {
  EXPECT_EQ(Parse({"--backend", "vulkan"}).error().ExitCode(), 2);
  EXPECT_EQ(Parse({"--frames", "-3"}).error().ExitCode(), 2);
  EXPECT_EQ(Parse({"--frames", "ten"}).error().ExitCode(), 2);
}

TEST(CommandLine, HwdecIsAutoByDefaultTakesNoneAndRefusesAnythingElse) {
  auto r = Parse({});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->options.hwdec, capture::HwDecode::kAuto);
  r = Parse({"--hwdec", "none"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->options.hwdec, capture::HwDecode::kNone);
  r = Parse({"--hwdec", "auto"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->options.hwdec, capture::HwDecode::kAuto);
  for (const char* bad : {"vaapi", "", "yes"}) {
    r = Parse({"--hwdec", bad});
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().ExitCode(), 2) << bad;
    EXPECT_NE(r.error().message.find("--hwdec"), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find('\n'), std::string::npos) << r.error().message;
  }
}

TEST(CommandLine, ErrorsAreOneLine) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--nope"}, {"--backend", "x"}, {"--frames", "0"}, {"--set", "a=b"}}) {
    auto r = Parse(args);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message.find('\n'), std::string::npos) << r.error().message;
  }
}

TEST(CommandLine, HelpListsEveryParameterAndExitsAtOnce) {
  auto r = Parse({"--help"});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->exit_now);
  for (const core::ParamSpec& spec : core::ParamTable()) {
    EXPECT_NE(r->text.find(std::string(spec.key)), std::string::npos) << spec.key;
  }
  EXPECT_NE(r->text.find("--landmarks"), std::string::npos);
}

TEST(CommandLine, SetOverridesThePresetWhateverTheOrder) {
  const std::string path = ::testing::TempDir() + "/facewarp_cli_preset.json";
  auto saved = Parse({"--set", "thin=1.25", "--set", "eyes=0.05", "--save-preset", path});
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  EXPECT_TRUE(saved->exit_now);
  auto r = Parse({"--set", "thin=2.5", "--preset", path});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->options.params.thin, 2.5);
  EXPECT_EQ(r->options.params.eyes, 0.05);
  std::remove(path.c_str());
}

TEST(CommandLine, PresetTakesAShippedLookByName) {
  auto r = Parse({"--preset", "v-line", "--set", "slim=0.5"});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->options.params.jaw_width, -1.0);
  EXPECT_EQ(r->options.params.slim, 0.5);
  auto unknown = Parse({"--preset", "no-such-look"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().ExitCode(), 2);
  EXPECT_NE(unknown.error().message.find("natural"), std::string::npos);
}

}  // namespace
}  // namespace fw::app
