// Where facewarp's data files (shaders, presets, the sample clip, models) are looked for,
// relative to the running binary, so that nothing of the build machine is compiled in.
// Thread-safe: reads /proc/self/exe only.
#pragma once

#include <string>
#include <vector>

namespace fw::core {

// The directory of the running executable, or "" when /proc/self/exe cannot be read.
std::string ExecutableDir();

// The directories that may hold facewarp's data of one kind ("shaders", "presets", "assets",
// "models"), in the order they are tried: <exe dir>/../share/facewarp/<kind> (an installed
// facewarp, as packaging installs it), then <exe dir>/<kind> (a build tree, where CMake links
// <kind> to the source tree's; see cmake/DataLinks.cmake). Normalised paths; empty when the
// executable's directory is unknown.
std::vector<std::string> DataDirs(const std::string& kind);

}  // namespace fw::core
