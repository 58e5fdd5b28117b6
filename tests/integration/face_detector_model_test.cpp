// Finding and loading BlazeFace's model: --detector-model and $FACEWARP_DETECTOR_MODEL beat the
// default locations, and a missing, truncated, non-ONNX or wrong model is one error line naming
// the paths tried, also from the command line (where OpenCV must print nothing of its own).
// Changes $FACEWARP_DETECTOR_MODEL; test thread only.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/model_file_test.h"
#include "tracking/face_analyzer.h"

namespace fw {
namespace {

namespace fs = std::filesystem;

// A scratch folder, and $FACEWARP_DETECTOR_MODEL cleared for the test and restored after it.
class DetectorModel : public test::ModelFileTest {
 protected:
  DetectorModel() : ModelFileTest("FACEWARP_DETECTOR_MODEL") {}

  // The installed model (scripts/setup), for the tests that need a real file to cut short.
  static std::string RealModel() { return FirstFile(tracking::DefaultDetectorModelPaths()); }

  // The paths tried, and where the model comes from.
  static void ExpectOneLineNaming(const core::Error& error, const std::string& path) {
    ModelFileTest::ExpectOneLineNaming(error, {"tried: " + path, "scripts/setup"});
  }
};

TEST_F(DetectorModel, TheInstalledModelLoadsByDefault) {
  ASSERT_FALSE(RealModel().empty()) << "run scripts/setup to install the BlazeFace model";
  const auto created = tracking::FaceAnalyzer::Create("");
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE((*created)->has_cnn_detector());
  EXPECT_TRUE((*created)->detector_notice().empty());
}

TEST_F(DetectorModel, OptionBeatsTheEnvironmentWhichBeatsTheDefaults) {
  setenv("FACEWARP_DETECTOR_MODEL", "/env/model.onnx", 1);
  auto loc = tracking::LocateDetectorModel("");
  ASSERT_TRUE(loc.ok());
  EXPECT_EQ(loc->path, "/env/model.onnx");
  EXPECT_TRUE(loc->explicit_choice);
  loc = tracking::LocateDetectorModel("/cli/model.onnx");
  ASSERT_TRUE(loc.ok());
  EXPECT_EQ(loc->path, "/cli/model.onnx");
  unsetenv("FACEWARP_DETECTOR_MODEL");
  loc = tracking::LocateDetectorModel("");
  ASSERT_TRUE(loc.ok());
  EXPECT_FALSE(loc->explicit_choice);
  EXPECT_EQ(loc->tried.front(), tracking::DefaultDetectorModelPaths().front());
}

TEST_F(DetectorModel, MissingTruncatedGarbageOrDirectoryIsOneErrorNamingThePath) {
  const std::string real = RealModel();
  ASSERT_FALSE(real.empty()) << "run scripts/setup to install the BlazeFace model";
  std::ifstream in(real, std::ios::binary);
  std::string head(100000, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  const std::vector<std::string> bad = {
      (dir_ / "missing.onnx").string(),
      Write("truncated.onnx", head),
      Write("text.onnx", "this is not a model\n"),
      Write("empty.onnx", ""),
      dir_.string(),
  };
  for (const std::string& path : bad) {
    const auto created = tracking::FaceAnalyzer::Create("", path);
    ASSERT_FALSE(created.ok()) << path;
    ExpectOneLineNaming(created.error(), path);
  }
  // The environment's choice is as final as the option's.
  setenv("FACEWARP_DETECTOR_MODEL", bad[1].c_str(), 1);
  const auto created = tracking::FaceAnalyzer::Create("");
  ASSERT_FALSE(created.ok());
  ExpectOneLineNaming(created.error(), bad[1]);
}

TEST_F(DetectorModel, TheLandmarkModelIsNoDetectorModel) {
  // A readable file of the wrong kind: dlib's 68-point model.
  const std::vector<std::string> landmark_models = tracking::DefaultModelPaths();
  std::string dat;
  for (const std::string& p : landmark_models) {
    if (fs::is_regular_file(p)) dat = p;
  }
  if (dat.empty()) GTEST_SKIP() << "no landmark model installed";
  const auto created = tracking::FaceAnalyzer::Create("", dat);
  ASSERT_FALSE(created.ok());
  ExpectOneLineNaming(created.error(), dat);
}

TEST_F(DetectorModel, TheCommandLinePrintsOneErrorLineAndNothingFromOpenCv) {
  const char* binary = std::getenv("FACEWARP_BINARY");
  if (binary == nullptr) binary = FACEWARP_BINARY_PATH;
  const std::string real = RealModel();
  ASSERT_FALSE(real.empty());
  std::ifstream in(real, std::ios::binary);
  std::string head(100000, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  const std::string truncated = Write("cut.onnx", head);
  const std::string command = std::string(binary) + " --headless --input " + FACEWARP_SOURCE_DIR +
                              "/assets/astronaut.png --output " + (dir_ / "out.png").string() +
                              " --backend cpu --detector-model " + truncated + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) output.append(buffer.data(), n);
  const int status = pclose(pipe);
  EXPECT_EQ(WEXITSTATUS(status), 1) << output;
  EXPECT_EQ(output.rfind("facewarp: error: ", 0), 0u) << output;
  EXPECT_EQ(output.find('\n'), output.size() - 1) << output;
  EXPECT_NE(output.find(truncated), std::string::npos) << output;
  EXPECT_FALSE(fs::exists(dir_ / "out.png"));
}

}  // namespace
}  // namespace fw
