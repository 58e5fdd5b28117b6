// The --landmarks JSONL file: one parsable object per frame and line, committed only on Finish.
#include "output/landmarks_writer.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/io_test_support.h"

namespace fw::output {
namespace {

core::Face MakeFace(double offset) {
  core::Face face;
  face.box = {10.5 + offset, 20.25 + offset, 100.0, 120.0};
  for (int i = 0; i < core::kNumLandmarks; ++i) {
    face.points[i] = {offset + i + 0.5, offset + 2.0 * i + 0.125};
  }
  return face;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(LandmarksWriter, WritesOneParsableObjectPerFrameAndLine) {
  iotest::TempDir dir;
  const std::string path = dir.File("marks.jsonl");
  const std::vector<core::Faces> frames = {{}, {MakeFace(0.0)}, {MakeFace(1.0), MakeFace(300.0)}};
  {
    auto writer = LandmarksWriter::Open(path);
    ASSERT_TRUE(writer.ok()) << writer.error().message;
    for (size_t i = 0; i < frames.size(); ++i) {
      ASSERT_TRUE((*writer)->Write(static_cast<int64_t>(i), frames[i]).ok());
    }
    ASSERT_TRUE((*writer)->Finish().ok());
  }

  const std::vector<std::string> lines = Lines(iotest::ReadBytes(path));
  ASSERT_EQ(lines.size(), frames.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    const nlohmann::json j = nlohmann::json::parse(lines[i]);
    EXPECT_EQ(j.at("frame").get<int64_t>(), static_cast<int64_t>(i));
    const nlohmann::json& faces = j.at("faces");
    ASSERT_TRUE(faces.is_array());
    ASSERT_EQ(faces.size(), frames[i].size());
    for (size_t f = 0; f < faces.size(); ++f) {
      const core::Face& want = frames[i][f];
      const nlohmann::json& box = faces[f].at("box");
      ASSERT_EQ(box.size(), 4u);
      EXPECT_EQ(box[0].get<double>(), want.box.x);
      EXPECT_EQ(box[1].get<double>(), want.box.y);
      EXPECT_EQ(box[2].get<double>(), want.box.w);
      EXPECT_EQ(box[3].get<double>(), want.box.h);
      const nlohmann::json& points = faces[f].at("points");
      ASSERT_EQ(points.size(), static_cast<size_t>(core::kNumLandmarks));
      for (int p = 0; p < core::kNumLandmarks; ++p) {
        ASSERT_EQ(points[p].size(), 2u);
        EXPECT_EQ(points[p][0].get<double>(), want.points[p].x);
        EXPECT_EQ(points[p][1].get<double>(), want.points[p].y);
      }
    }
  }
  EXPECT_EQ(dir.List(), std::vector<std::string>{"marks.jsonl"});
}

TEST(LandmarksWriter, CoordinatesAreFloatsEvenWhenWhole) {
  core::Face face;
  face.box = {1.0, 2.0, 3.0, 4.0};
  const nlohmann::json j = nlohmann::json::parse(LandmarksJsonLine(7, {face}));
  EXPECT_TRUE(j["faces"][0]["box"][0].is_number_float());
  EXPECT_TRUE(j["faces"][0]["points"][0][0].is_number_float());
  EXPECT_TRUE(j["frame"].is_number_integer());
}

TEST(LandmarksWriter, TrackedFacesCarryTheirIdAndOthersNone) {
  core::Face tracked, still;
  tracked.id = 4;
  const nlohmann::json j = nlohmann::json::parse(LandmarksJsonLine(0, {tracked, still}));
  EXPECT_EQ(j["faces"][0]["id"], 4);
  EXPECT_FALSE(j["faces"][1].contains("id"));
}

TEST(LandmarksWriter, LineStartsWithTheFrameNumber) {
  EXPECT_EQ(LandmarksJsonLine(3, {}), R"({"frame":3,"faces":[]})");
}

TEST(LandmarksWriter, DestroyedWithoutFinishLeavesNoFile) {
  iotest::TempDir dir;
  {
    auto writer = LandmarksWriter::Open(dir.File("marks.jsonl"));
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Write(0, {MakeFace(0.0)}).ok());
  }
  EXPECT_TRUE(dir.List().empty());
}

TEST(LandmarksWriter, MissingDirectoryFailsAtOpen) {
  iotest::TempDir dir;
  const auto writer = LandmarksWriter::Open(dir.File("missing/marks.jsonl"));
  ASSERT_FALSE(writer.ok());
  EXPECT_NE(writer.error().message.find("does not exist"), std::string::npos);
}

}  // namespace
}  // namespace fw::output
