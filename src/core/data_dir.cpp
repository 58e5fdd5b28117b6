#include "core/data_dir.h"

#include <filesystem>
#include <system_error>

namespace fw::core {

namespace fs = std::filesystem;

std::string ExecutableDir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

std::vector<std::string> DataDirs(const std::string& kind) {
  const std::string exe_dir = ExecutableDir();
  if (exe_dir.empty()) return {};
  return {(fs::path(exe_dir) / ".." / "share" / "facewarp" / kind).lexically_normal().string(),
          (fs::path(exe_dir) / kind).lexically_normal().string()};
}

}  // namespace fw::core
