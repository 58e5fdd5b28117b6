// Reading small files (presets, configs) with a size limit, and checking large ones (models)
// before a library reads them: only regular files qualify, so /dev/zero, a FIFO or a
// directory is refused at once instead of read forever or waited on. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"

namespace fw::core {

// Limits for the files facewarp reads whole (documented in the README, "Reliability").
inline constexpr uint64_t kMaxPresetBytes = 1u << 20;     // presets and configs: 1 MiB
inline constexpr uint64_t kMaxModelBytes = 512ull << 20;  // the landmark model: 512 MiB

// Ok when `path` is a readable regular file of at most max_bytes; otherwise a runtime error
// "cannot read <what> <path>: <why>". Never blocks (a FIFO is opened non-blocking).
Status CheckBoundedRegularFile(const std::string& path, const std::string& what,
                               uint64_t max_bytes);

// The whole contents of a regular file of at most max_bytes (checked on the open file, so a
// file swapped or grown meanwhile cannot get past the limit). Errors as above.
Result<std::string> ReadBoundedFile(const std::string& path, const std::string& what,
                                    uint64_t max_bytes);

// "1.5 MiB", "200 MiB", "512 bytes": sizes in messages.
std::string FormatBytes(uint64_t bytes);

}  // namespace fw::core
