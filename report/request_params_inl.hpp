#pragma once
// Template part of request_params.hpp.

namespace chitragupt::report {

[[noreturn]] void database_failure(const char* what, const std::string& reason);

template <typename T>
T checked(Result<T> result, const char* what) {
  if (!result) database_failure(what, result.error());
  return std::move(*result);
}

}  // namespace chitragupt::report
