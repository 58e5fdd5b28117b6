// The fixture of the model location tests (landmark and detector models): a scratch folder,
// and the environment variable that names the model cleared for the test and restored after
// it. Header-only; used from the test's main thread.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

#include "core/result.h"

namespace fw::test {

class ModelFileTest : public ::testing::Test {
 protected:
  explicit ModelFileTest(const char* env) : env_(env) {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("facewarp_" + std::string(env_) + "_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    if (const char* value = std::getenv(env_)) saved_env_ = value;
    unsetenv(env_);
  }
  void TearDown() override {
    if (saved_env_.empty()) {
      unsetenv(env_);
    } else {
      setenv(env_, saved_env_.c_str(), 1);
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // A file of the scratch folder holding bytes; its path.
  std::string Write(const std::string& name, const std::string& bytes) const {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  // The first of paths that is a file (the installed model), or "".
  static std::string FirstFile(const std::vector<std::string>& paths) {
    for (const std::string& p : paths) {
      if (std::filesystem::is_regular_file(p)) return p;
    }
    return "";
  }

  // A runtime error of one line that holds every one of `needles` (the paths tried, where the
  // model comes from).
  static void ExpectOneLineNaming(const core::Error& error,
                                  const std::vector<std::string>& needles) {
    EXPECT_EQ(error.kind, core::ErrorKind::kRuntime);
    EXPECT_EQ(error.message.find('\n'), std::string::npos) << error.message;
    for (const std::string& needle : needles) {
      EXPECT_NE(error.message.find(needle), std::string::npos)
          << needle << " in: " << error.message;
    }
  }

  std::filesystem::path dir_;

 private:
  const char* env_;
  std::string saved_env_;
};

}  // namespace fw::test
