// Traps: their kinds, the messages the spec testsuite uses, and the value a trap unwinds with.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace loom {

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
  OutOfFuel,               // the store's fuel ran out (Store::set_fuel)
  Interrupted,             // the store's epoch deadline passed (a timeout)
  UncaughtException,       // a wasm exception reached the host entry (Trap::exception)
  NullExceptionReference,  // throw_ref of a null exnref
  HostError,
};

std::string_view trap_message(TrapKind kind);

// One wasm frame of a trap's backtrace.
struct TrapFrame {
  uint32_t func_index = 0;
  std::string func_name;  // from the name section, may be empty
  size_t offset = 0;      // byte offset of the trapping instruction in the module
};

struct Trap {
  TrapKind kind = TrapKind::Unreachable;
  std::string message;  // trap_message(kind), or the host's message for HostError
  std::vector<TrapFrame> backtrace;
  // UncaughtException: the exception (an ExceptionInst* of the store, runtime/exception.hpp),
  // for the embedder to inspect or to rethrow from a host function (docs/runtime-abi.md).
  void* exception = nullptr;
};

}  // namespace loom
