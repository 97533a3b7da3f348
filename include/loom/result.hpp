// Errors are values: every fallible call of the public API returns Result<T> or Status; a wasm
// trap is an Error of kind Trap carrying the Trap (message, kind, wasm backtrace). No exception
// ever crosses the API.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "loom/export.h"

namespace loom::api {

enum class ErrorKind : uint8_t {
  Other,
  Malformed,  // not a well-formed binary or text module
  Invalid,    // fails validation
  Link,       // an import is missing or has the wrong type
  Trap,       // wasm trapped (Error::trap() says how)
  Limit,      // a store resource limit or an implementation limit
  Io,         // a file or directory could not be read or opened
  Usage,      // the API was called wrongly (wrong argument types, foreign store, ...)
};

enum class TrapKind : uint8_t {
  Unreachable,
  IntegerDivideByZero,
  IntegerOverflow,
  InvalidConversionToInteger,
  OutOfBoundsMemoryAccess,
  OutOfBoundsTableAccess,
  UndefinedElement,
  UninitializedElement,
  IndirectCallTypeMismatch,
  CallStackExhausted,
  NullReference,
  NullFunctionReference,   // call_ref / return_call_ref of null
  OutOfFuel,               // the store's fuel ran out
  Interrupted,             // the store's timeout passed
  UncaughtException,       // a wasm exception reached the host
  NullExceptionReference,  // throw_ref of null
  HostError,               // a host function failed, or instantiation trapped in a segment
  Exit,                    // a WASI guest called proc_exit (Trap::exit_code())
};

// One wasm frame of a backtrace, innermost first.
struct Frame {
  uint32_t func_index = 0;
  std::string func_name;     // from the name section; may be empty
  size_t module_offset = 0;  // byte offset of the instruction in the module
  size_t func_offset = 0;    // the same, relative to the start of the function's body
};

class Trap {
 public:
  Trap(TrapKind kind, std::string message, std::vector<Frame> backtrace = {},
       std::optional<uint32_t> exit_code = std::nullopt)
      : kind_(kind),
        message_(std::move(message)),
        backtrace_(std::move(backtrace)),
        exit_code_(exit_code) {}
  TrapKind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  const std::vector<Frame>& backtrace() const { return backtrace_; }
  // The proc_exit status, for kind() == Exit.
  std::optional<uint32_t> exit_code() const { return exit_code_; }

 private:
  TrapKind kind_;
  std::string message_;
  std::vector<Frame> backtrace_;
  std::optional<uint32_t> exit_code_;
};

// Where in a module an error is: a byte offset (and function) in a binary, or a text position.
struct ErrorLocation {
  std::optional<size_t> offset;
  std::optional<uint32_t> func;
  std::optional<size_t> line, column;  // 1-based
};

class Error {
 public:
  Error(ErrorKind kind, std::string message, ErrorLocation location = {})
      : kind_(kind), message_(std::move(message)), location_(std::move(location)) {}
  Error(Trap trap)  // NOLINT: a trap is an error of kind Trap
      : kind_(ErrorKind::Trap), message_(trap.message()), trap_(std::move(trap)) {}
  ErrorKind kind() const { return kind_; }
  // The message, its location folded in ("error at 0x1a in func 2: ..." or "3:7: ...").
  const std::string& message() const { return message_; }
  const ErrorLocation& location() const { return location_; }
  // The trap, when kind() == Trap.
  const Trap* trap() const { return trap_ ? &*trap_ : nullptr; }

 private:
  ErrorKind kind_;
  std::string message_;
  ErrorLocation location_;
  std::optional<Trap> trap_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit on purpose
  Result(Error error) : v_(std::move(error)) {}      // NOLINT
  Result(Trap trap) : v_(Error(std::move(trap))) {}  // NOLINT
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

}  // namespace loom::api

#ifndef LOOM_BUILDING_LIBRARY
namespace loom {
using namespace ::loom::api;  // embedders write loom::Engine; the library's internals keep loom::*
}  // namespace loom
#endif
