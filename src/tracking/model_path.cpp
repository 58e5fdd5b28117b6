// Where the 68-point model is looked for (DESIGN.md, "Command line"). Thread-safe: reads the
// environment and the file system only.
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "core/bounded_file.h"
#include "core/data_dir.h"
#include "tracking/face_analyzer.h"

namespace fw::tracking {
namespace {

namespace fs = std::filesystem;

constexpr char kModelFile[] = "shape_predictor_68_face_landmarks.dat";

bool IsFile(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

std::string Join(const std::vector<std::string>& paths) {
  std::string out;
  for (const std::string& p : paths) out += (out.empty() ? "" : ", ") + p;
  return out;
}

}  // namespace

std::vector<std::string> DefaultModelPaths() {
  std::vector<std::string> paths;
  const auto add = [&paths](const fs::path& p) {
    const std::string s = p.lexically_normal().string();
    for (const std::string& have : paths) {
      if (have == s) return;  // a binary run from the source tree would list it twice
    }
    paths.push_back(s);
  };
  for (const std::string& dir : core::DataDirs("models")) add(fs::path(dir) / kModelFile);
  add(fs::path("/usr/share/dlib") / kModelFile);
  return paths;
}

core::Result<ModelLocation> LocateModel(const std::string& cli_model) {
  ModelLocation loc;
  // An explicit choice is final: falling through to another model would hide a typo.
  const char* env = std::getenv("FACEWARP_MODEL");
  const std::string env_model = env != nullptr ? env : "";
  if (!cli_model.empty() || !env_model.empty()) {
    const bool from_cli = !cli_model.empty();
    loc.path = from_cli ? cli_model : env_model;
    loc.tried.push_back(loc.path);
    if (IsFile(loc.path)) {
      FW_RETURN_IF_ERROR(core::CheckBoundedRegularFile(
          loc.path,
          "the face landmark model given by " +
              std::string(from_cli ? "--model" : "$FACEWARP_MODEL") + ",",
          core::kMaxModelBytes));
      return loc;
    }
    const std::string origin = from_cli ? "--model" : "$FACEWARP_MODEL";
    std::error_code ec;
    const bool exists = fs::exists(loc.path, ec);
    return core::Error::Runtime("the face landmark model given by " + origin + ", " + loc.path +
                                ", " + (exists ? "is not a file" : "does not exist") +
                                "; give an existing " + kModelFile + ", or leave " + origin +
                                " out to use the standard one from the Debian package "
                                "libdlib-data (apt-get install libdlib-data)");
  }
  for (const std::string& path : DefaultModelPaths()) {
    loc.tried.push_back(path);
    if (IsFile(path)) {
      loc.path = path;
      return loc;
    }
  }
  return core::Error::Runtime(
      std::string("the 68-point face landmark model was not found (tried: ") + Join(loc.tried) +
      "); install the Debian package libdlib-data (apt-get install libdlib-data) or download " +
      kModelFile + ".bz2 from dlib.net and bunzip2 it into models/ (or pass --model FILE)");
}

std::vector<std::string> DefaultDetectorModelPaths() {
  std::vector<std::string> paths;
  const auto add = [&paths](const fs::path& p) {
    const std::string s = p.lexically_normal().string();
    for (const std::string& have : paths) {
      if (have == s) return;
    }
    paths.push_back(s);
  };
  for (const std::string& dir : core::DataDirs("models")) add(fs::path(dir) / kDetectorModelFile);
  return paths;
}

core::Result<DetectorModelLocation> LocateDetectorModel(const std::string& cli_model) {
  DetectorModelLocation loc;
  const char* env = std::getenv("FACEWARP_DETECTOR_MODEL");
  const std::string env_model = env != nullptr ? env : "";
  if (!cli_model.empty() || !env_model.empty()) {
    loc.path = !cli_model.empty() ? cli_model : env_model;
    loc.explicit_choice = true;
    loc.tried.push_back(loc.path);
    return loc;  // BlazeFace::Load says what is wrong with it, if anything
  }
  for (const std::string& path : DefaultDetectorModelPaths()) {
    loc.tried.push_back(path);
    if (IsFile(path)) {
      loc.path = path;
      break;
    }
  }
  return loc;
}

std::string JoinPaths(const std::vector<std::string>& paths) { return Join(paths); }

}  // namespace fw::tracking
