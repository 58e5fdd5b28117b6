// The error of an HTTP API call: the status it is answered with and a one-line message. Pure
// value types; thread-compatible.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace fw::net {

struct ApiError {
  int status = 400;
  std::string message;  // one line, no trailing period needed
};

// A value or the ApiError that stands in for it.
template <class T>
class ApiResult {
 public:
  ApiResult(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  ApiResult(ApiError error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(v_); }
  const ApiError& error() const { return std::get<ApiError>(v_); }
  T& value() & { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<T, ApiError> v_;
};

}  // namespace fw::net
