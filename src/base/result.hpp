// Result<T>: a value or an error message, for everything that parses untrusted input or touches the
// environment. C++20 has no std::expected; this is the small subset we use. Never throws.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace spampot {

// What a caller can do about an error. Most errors are just reported (`other`); the store says
// whether waiting helps (`transient`: the connection, a lock, the disk) or not (`permanent`: this
// value or row will fail every time), so one hostile record can be set aside instead of retried
// forever.
enum class error_kind : unsigned char { other, transient, permanent };

struct Error {
  std::string message;
  error_kind kind = error_kind::other;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error e) : v_(std::move(e)) {}      // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const std::string& error() const { return std::get<1>(v_).message; }
  error_kind kind() const { return ok() ? error_kind::other : std::get<1>(v_).kind; }
  // The error with its kind, to pass on as another Result's.
  const Error& failure() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an error message.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error e) : err_(std::move(e)), failed_(true) {}  // NOLINT

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const std::string& error() const { return err_.message; }
  error_kind kind() const { return err_.kind; }
  const Error& failure() const { return err_; }

 private:
  Error err_;
  bool failed_ = false;
};

using Status = Result<void>;

}  // namespace spampot
