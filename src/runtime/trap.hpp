// Trap kinds, with the messages the spec testsuite uses.
#pragma once
#include <cstdint>
#include <string_view>

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
  OutOfBoundsDataSegmentAccess,
  OutOfBoundsElemSegmentAccess,
  HostError,
};

std::string_view trap_message(TrapKind kind);

}  // namespace loom
