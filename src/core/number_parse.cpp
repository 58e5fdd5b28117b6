#include "core/number_parse.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace fw::core {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Drops one leading '+' (std::from_chars takes '-' but not '+'); a sign alone, or a second
// sign, is left for from_chars to refuse.
std::string_view WithoutPlus(std::string_view text) {
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
    if (!text.empty() && text.front() == '-') return {};  // "+-1"
  }
  return text;
}

}  // namespace

std::optional<int64_t> ParseWholeNumber(std::string_view text) {
  text = WithoutPlus(text);
  if (text.empty() || !(IsDigit(text.front()) || text.front() == '-')) return std::nullopt;
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 10);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> ParseDecimal(std::string_view text) {
  text = WithoutPlus(text);
  if (text.empty()) return std::nullopt;
  // The first character decides the form: a digit, '.', or '-' then a digit or '.'. This keeps
  // out "inf", "nan" and anything from_chars would otherwise read as a special value.
  const size_t first = text.front() == '-' ? 1 : 0;
  if (first >= text.size() || !(IsDigit(text[first]) || text[first] == '.')) return std::nullopt;
  double value = 0.0;
  const auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), value, std::chars_format::general);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace fw::core
