// Base64 (RFC 4648, standard alphabet, padding optional) for images sent inside JSON. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fw::net {

// The decoded bytes, or nothing when `text` holds a character outside the alphabet (ASCII
// whitespace is skipped), misplaced padding or a length no encoder produces.
std::optional<std::string> DecodeBase64(std::string_view text);

std::string EncodeBase64(std::string_view bytes);

}  // namespace fw::net
