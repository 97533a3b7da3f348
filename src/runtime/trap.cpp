#include "runtime/trap.hpp"

namespace loom {

std::string_view trap_message(TrapKind kind) {
  switch (kind) {
    case TrapKind::Unreachable:
      return "unreachable";
    case TrapKind::IntegerDivideByZero:
      return "integer divide by zero";
    case TrapKind::IntegerOverflow:
      return "integer overflow";
    case TrapKind::InvalidConversionToInteger:
      return "invalid conversion to integer";
    case TrapKind::OutOfBoundsMemoryAccess:
      return "out of bounds memory access";
    case TrapKind::OutOfBoundsTableAccess:
      return "out of bounds table access";
    case TrapKind::UndefinedElement:
      return "undefined element";
    case TrapKind::UninitializedElement:
      return "uninitialized element";
    case TrapKind::IndirectCallTypeMismatch:
      return "indirect call type mismatch";
    case TrapKind::CallStackExhausted:
      return "call stack exhausted";
    case TrapKind::NullReference:
      return "null reference";
    case TrapKind::NullFunctionReference:
      return "null function reference";
    case TrapKind::OutOfFuel:
      return "all fuel consumed";
    case TrapKind::Interrupted:
      return "interrupt";
    case TrapKind::UncaughtException:
      return "uncaught exception";
    case TrapKind::NullExceptionReference:
      return "null exception reference";
    case TrapKind::HostError:
      return "host error";
  }
  return "trap";
}

}  // namespace loom
