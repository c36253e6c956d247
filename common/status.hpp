#pragma once
// Status and Result<T>: how errors travel between layers (no exceptions across layers).
// A Status is either ok or carries a human-readable message that never contains secrets.

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace chitragupt {

class Status {
 public:
  Status() = default;  // ok
  static Status ok() { return Status(); }
  static Status error(std::string message) { return Status(std::move(message)); }

  bool is_ok() const { return !message_.has_value(); }
  explicit operator bool() const { return is_ok(); }
  // Empty for an ok status.
  const std::string& message() const {
    static const std::string empty;
    return message_ ? *message_ : empty;
  }

 private:
  explicit Status(std::string message) : message_(std::move(message)) {}
  std::optional<std::string> message_;
};

// Either a value or an error Status.
template <typename T>
class Result {
 public:
  Result(T value) : data_(std::move(value)) {}       // NOLINT: implicit by design
  Result(Status error) : data_(std::move(error)) {}  // NOLINT: must be an error status

  bool is_ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return is_ok(); }
  T& value() { return std::get<T>(data_); }
  const T& value() const { return std::get<T>(data_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  // The error; an ok Status when this holds a value.
  Status status() const { return is_ok() ? Status::ok() : std::get<Status>(data_); }
  const std::string& error() const {
    static const std::string empty;
    return is_ok() ? empty : std::get<Status>(data_).message();
  }

 private:
  std::variant<T, Status> data_;
};

}  // namespace chitragupt
