// The one parser of --output specs and the checks shared by every file sink. Pure functions
// apart from CheckOutputPath's file-system queries; thread-safe.
#pragma once

#include <string>

#include "core/result.h"

namespace fw::output {

enum class SinkKind { kStdoutY4m, kY4mFile, kVideoFile, kImageFile, kVirtualCamera };

struct SinkSpec {
  SinkKind kind = SinkKind::kY4mFile;
  std::string path;       // file or device path; empty for standard output
  std::string extension;  // lower case with the dot (".mp4"); empty for "-" and v4l2:
};

// The accepted forms, for usage errors and help text.
extern const char kOutputForms[];

// "-", "v4l2:/dev/videoN", or a path whose extension (any case) picks the kind. An empty spec,
// an unknown extension or "v4l2:" without a device is a usage error listing the valid forms.
core::Result<SinkSpec> ParseSinkSpec(const std::string& spec);

// Runtime error unless a file can be created at `path`: its directory exists and is writable,
// and the path itself is not a directory.
core::Status CheckOutputPath(const std::string& path);

}  // namespace fw::output
