// Finding and loading the 68-point model: the lookup order and the one-line errors for missing,
// truncated and corrupt files. Changes $FACEWARP_MODEL; test thread only.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/data_dir.h"
#include "support/model_file_test.h"
#include "tracking/face_analyzer.h"

namespace fw {
namespace {

namespace fs = std::filesystem;

// A scratch folder, and $FACEWARP_MODEL cleared for the test and restored after it.
class FaceModel : public test::ModelFileTest {
 protected:
  FaceModel() : ModelFileTest("FACEWARP_MODEL") {}

  // The installed model, for the tests that need a real file to cut short.
  static std::string RealModel() { return FirstFile(tracking::DefaultModelPaths()); }

  // The paths tried, and the package the model comes from.
  static void ExpectOneLineNaming(const core::Error& error, std::vector<std::string> paths) {
    paths.push_back("libdlib-data");
    ModelFileTest::ExpectOneLineNaming(error, paths);
  }
};

TEST_F(FaceModel, MissingModelOptionIsAnErrorNamingThePathAndThePackage) {
  const std::string missing = (dir_ / "nowhere.dat").string();
  const auto located = tracking::LocateModel(missing);
  ASSERT_FALSE(located.ok());
  ExpectOneLineNaming(located.error(), {missing});
  const auto created = tracking::FaceAnalyzer::Create(missing);
  ASSERT_FALSE(created.ok());
  ExpectOneLineNaming(created.error(), {missing});
}

TEST_F(FaceModel, MissingModelInTheEnvironmentIsAnErrorNotAFallThrough) {
  const std::string missing = (dir_ / "typo.dat").string();
  setenv("FACEWARP_MODEL", missing.c_str(), 1);
  const auto located = tracking::LocateModel("");
  ASSERT_FALSE(located.ok());
  ExpectOneLineNaming(located.error(), {missing});
  EXPECT_NE(located.error().message.find("FACEWARP_MODEL"), std::string::npos);
}

TEST_F(FaceModel, EnvironmentBeatsTheDefaultLocations) {
  const std::string env_model = Write("env.dat", "x");
  setenv("FACEWARP_MODEL", env_model.c_str(), 1);
  const auto located = tracking::LocateModel("");
  ASSERT_TRUE(located.ok()) << located.error().message;
  EXPECT_EQ(located->path, env_model);
  EXPECT_EQ(located->tried, std::vector<std::string>{env_model});
}

TEST_F(FaceModel, ModelOptionBeatsTheEnvironment) {
  const std::string cli_model = Write("cli.dat", "x");
  const std::string env_model = Write("env.dat", "x");
  setenv("FACEWARP_MODEL", env_model.c_str(), 1);
  const auto located = tracking::LocateModel(cli_model);
  ASSERT_TRUE(located.ok()) << located.error().message;
  EXPECT_EQ(located->path, cli_model);
}

TEST_F(FaceModel, DefaultsAreTheInstallThenBesideTheBinaryThenDebianPackage) {
  const std::vector<std::string> defaults = tracking::DefaultModelPaths();
  ASSERT_EQ(defaults.size(), 3u);
  const std::string file = "/shape_predictor_68_face_landmarks.dat";
  const std::string exe_dir = core::ExecutableDir();
  EXPECT_EQ(defaults[0],
            fs::path(exe_dir + "/../share/facewarp/models" + file).lexically_normal().string());
  EXPECT_EQ(defaults[1], exe_dir + "/models" + file);
  EXPECT_EQ(defaults.back(), "/usr/share/dlib" + file);
  // In the build tree, beside the binary is the source tree's models/ (cmake/BuildTree.cmake).
  std::error_code ec;
  EXPECT_TRUE(fs::equivalent(exe_dir + "/models", std::string(FACEWARP_SOURCE_DIR) + "/models", ec))
      << ec.message();
  const auto located = tracking::LocateModel("");
  if (located.ok()) {
    // The first default that exists wins, after every earlier one was tried.
    ASSERT_FALSE(located->tried.empty());
    EXPECT_EQ(located->tried.back(), located->path);
    for (size_t i = 0; i < located->tried.size(); ++i) {
      EXPECT_EQ(located->tried[i], defaults[i]);
    }
  } else {
    ExpectOneLineNaming(located.error(), defaults);
  }
}

TEST_F(FaceModel, TruncatedModelIsOneErrorNamingEveryPathTried) {
  const std::string real = RealModel();
  if (real.empty()) GTEST_SKIP() << "no installed model to truncate (apt-get install libdlib-data)";
  std::ifstream in(real, std::ios::binary);
  std::string head(1000000, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  const std::string truncated = Write("truncated.dat", head);
  setenv("FACEWARP_MODEL", truncated.c_str(), 1);
  const auto created = tracking::FaceAnalyzer::Create("");
  ASSERT_FALSE(created.ok());
  ExpectOneLineNaming(created.error(), {truncated});
  EXPECT_NE(created.error().message.find("truncated or corrupt"), std::string::npos);
}

TEST_F(FaceModel, GarbageModelIsOneErrorNamingThePath) {
  std::string noise(200000, '\0');
  unsigned state = 12345;
  for (char& c : noise) {
    state = state * 1103515245u + 12345u;
    c = static_cast<char>(state >> 24);
  }
  for (const std::string& bytes : {std::string("this is not a model\n"), noise,
                                   std::string("\x01\x01") + noise, std::string()}) {
    const std::string garbage = Write("garbage.dat", bytes);
    const auto created = tracking::FaceAnalyzer::Create(garbage);
    ASSERT_FALSE(created.ok()) << bytes.size() << " bytes";
    ExpectOneLineNaming(created.error(), {garbage});
  }
}

TEST_F(FaceModel, DirectoryGivenAsModelIsAnError) {
  const auto created = tracking::FaceAnalyzer::Create(dir_.string());
  ASSERT_FALSE(created.ok());
  ExpectOneLineNaming(created.error(), {dir_.string()});
}

}  // namespace
}  // namespace fw
