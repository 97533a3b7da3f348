// Tail calls in the interpreter (docs/runtime-abi.md "Tail calls"): return_call and
// return_call_indirect replace the current activation, so a million-deep tail recursion runs in
// constant stack space, and a tail call to a host function behaves like a normal return of its
// result.
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

Value i32(uint32_t v) {
  Value x = default_value();
  x.u32 = v;
  return x;
}

// A module parsed from text (default features), validated and instantiated with `imports`.
struct Wat {
  Store store;
  Interpreter interpreter;
  Instance* instance = nullptr;

  explicit Wat(const std::string& text, InterpreterLimits limits = {},
               std::vector<Extern> (*imports)(Store&) = nullptr)
      : interpreter(Features(), limits) {
    store.set_executor(&interpreter);
    auto module = parse_wat(text, Features());
    if (!module) {
      ADD_FAILURE() << module.error().to_string();
      return;
    }
    auto valid = validate_module(*module, Features());
    if (!valid) {
      ADD_FAILURE() << valid.error().to_string();
      return;
    }
    std::vector<Extern> provided = imports ? imports(store) : std::vector<Extern>{};
    auto inst = instantiate(store, std::make_shared<const Module>(std::move(*module)), provided);
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
};

constexpr const char* kMutualRecursion = R"(
  (module
    (type $t (func (param i32 i32) (result i32)))
    (table funcref (elem $even_indirect $odd_indirect))
    (func $even (export "even") (param i32 i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (local.get 1))
        (else (return_call $odd (i32.sub (local.get 0) (i32.const 1))
                                (i32.add (local.get 1) (i32.const 1))))))
    (func $odd (param i32 i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.sub (i32.const 0) (local.get 1)))
        (else (return_call $even (i32.sub (local.get 0) (i32.const 1))
                                 (i32.add (local.get 1) (i32.const 1))))))
    (func $even_indirect (export "even_indirect") (param i32 i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (local.get 1))
        (else (return_call_indirect (type $t) (i32.sub (local.get 0) (i32.const 1))
                                    (i32.add (local.get 1) (i32.const 1)) (i32.const 1)))))
    (func $odd_indirect (param i32 i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.sub (i32.const 0) (local.get 1)))
        (else (return_call_indirect (type $t) (i32.sub (local.get 0) (i32.const 1))
                                    (i32.add (local.get 1) (i32.const 1)) (i32.const 0)))))
    ;; the same recursion with plain calls, to show the depth limit applies to it
    (func $deep (export "deep") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
        (else (call $deep (i32.sub (local.get 0) (i32.const 1)))))))
)";

TEST(TailCall, MillionDeepMutualRecursionRunsInConstantStack) {
  // A small frame array and stack: a plain call chain of 1,000,000 could never fit.
  InterpreterLimits limits;
  limits.max_call_depth = 1000;
  limits.stack_bytes = 1 << 16;
  Wat wat(kMutualRecursion, limits);
  Value v = default_value();
  EXPECT_EQ(wat.call("even", {i32(1'000'000), i32(0)}, &v), "");
  EXPECT_EQ(v.u32, 1'000'000u);
  EXPECT_EQ(wat.call("even", {i32(1'000'001), i32(0)}, &v), "");
  EXPECT_EQ(static_cast<int32_t>(v.u32), -1'000'001);
  EXPECT_EQ(wat.call("even_indirect", {i32(1'000'000), i32(7)}, &v), "");
  EXPECT_EQ(v.u32, 1'000'007u);
  EXPECT_EQ(wat.call("deep", {i32(1'000'000)}), "call stack exhausted");
}

// A tail call to a host function: the host's result is the tail caller's result, delivered to
// the tail caller's caller (wasm or the host entry), and the host may call back into wasm.
std::vector<Extern> host_imports(Store& store) {
  FunctionInst* twice = store.create_host_function(
      FuncType{{ValKind::I32}, {ValKind::I32}},
      [](std::span<const Value> args, std::span<Value> results) -> std::string {
        results[0].u32 = args[0].u32 * 2;
        return {};
      });
  FunctionInst* fails = store.create_host_function(
      FuncType{{ValKind::I32}, {ValKind::I32}},
      [](std::span<const Value>, std::span<Value>) -> std::string { return "host says no"; });
  return {{ExternKind::Func, twice}, {ExternKind::Func, fails}};
}

TEST(TailCall, TailCallToHostFunctionReturnsLikeANormalReturn) {
  Wat wat(R"(
    (module
      (import "host" "twice" (func $twice (param i32) (result i32)))
      (import "host" "fails" (func $fails (param i32) (result i32)))
      (func $tail (export "tail") (param i32) (result i32)
        (return_call $twice (i32.add (local.get 0) (i32.const 1))))
      (func (export "nested") (param i32) (result i32)
        (i32.add (call $tail (local.get 0)) (i32.const 1000)))
      (func $loop (export "loop") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (return_call $twice (i32.const 21)))
          (else (return_call $loop (i32.sub (local.get 0) (i32.const 1))))))
      (func $fail (export "fail") (param i32) (result i32)
        (return_call $fails (local.get 0)))
      (func (export "nested_fail") (param i32) (result i32)
        (i32.add (call $fail (local.get 0)) (i32.const 1))))
  )",
          InterpreterLimits{}, host_imports);
  Value v = default_value();
  EXPECT_EQ(wat.call("tail", {i32(4)}, &v), "");
  EXPECT_EQ(v.u32, 10u);
  EXPECT_EQ(wat.call("nested", {i32(4)}, &v), "");
  EXPECT_EQ(v.u32, 1010u);
  EXPECT_EQ(wat.call("loop", {i32(1'000'000)}, &v), "");
  EXPECT_EQ(v.u32, 42u);
  EXPECT_EQ(wat.call("fail", {i32(1)}), "host says no");
  EXPECT_EQ(wat.call("nested_fail", {i32(1)}), "host says no");
  // The interpreter is still usable: nothing of the failed calls is left on its stacks.
  EXPECT_EQ(wat.call("nested", {i32(1)}, &v), "");
  EXPECT_EQ(v.u32, 1004u);
}

TEST(TailCall, ReturnCallIndirectChecksLikeCallIndirect) {
  Wat wat(R"(
    (module
      (type $i (func (result i32)))
      (type $l (func (result i64)))
      (table funcref (elem $one $wide))
      (func $one (result i32) (i32.const 1))
      (func $wide (result i64) (i64.const 2))
      (func (export "at") (param i32) (result i32)
        (return_call_indirect (type $i) (local.get 0))))
  )");
  Value v = default_value();
  EXPECT_EQ(wat.call("at", {i32(0)}, &v), "");
  EXPECT_EQ(v.u32, 1u);
  EXPECT_EQ(wat.call("at", {i32(1)}), "indirect call type mismatch");
  EXPECT_EQ(wat.call("at", {i32(2)}), "undefined element");
}

}  // namespace
}  // namespace loom::interp
