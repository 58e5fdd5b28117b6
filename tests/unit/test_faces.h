// Real faces for unit tests: images from assets/ with landmark fixtures from tests/data/
// (made once with dlib 19.24's frontal detector + 68-point predictor; see "made_with" in each
// file). Header-only; loading throws std::runtime_error, which fails the calling test.
#pragma once

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <stdexcept>
#include <string>

#include "core/face.h"

namespace fw::test {

struct FaceImage {
  cv::Mat image;  // 8-bit BGR
  core::Faces faces;
};

// The source tree: ctest sets FACEWARP_SOURCE_DIR; the build's definition covers direct runs.
inline std::string SourceDir() {
  const char* env = std::getenv("FACEWARP_SOURCE_DIR");
  return env != nullptr && *env != '\0' ? env : FACEWARP_SOURCE_DIR;
}

inline cv::Mat LoadImage(const std::string& relative_path) {
  const std::string path = SourceDir() + "/" + relative_path;
  cv::Mat image = cv::imread(path, cv::IMREAD_COLOR);
  if (image.empty()) throw std::runtime_error("cannot read image " + path);
  return image;
}

// name: "astronaut", "group1", "group3", "group5" or "group6" (tests/data/landmarks_<name>.json).
inline FaceImage LoadFaceImage(const std::string& name) {
  const std::string path = SourceDir() + "/tests/data/landmarks_" + name + ".json";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read landmark fixture " + path);
  const nlohmann::json j = nlohmann::json::parse(in);
  FaceImage out;
  out.image = LoadImage(j.at("image").get<std::string>());
  for (const nlohmann::json& jf : j.at("faces")) {
    core::Face face;
    const auto& box = jf.at("box");
    face.box = {box.at(0).get<double>(), box.at(1).get<double>(), box.at(2).get<double>(),
                box.at(3).get<double>()};
    const auto& points = jf.at("points");
    if (points.size() != core::kNumLandmarks) {
      throw std::runtime_error(path + ": a face needs 68 points");
    }
    for (int i = 0; i < core::kNumLandmarks; ++i) {
      face.points[i] = {points.at(i).at(0).get<double>(), points.at(i).at(1).get<double>()};
    }
    out.faces.push_back(face);
  }
  return out;
}

}  // namespace fw::test
