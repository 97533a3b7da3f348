// memory64 / table64 in the interpreter: every address, index, size and length operand of an
// i64-indexed memory or table is a full i64, bounds checks never wrap, and size/grow results are
// i64. Each test is named after the finding it guards against (the sandbox hardening issue).
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "interp/interpreter.hpp"
#include "runtime/instance.hpp"
#include "text/wat.hpp"
#include "valid/validator.hpp"

namespace loom::interp {
namespace {

constexpr uint64_t k4GiB = uint64_t{1} << 32;

Features memory64_features() {
  Features features;
  features.set(Feature::Memory64, true);
  return features;
}

Value i32(uint32_t v) {
  Value x = default_value();
  x.u32 = v;
  return x;
}
Value i64(uint64_t v) {
  Value x = default_value();
  x.u64 = v;
  return x;
}

// A module parsed from text, validated and instantiated with the interpreter.
struct Wat {
  Store store;
  Interpreter interpreter{memory64_features()};
  Instance* instance = nullptr;

  explicit Wat(const std::string& text) {
    store.set_executor(&interpreter);
    auto module = parse_wat(text, memory64_features());
    if (!module) {
      ADD_FAILURE() << module.error().to_string();
      return;
    }
    auto valid = validate_module(*module, memory64_features());
    if (!valid) {
      ADD_FAILURE() << valid.error().to_string();
      return;
    }
    auto inst = instantiate(store, std::make_shared<const Module>(std::move(*module)), {});
    if (!inst) {
      ADD_FAILURE() << inst.error().message;
      return;
    }
    instance = *inst;
  }

  // Calls export `name`; returns its trap message, or "" when it returned (result in *result).
  std::string call(const char* name, std::vector<Value> args, Value* result = nullptr) {
    if (!instance) return "no instance";
    auto ext = instance->find_export(name);
    if (!ext) return std::string("no export ") + name;
    Value out[1] = {default_value()};
    const size_t results = ext->func()->type->results.size();
    auto trap = interpreter.call(*ext->func(), args, std::span<Value>(out, results));
    if (trap) return trap->message;
    if (result) *result = out[0];
    return "";
  }
  uint64_t call_u64(const char* name, std::vector<Value> args) {
    Value v = default_value();
    EXPECT_EQ(call(name, std::move(args), &v), "") << name;
    return v.u64;
  }
  uint32_t call_u32(const char* name, std::vector<Value> args) {
    Value v = default_value();
    EXPECT_EQ(call(name, std::move(args), &v), "") << name;
    return v.u32;
  }
};

const std::string kOutOfBounds = "out of bounds memory access";
const std::string kTableOutOfBounds = "out of bounds table access";

// A one-page memory64 with 0x2a at address 0 and at 8, and an accessor per kind of memarg row.
const char* const kMemoryAccessors = R"((module
  (memory i64 1 1)
  (data (i64.const 0) "\2a\00\00\00\00\00\00\00\2a")
  (func (export "i32.load") (param i64) (result i32) (i32.load (local.get 0)))
  (func (export "i64.load8_u") (param i64) (result i64) (i64.load8_u (local.get 0)))
  (func (export "i32.store") (param i64) (i32.store (local.get 0) (i32.const 7)))
  (func (export "f64.store") (param i64) (f64.store (local.get 0) (f64.const 1)))
  (func (export "v128.load") (param i64) (result i32)
    (i32x4.extract_lane 0 (v128.load (local.get 0))))
  (func (export "v128.store") (param i64) (v128.store (local.get 0) (v128.const i64x2 7 7)))
  (func (export "v128.load8x8_u") (param i64) (result i32)
    (i16x8.extract_lane_u 0 (v128.load8x8_u (local.get 0))))
  (func (export "v128.load32_splat") (param i64) (result i32)
    (i32x4.extract_lane 3 (v128.load32_splat (local.get 0))))
  (func (export "v128.load64_zero") (param i64) (result i32)
    (i32x4.extract_lane 0 (v128.load64_zero (local.get 0))))
  (func (export "v128.load8_lane") (param i64) (result i32)
    (i8x16.extract_lane_u 0 (v128.load8_lane 0 (local.get 0) (v128.const i64x2 0 0))))
  (func (export "v128.store8_lane") (param i64)
    (v128.store8_lane 0 (local.get 0) (v128.const i64x2 7 7)))
  ;; offsets near 2^64: address + offset wraps around to 4 when computed in 64 bits
  (func (export "i32.load-wrap") (param i64) (result i32)
    (i32.load offset=0xffff_ffff_ffff_fffc (local.get 0)))
  (func (export "i32.store-wrap") (param i64)
    (i32.store offset=0xffff_ffff_ffff_fffc (local.get 0) (i32.const 7)))
  (func (export "v128.load-wrap") (param i64) (result i32)
    (i32x4.extract_lane 0 (v128.load offset=0xffff_ffff_ffff_fff0 (local.get 0))))
  (func (export "v128.store64_lane-wrap") (param i64)
    (v128.store64_lane offset=0xffff_ffff_ffff_fffc 0 (local.get 0) (v128.const i64x2 7 7)))
))";

TEST(Memory64Test, LoadStoreOffsetNear2To64TrapsInsteadOfWrapping) {
  Wat m(kMemoryAccessors);
  // 8 + (2^64 - 4) wraps to 4 (inside the page): it must trap, not read or write bytes 4..7.
  EXPECT_EQ(m.call("i32.load-wrap", {i64(8)}), kOutOfBounds);
  EXPECT_EQ(m.call("i32.store-wrap", {i64(8)}), kOutOfBounds);
  EXPECT_EQ(m.call("v128.load-wrap", {i64(20)}), kOutOfBounds);
  EXPECT_EQ(m.call("v128.store64_lane-wrap", {i64(8)}), kOutOfBounds);
  EXPECT_EQ(m.call_u32("i32.load", {i64(4)}), 0u);  // bytes 4..11 untouched
  EXPECT_EQ(m.call_u64("i64.load8_u", {i64(8)}), 0x2au);
  // The last in-bounds address still works.
  EXPECT_EQ(m.call_u32("i32.load", {i64(kWasmPageSize - 4)}), 0u);
  EXPECT_EQ(m.call("i32.load", {i64(kWasmPageSize - 3)}), kOutOfBounds);
}

TEST(Memory64Test, LoadStoreAddressAbove4GiBTrapsInsteadOfAliasing) {
  Wat m(kMemoryAccessors);
  for (const uint64_t address : {k4GiB, k4GiB + 8, ~uint64_t{0}}) {
    SCOPED_TRACE(address);
    for (const char* name : {"i32.load", "i64.load8_u", "i32.store", "f64.store", "v128.load",
                             "v128.store", "v128.load8x8_u", "v128.load32_splat",
                             "v128.load64_zero", "v128.load8_lane", "v128.store8_lane"}) {
      EXPECT_EQ(m.call(name, {i64(address)}), kOutOfBounds) << name;
    }
  }
  EXPECT_EQ(m.call_u32("i32.load", {i64(0)}), 0x2au);  // no store reached address 0
  EXPECT_EQ(m.call_u32("v128.load8_lane", {i64(8)}), 0x2au);
}

TEST(Memory64Test, BulkMemoryAddressAbove4GiBTrapsInsteadOfAliasing) {
  Wat m(R"((module
    (memory $m64 i64 1 1)
    (memory $m32 1 1)
    (data $d "\01\02")
    (func (export "fill") (param i64 i64) (memory.fill $m64 (local.get 0) (i32.const 9) (local.get 1)))
    (func (export "copy") (param i64 i64 i64)
      (memory.copy $m64 $m64 (local.get 0) (local.get 1) (local.get 2)))
    (func (export "copy-to-32") (param i32 i64 i32)
      (memory.copy $m32 $m64 (local.get 0) (local.get 1) (local.get 2)))
    (func (export "copy-to-64") (param i64 i32 i32)
      (memory.copy $m64 $m32 (local.get 0) (local.get 1) (local.get 2)))
    (func (export "init") (param i64) (memory.init $m64 $d (local.get 0) (i32.const 0) (i32.const 2)))
    (func (export "load") (param i64) (result i32) (i32.load8_u $m64 (local.get 0)))
  ))");
  EXPECT_EQ(m.call("fill", {i64(k4GiB), i64(1)}), kOutOfBounds);
  EXPECT_EQ(m.call("fill", {i64(0), i64(k4GiB + 1)}), kOutOfBounds);
  EXPECT_EQ(m.call("copy", {i64(k4GiB), i64(0), i64(1)}), kOutOfBounds);
  EXPECT_EQ(m.call("copy", {i64(0), i64(k4GiB), i64(1)}), kOutOfBounds);
  EXPECT_EQ(m.call("copy", {i64(0), i64(1), i64(k4GiB)}), kOutOfBounds);
  EXPECT_EQ(m.call("copy-to-32", {i32(0), i64(k4GiB), i32(1)}), kOutOfBounds);
  EXPECT_EQ(m.call("copy-to-64", {i64(k4GiB), i32(0), i32(1)}), kOutOfBounds);
  EXPECT_EQ(m.call("init", {i64(k4GiB)}), kOutOfBounds);
  EXPECT_EQ(m.call_u32("load", {i64(0)}), 0u);  // nothing was written at address 0
  // In bounds they work, and a mixed copy takes each address in its own memory's type.
  EXPECT_EQ(m.call("init", {i64(100)}), "");
  EXPECT_EQ(m.call("copy-to-32", {i32(0), i64(100), i32(2)}), "");
  EXPECT_EQ(m.call("copy-to-64", {i64(200), i32(0), i32(2)}), "");
  EXPECT_EQ(m.call_u32("load", {i64(201)}), 2u);
}

TEST(Memory64Test, MemorySizeAndGrowAreI64WithI64MinusOne) {
  Wat m(R"((module
    (memory i64 1 2)
    (func (export "size") (result i64) (memory.size))
    (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
  ))");
  // Slots are 8 bytes: an i32 result would leave the upper half of the i64 unwritten (zero).
  EXPECT_EQ(m.call_u64("grow", {i64(k4GiB)}), ~uint64_t{0});  // was: grew by 0, returned 1
  EXPECT_EQ(m.call_u64("grow", {i64(k4GiB + 1)}), ~uint64_t{0});
  EXPECT_EQ(m.call_u64("size", {}), 1u);
  EXPECT_EQ(m.call_u64("grow", {i64(2)}), ~uint64_t{0});
  EXPECT_EQ(m.call_u64("grow", {i64(1)}), 1u);
  EXPECT_EQ(m.call_u64("size", {}), 2u);
}

const char* const kTableAccessors = R"((module
  (type $r (func (result i32)))
  (table $t i64 2 4 funcref)
  (table $t32 2 funcref)
  (elem (table $t) (i64.const 0) func $f)
  (elem $e func $f)
  (func $f (result i32) (i32.const 42))
  (func (export "get-null") (param i64) (result i32) (ref.is_null (table.get $t (local.get 0))))
  (func (export "set") (param i64) (table.set $t (local.get 0) (ref.null func)))
  (func (export "size") (result i64) (table.size $t))
  (func (export "grow") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0)))
  (func (export "fill") (param i64 i64) (table.fill $t (local.get 0) (ref.null func) (local.get 1)))
  (func (export "copy") (param i64 i64 i64)
    (table.copy $t $t (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy-to-32") (param i32 i64 i32)
    (table.copy $t32 $t (local.get 0) (local.get 1) (local.get 2)))
  (func (export "copy-to-64") (param i64 i32 i32)
    (table.copy $t $t32 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i64) (table.init $t $e (local.get 0) (i32.const 0) (i32.const 1)))
  (func (export "call") (param i64) (result i32) (call_indirect $t (type $r) (local.get 0)))
))";

TEST(Memory64Test, Table64IndexAbove4GiBTrapsInsteadOfAliasing) {
  Wat m(kTableAccessors);
  EXPECT_EQ(m.call("get-null", {i64(k4GiB)}), kTableOutOfBounds);
  EXPECT_EQ(m.call("set", {i64(k4GiB)}), kTableOutOfBounds);
  EXPECT_EQ(m.call("fill", {i64(k4GiB), i64(1)}), kTableOutOfBounds);
  EXPECT_EQ(m.call("fill", {i64(0), i64(k4GiB + 1)}), kTableOutOfBounds);
  EXPECT_EQ(m.call("copy", {i64(1), i64(k4GiB), i64(1)}), kTableOutOfBounds);
  EXPECT_EQ(m.call("copy", {i64(k4GiB), i64(0), i64(1)}), kTableOutOfBounds);
  EXPECT_EQ(m.call("copy-to-32", {i32(0), i64(k4GiB + 1), i32(1)}), kTableOutOfBounds);
  EXPECT_EQ(m.call("copy-to-64", {i64(k4GiB), i32(0), i32(1)}), kTableOutOfBounds);
  EXPECT_EQ(m.call("init", {i64(k4GiB)}), kTableOutOfBounds);
  EXPECT_EQ(m.call("call", {i64(k4GiB)}), "undefined element");
  EXPECT_EQ(m.call_u32("get-null", {i64(0)}), 0u);  // element 0 is still $f
  EXPECT_EQ(m.call_u32("call", {i64(0)}), 42u);
  EXPECT_EQ(m.call("call", {i64(1)}), "uninitialized element");
}

TEST(Memory64Test, Table64SizeAndGrowAreI64WithI64MinusOne) {
  Wat m(kTableAccessors);
  EXPECT_EQ(m.call_u64("grow", {i64(k4GiB)}), ~uint64_t{0});  // was: grew by 0, returned 2
  EXPECT_EQ(m.call_u64("grow", {i64(3)}), ~uint64_t{0});
  EXPECT_EQ(m.call_u64("size", {}), 2u);
  EXPECT_EQ(m.call_u64("grow", {i64(2)}), 2u);
  EXPECT_EQ(m.call_u64("size", {}), 4u);
}

// The compiler picks the A64 handlers only for i64-indexed memories and tables.
TEST(Memory64Test, I32MemoriesKeepTheirHandlers) {
  EXPECT_EQ(iop_a64_from(Opcode::I32Load), IOp::I32LoadA64);
  EXPECT_EQ(iop_a64_from(Opcode::V128Store64Lane), IOp::V128Store64LaneA64);
  EXPECT_EQ(iop_a64_from(Opcode::I32Add), IOp::Count_);
  Wat m(R"((module (memory 1)
    (func (export "load") (param i32) (result i32) (i32.load offset=0xfffc (local.get 0)))))");
  EXPECT_EQ(m.call_u32("load", {i32(0)}), 0u);
  EXPECT_EQ(m.call("load", {i32(1)}), kOutOfBounds);
  EXPECT_EQ(m.call("load", {i32(0xffffffff)}), kOutOfBounds);
}

}  // namespace
}  // namespace loom::interp
