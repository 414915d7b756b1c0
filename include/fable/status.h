// Status and Result<T>: the one error model for expected failures.
//
// Malformed kernels, refused amendments, unreadable files and bad flags are
// normal input, not exceptional conditions, so library functions that can fail
// on user input return a Status (or a Result<T> carrying a value or a Status)
// instead of throwing. A Status message is complete and user-facing: it names
// the file, line and column where known, and the parameter path, in the form
// `file:line:col: path: what is wrong`. Broken internal invariants are
// programming errors and use assertions instead.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace fable {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // malformed input: kernel, record, flag, script
  kNotFound,            // a file, parameter path or reference that does not exist
  kIoError,             // the operating system refused a read or a write
  kFailedPrecondition,  // well-formed, but not applicable in this state
  kInternal,            // out of memory, or a bug (an exception caught at a thread's edge)
};

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status Invalid(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status Io(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status Precondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status explaining why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : data_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : data_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(data_).ok() && "a Result built from a Status must carry an error");
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  const T& value() const& { return std::get<T>(data_); }
  T& value() & { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  // REQUIRES: !ok()
  const Status& status() const { return std::get<Status>(data_); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace fable
