// Runtime values. `Value` is the untagged 16-byte cell the interpreter moves around; `Val` is the
// tagged form the embedding API and the spec runner use.
#pragma once
#include <cstdint>
#include <cstring>

#include "ir/types.hpp"

namespace loom {

struct alignas(16) V128 {
  uint8_t bytes[16];
  friend bool operator==(const V128& a, const V128& b) {
    return std::memcmp(a.bytes, b.bytes, 16) == 0;
  }
};

// A reference: a Function* for funcref, a host object for externref; nullptr is null.
using Ref = void*;

union Value {
  int32_t i32;
  int64_t i64;
  uint32_t u32;
  uint64_t u64;
  float f32;
  double f64;
  V128 v128;
  Ref ref;
};
static_assert(sizeof(Value) == 16);

struct Val {
  ValType type;
  Value value{};

  static Val i32(int32_t v) {
    Val x{ValKind::I32};
    x.value.i32 = v;
    return x;
  }
  static Val i64(int64_t v) {
    Val x{ValKind::I64};
    x.value.i64 = v;
    return x;
  }
  static Val f32(float v) {
    Val x{ValKind::F32};
    x.value.f32 = v;
    return x;
  }
  static Val f64(double v) {
    Val x{ValKind::F64};
    x.value.f64 = v;
    return x;
  }
  static Val v128(const V128& v) {
    Val x{ValKind::V128};
    x.value.v128 = v;
    return x;
  }
  static Val ref(ValType t, Ref r) {
    Val x{t};
    x.value.ref = r;
    return x;
  }
};

// The default (zero) value of a type: 0, 0.0, all-zero vector or null.
inline Value default_value() {
  return Value{.v128 = {}};
}

}  // namespace loom
