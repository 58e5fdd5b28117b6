#include "output/landmarks_writer.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include <nlohmann/json.hpp>

#include "output/sink_spec.h"

namespace fw::output {

std::string LandmarksJsonLine(int64_t frame_index, const core::Faces& faces) {
  nlohmann::ordered_json faces_json = nlohmann::ordered_json::array();
  for (const core::Face& face : faces) {
    nlohmann::ordered_json points = nlohmann::ordered_json::array();
    for (const core::Vec2& p : face.points) points.push_back({p.x, p.y});
    faces_json.push_back(
        {{"box", {face.box.x, face.box.y, face.box.w, face.box.h}}, {"points", std::move(points)}});
  }
  const nlohmann::ordered_json line = {{"frame", frame_index}, {"faces", std::move(faces_json)}};
  return line.dump();
}

core::Result<std::unique_ptr<LandmarksWriter>> LandmarksWriter::Open(const std::string& path) {
  FW_RETURN_IF_ERROR(CheckOutputPath(path));
  core::PendingFile pending(path);
  std::FILE* file = std::fopen(pending.temp_path().c_str(), "w");
  if (file == nullptr) {
    return core::Error::Runtime("cannot write " + path + ": " + std::strerror(errno));
  }
  return std::unique_ptr<LandmarksWriter>(new LandmarksWriter(std::move(pending), file));
}

LandmarksWriter::LandmarksWriter(core::PendingFile pending, std::FILE* file)
    : pending_(std::move(pending)), file_(file) {}

LandmarksWriter::~LandmarksWriter() {
  if (file_ != nullptr) std::fclose(file_);
}

core::Status LandmarksWriter::Write(int64_t frame_index, const core::Faces& faces) {
  if (finished_) return core::Error::Runtime("internal: write to " + path() + " after Finish");
  std::string line = LandmarksJsonLine(frame_index, faces);
  line += '\n';
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size()) {
    return core::Error::Runtime("cannot write " + path() + ": " + std::strerror(errno));
  }
  return core::Status::Ok();
}

core::Status LandmarksWriter::Finish() {
  if (finished_) return core::Error::Runtime("internal: " + path() + " finished twice");
  finished_ = true;
  const int rc = std::fclose(file_);
  file_ = nullptr;
  if (rc != 0) return core::Error::Runtime("cannot write " + path() + ": " + std::strerror(errno));
  return pending_.Commit();
}

}  // namespace fw::output
