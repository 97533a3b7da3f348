// Errors are values (DESIGN.md): every stage returns Result<T> instead of throwing.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace loom {

// What kind of failure an Error reports, so a caller (the WAST runner, the CLI) can tell a
// malformed binary from an invalid module, a link error or a trap during instantiation.
enum class ErrorKind : uint8_t { Other, Malformed, Invalid, Link, Trap, Exhaustion, Io };

struct Error {
  std::string message;
  std::optional<size_t> offset;     // byte offset in the binary
  std::optional<uint32_t> func;     // function index, for errors inside a body
  std::optional<size_t> line, col;  // text position (1-based), for text format errors
  ErrorKind kind = ErrorKind::Other;

  // "error at 0x1a3 in func 4: message" (binary) or "3:7: message" (text).
  std::string to_string() const;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit on purpose
  Result(Error error) : v_(std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }
  Error& error() { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;
inline Status ok_status() {
  return Ok{};
}

}  // namespace loom
