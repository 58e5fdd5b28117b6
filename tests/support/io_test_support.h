// Helpers for the capture and output tests: asset paths, self-removing temporary directories,
// running ffprobe/ffmpeg. Header-only; used from the test's main thread.
#pragma once

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

namespace fw::iotest {

// A file under assets/ of the source tree (ctest sets FACEWARP_SOURCE_DIR; the compile-time
// definition covers direct runs).
inline std::string Asset(const std::string& name) {
  const char* env = std::getenv("FACEWARP_SOURCE_DIR");
  const std::string root = env != nullptr && *env != '\0' ? env : FACEWARP_SOURCE_DIR;
  return root + "/assets/" + name;
}

inline constexpr char kClip512[] = "astronaut_zoom_pan_rotate_512.mp4";  // 120 frames, 30 fps

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on destruction.
class TempDir {
 public:
  TempDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/facewarp-io-test-XXXXXX";
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

  // Names of the entries, hidden ones included (temporary outputs start with a dot), sorted.
  std::vector<std::string> List() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(path_)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  std::string path_;
};

// The facewarp binary under test (ctest sets FACEWARP_BINARY; the compile-time definition
// covers direct runs).
inline std::string FacewarpBinary() {
  const char* env = std::getenv("FACEWARP_BINARY");
  return env != nullptr && *env != '\0' ? env : FACEWARP_BINARY_PATH;
}

inline void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline std::string ReadBytes(const std::string& path, size_t max_bytes = SIZE_MAX) {
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() > max_bytes) bytes.resize(max_bytes);
  return bytes;
}

struct CommandResult {
  int exit_code = -1;
  std::string out;  // standard output only
};

// Runs a shell command line and collects its standard output (binary-safe).
inline CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  std::FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[1 << 16];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.out.append(buffer, n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

inline bool HaveProgram(const std::string& name) {
  return RunCommand("command -v " + name + " >/dev/null 2>&1").exit_code == 0;
}

// ffprobe's view of the first video stream: "width,height,r_frame_rate,nb_read_frames".
inline std::string ProbeVideo(const std::string& path) {
  CommandResult r = RunCommand(
      "ffprobe -v error -count_frames -select_streams v:0 -show_entries "
      "stream=width,height,nb_read_frames,r_frame_rate -of csv=p=0 '" +
      path + "'");
  while (!r.out.empty() && (r.out.back() == '\n' || r.out.back() == '\r')) r.out.pop_back();
  return r.out;
}

inline std::string ProbeCodec(const std::string& path) {
  CommandResult r = RunCommand(
      "ffprobe -v error -select_streams v:0 -show_entries stream=codec_name -of csv=p=0 '" + path +
      "'");
  while (!r.out.empty() && r.out.back() == '\n') r.out.pop_back();
  return r.out;
}

struct ShellRun {
  int exit_code = -1;
  std::string out;
  std::vector<std::string> err_lines;  // the non-empty lines of standard error
};

// Runs `facewarp args` through the shell in dir (args quoted by the caller), with env (shell
// assignments such as "XDG_CONFIG_HOME='...' ", or "") before it. Standard error goes through
// a file of dir that is removed afterwards, so the caller sees only what facewarp wrote.
inline ShellRun RunFacewarpShell(const TempDir& dir, const std::string& args,
                                 const std::string& env = "") {
  const std::string err = dir.File("stderr.txt");
  const CommandResult r = RunCommand("cd '" + dir.path() + "' && " + env + "'" + FacewarpBinary() +
                                     "' " + args + " 2> '" + err + "'");
  ShellRun run;
  run.exit_code = r.exit_code;
  run.out = r.out;
  std::istringstream lines(ReadBytes(err));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) run.err_lines.push_back(line);
  }
  std::remove(err.c_str());
  return run;
}

}  // namespace fw::iotest
