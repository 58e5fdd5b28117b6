// Strict number parsing for the command line and --set: plain decimal only, no surrounding
// whitespace, no hexadecimal, no "inf"/"nan", no overflow. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace fw::core {

// "12", "-3", "+7": a whole decimal number that fits in int64_t; otherwise nullopt.
std::optional<int64_t> ParseWholeNumber(std::string_view text);

// "1.5", "-0.25", "3", "1e-3", ".5": a finite decimal number; otherwise nullopt ("0x1", " 1",
// "1 ", "inf", "1e999" and the empty string are all refused).
std::optional<double> ParseDecimal(std::string_view text);

}  // namespace fw::core
