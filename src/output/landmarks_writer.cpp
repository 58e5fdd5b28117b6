#include "output/landmarks_writer.h"

#include <unistd.h>

#include <utility>

#include <nlohmann/json.hpp>

#include "output/sink_spec.h"

namespace fw::output {
namespace {

constexpr char kStdoutName[] = "standard output";

}  // namespace

std::string LandmarksJsonLine(int64_t frame_index, const core::Faces& faces) {
  nlohmann::ordered_json faces_json = nlohmann::ordered_json::array();
  for (const core::Face& face : faces) {
    nlohmann::ordered_json points = nlohmann::ordered_json::array();
    for (const core::Vec2& p : face.points) points.push_back({p.x, p.y});
    nlohmann::ordered_json f = nlohmann::ordered_json::object();
    if (face.id > 0) f["id"] = face.id;  // the same on every frame of the face's track
    f["box"] = {face.box.x, face.box.y, face.box.w, face.box.h};
    f["points"] = std::move(points);
    faces_json.push_back(std::move(f));
  }
  const nlohmann::ordered_json line = {{"frame", frame_index}, {"faces", std::move(faces_json)}};
  return line.dump();
}

core::Result<std::unique_ptr<LandmarksWriter>> LandmarksWriter::Open(const std::string& path) {
  if (path == "-") {
    std::unique_ptr<LandmarksWriter> writer(new LandmarksWriter(kStdoutName, core::PendingFile()));
    writer->stdout_mode_ = std::make_unique<core::NonBlockingWhilePipe>(STDOUT_FILENO);
    return writer;
  }
  FW_RETURN_IF_ERROR(CheckOutputPath(path));
  FW_ASSIGN_OR_RETURN(core::PendingFile pending, core::PendingFile::Create(path));
  return std::unique_ptr<LandmarksWriter>(new LandmarksWriter(path, std::move(pending)));
}

LandmarksWriter::LandmarksWriter(std::string path, core::PendingFile pending)
    : path_(std::move(path)), pending_(std::move(pending)) {}

LandmarksWriter::~LandmarksWriter() = default;

core::Status LandmarksWriter::Write(int64_t frame_index, const core::Faces& faces) {
  if (finished_) return core::Error::Runtime("internal: write to " + path() + " after Finish");
  line_ = LandmarksJsonLine(frame_index, faces);
  line_ += '\n';
  if (!pending_.active())
    return core::WriteAllToFd(STDOUT_FILENO, line_.data(), line_.size(), path_);
  return pending_.Write(line_);
}

core::Status LandmarksWriter::Complete() {
  if (finished_) return core::Error::Runtime("internal: " + path() + " finished twice");
  finished_ = true;
  return core::Status::Ok();
}

core::Status LandmarksWriter::Commit() {
  if (!pending_.active()) return core::Status::Ok();
  return pending_.Commit();
}

core::Status LandmarksWriter::Finish() {
  FW_RETURN_IF_ERROR(Complete());
  return Commit();
}

}  // namespace fw::output
