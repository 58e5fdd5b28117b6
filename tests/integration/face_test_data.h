// Test data for the tracking tests: paths to assets/ and ../shared/data, dlib's imglab XML of
// the VOC faces, and one FaceAnalyzer per test binary (the model takes about a second to load).
// Test-thread only.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "core/face.h"
#include "tracking/face_analyzer.h"

namespace fw::testdata {

inline std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

inline std::string SourceDir() { return EnvOr("FACEWARP_SOURCE_DIR", FACEWARP_SOURCE_DIR); }
inline std::string AssetPath(const std::string& name) { return SourceDir() + "/assets/" + name; }
inline std::string SharedData() {
  return EnvOr("FACEWARP_SHARED_DATA", SourceDir() + "/../shared/data");
}
inline std::string VocDir() { return SharedData() + "/test-only/dlib_voc_training"; }

// One face of the imglab XML: its box and its 68 parts (whole pixels, as dlib wrote them).
struct AnnotatedFace {
  std::string image;  // file name inside VocDir()
  core::Rect box;
  std::vector<core::Vec2> parts;
};

// A small reader for dlib's imglab format: <image file='...'>, <box top left width height>,
// <part name x y/>, one element per line as imglab writes them. Empty when the file is absent.
inline std::vector<AnnotatedFace> ReadImglabXml(const std::string& path) {
  std::vector<AnnotatedFace> faces;
  std::ifstream in(path);
  const std::regex image_re("<image file='([^']+)'");
  const std::regex box_re("<box top='(-?\\d+)' left='(-?\\d+)' width='(\\d+)' height='(\\d+)'");
  const std::regex part_re("<part name='(\\d+)' x='(-?\\d+)' y='(-?\\d+)'");
  std::string line, image;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, image_re)) {
      image = m[1];
    } else if (std::regex_search(line, m, box_re)) {
      faces.push_back(
          {image, {std::stod(m[2]), std::stod(m[1]), std::stod(m[3]), std::stod(m[4])}, {}});
    } else if (std::regex_search(line, m, part_re) && !faces.empty()) {
      faces.back().parts.push_back({std::stod(m[2]), std::stod(m[3])});
    }
  }
  return faces;
}

inline std::string VocXmlPath() { return VocDir() + "/training_with_face_landmarks.xml"; }

// Loaded once per test binary; null (with the error in `Error()`) when the model is missing.
class SharedAnalyzer {
 public:
  static tracking::FaceAnalyzer* Get() { return Instance().analyzer_.get(); }
  static const std::string& Error() { return Instance().error_; }

 private:
  SharedAnalyzer() {
    auto created = tracking::FaceAnalyzer::Create("");
    if (created.ok()) {
      analyzer_ = std::move(created).value();
    } else {
      error_ = created.error().message;
    }
  }
  static SharedAnalyzer& Instance() {
    static SharedAnalyzer instance;
    return instance;
  }
  std::unique_ptr<tracking::FaceAnalyzer> analyzer_;
  std::string error_;
};

// The model is a build dependency (scripts/setup installs libdlib-data), so its absence
// fails the test rather than skipping it.
#define FW_REQUIRE_ANALYZER(var)                                       \
  tracking::FaceAnalyzer* var = ::fw::testdata::SharedAnalyzer::Get(); \
  ASSERT_NE(var, nullptr) << ::fw::testdata::SharedAnalyzer::Error()

}  // namespace fw::testdata
