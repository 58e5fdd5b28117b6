// Result and Status: the error-carrying return types of every factory and start-up step.
// Pure value types; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace fw::core {

// kUsage: the user asked for something invalid (exit status 2).
// kRuntime: a valid request failed (missing file, broken device, no face...; exit status 1).
enum class ErrorKind { kUsage, kRuntime };

struct Error {
  ErrorKind kind = ErrorKind::kRuntime;
  std::string message;  // one line: what was wrong and what to do

  static Error Usage(std::string msg) { return {ErrorKind::kUsage, std::move(msg)}; }
  static Error Runtime(std::string msg) { return {ErrorKind::kRuntime, std::move(msg)}; }
  int ExitCode() const { return kind == ErrorKind::kUsage ? 2 : 1; }
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  static Status Ok() { return Status(); }

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  const Error& error() const { return std::get<Error>(v_); }
  Status status() const { return ok() ? Status::Ok() : Status(error()); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace fw::core

// Propagates a failed Status (or Result) out of the calling function.
#define FW_RETURN_IF_ERROR(expr)                     \
  do {                                               \
    auto&& fw_status_ = (expr);                      \
    if (!fw_status_.ok()) return fw_status_.error(); \
  } while (0)

// `FW_ASSIGN_OR_RETURN(lhs, expr)`: evaluates `expr`, a Result<T>; on failure returns its
// error from the calling function, else moves the value into `lhs`, which may declare a
// variable (`FW_ASSIGN_OR_RETURN(auto source, OpenSource(spec));`) or name an existing one.
// It expands to several statements: give it braces of its own under an `if`.
#define FW_ASSIGN_OR_RETURN(lhs, expr) \
  FW_ASSIGN_OR_RETURN_IMPL_(FW_RESULT_CONCAT_(fw_result_, __LINE__), lhs, expr)
#define FW_RESULT_CONCAT_INNER_(a, b) a##b
#define FW_RESULT_CONCAT_(a, b) FW_RESULT_CONCAT_INNER_(a, b)
#define FW_ASSIGN_OR_RETURN_IMPL_(result, lhs, expr) \
  auto result = (expr);                              \
  if (!result.ok()) return result.error();           \
  lhs = std::move(result).value()
