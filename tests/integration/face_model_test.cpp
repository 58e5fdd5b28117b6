// Finding and loading the 68-point model: the lookup order and the one-line errors for missing,
// truncated and corrupt files. Changes $FACEWARP_MODEL; test thread only.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tracking/face_analyzer.h"

namespace fw {
namespace {

namespace fs = std::filesystem;

// A scratch folder, and $FACEWARP_MODEL cleared for the test and restored after it.
class FaceModel : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("facewarp_model_test_" + std::to_string(getpid()));
    fs::create_directories(dir_);
    if (const char* env = std::getenv("FACEWARP_MODEL")) saved_env_ = env;
    unsetenv("FACEWARP_MODEL");
  }
  void TearDown() override {
    if (saved_env_.empty()) {
      unsetenv("FACEWARP_MODEL");
    } else {
      setenv("FACEWARP_MODEL", saved_env_.c_str(), 1);
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string Write(const std::string& name, const std::string& bytes) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  // The installed model, for the tests that need a real file to cut short.
  static std::string RealModel() {
    for (const std::string& p : tracking::DefaultModelPaths()) {
      if (fs::is_regular_file(p)) return p;
    }
    return "";
  }

  static void ExpectOneLineNaming(const core::Error& error, const std::vector<std::string>& paths) {
    EXPECT_EQ(error.kind, core::ErrorKind::kRuntime);
    EXPECT_EQ(error.message.find('\n'), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("libdlib-data"), std::string::npos) << error.message;
    for (const std::string& p : paths) {
      EXPECT_NE(error.message.find(p), std::string::npos) << p << " in: " << error.message;
    }
  }

  fs::path dir_;
  std::string saved_env_;
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

TEST_F(FaceModel, DefaultsAreSourceTreeThenBesideTheBinaryThenDebianPackage) {
  const std::vector<std::string> defaults = tracking::DefaultModelPaths();
  ASSERT_GE(defaults.size(), 2u);
  const std::string file = "/shape_predictor_68_face_landmarks.dat";
  EXPECT_EQ(
      defaults.front(),
      fs::path(std::string(FACEWARP_SOURCE_DIR) + "/models" + file).lexically_normal().string());
  EXPECT_EQ(defaults.back(), "/usr/share/dlib" + file);
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
