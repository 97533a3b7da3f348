// Typed function references (3.0), validated and run: call_ref, ref.as_non_null, br_on_null,
// br_on_non_null, the local initialisation rules, and type equivalence across modules.
#include <gtest/gtest.h>

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

// "" when `text` parses and validates, else the error message.
std::string validation_error(const std::string& text) {
  auto module = parse_wat(text, Features());
  if (!module) return module.error().message;
  auto valid = validate_module(*module, Features());
  return valid ? "" : valid.error().message;
}

struct Wat {
  Store store;
  Interpreter interpreter{Features()};
  Instance* instance = nullptr;

  explicit Wat(const std::string& text) {
    store.set_executor(&interpreter);
    auto module = parse_wat(text, Features());
    if (!module) {
      ADD_FAILURE() << module.error().to_string();
      return;
    }
    if (auto valid = validate_module(*module, Features()); !valid) {
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
  // The trap message, or "" with the i32 result in *result.
  std::string call(const char* name, std::vector<Value> args, uint32_t* result = nullptr) {
    if (!instance) return "no instance";
    auto ext = instance->find_export(name);
    if (!ext) return std::string("no export ") + name;
    Value out[1] = {default_value()};
    const size_t results = ext->func()->type->results.size();
    auto trap = interpreter.call(*ext->func(), args, std::span<Value>(out, results));
    if (trap) return trap->message;
    if (result) *result = out[0].u32;
    return "";
  }
};

const char* const kModule = R"((module
  (type $i2i (func (param i32) (result i32)))
  (func $inc (type $i2i) (i32.add (local.get 0) (i32.const 1)))
  (elem declare func $inc)
  (func (export "call_ref") (param i32) (result i32)
    (call_ref $i2i (local.get 0) (ref.func $inc)))
  (func (export "call_null") (result i32)
    (call_ref $i2i (i32.const 0) (ref.null $i2i)))
  (func (export "as_non_null_null")
    (drop (ref.as_non_null (ref.null func))))
  (func (export "br_on_null") (param i32) (result i32)
    (local $f (ref null $i2i))
    (if (local.get 0) (then (local.set $f (ref.func $inc))))
    (block $null
      (return (call_ref $i2i (i32.const 10) (br_on_null $null (local.get $f)))))
    (i32.const -1))
  (func (export "br_on_non_null") (param i32) (result i32)
    (local $f (ref null $i2i))
    (if (local.get 0) (then (local.set $f (ref.func $inc))))
    (call_ref $i2i (i32.const 20)
      (block $some (result (ref $i2i))
        (br_on_non_null $some (local.get $f))
        (return (i32.const -1)))))
  (func (export "local_init") (result i32)
    (local $f (ref $i2i))
    (local.set $f (ref.func $inc))
    (call_ref $i2i (i32.const 5) (local.get $f)))
))";

TEST(TypedRefs, CallRefCallsAndTrapsOnNull) {
  Wat w(kModule);
  uint32_t r = 0;
  EXPECT_EQ(w.call("call_ref", {i32(41)}, &r), "");
  EXPECT_EQ(r, 42u);
  EXPECT_EQ(w.call("call_null", {}), "null function reference");
  EXPECT_EQ(w.call("as_non_null_null", {}), "null reference");
  EXPECT_EQ(w.call("local_init", {}, &r), "");
  EXPECT_EQ(r, 6u);
}

TEST(TypedRefs, BrOnNullAndNonNullTakeTheRightPath) {
  Wat w(kModule);
  uint32_t r = 0;
  EXPECT_EQ(w.call("br_on_null", {i32(1)}, &r), "");
  EXPECT_EQ(r, 11u);
  EXPECT_EQ(w.call("br_on_null", {i32(0)}, &r), "");
  EXPECT_EQ(r, 0xffffffffu);
  EXPECT_EQ(w.call("br_on_non_null", {i32(1)}, &r), "");
  EXPECT_EQ(r, 21u);
  EXPECT_EQ(w.call("br_on_non_null", {i32(0)}, &r), "");
  EXPECT_EQ(r, 0xffffffffu);
}

TEST(TypedRefs, ValidatorErrors) {
  // A non-defaultable local read before it is set, or after the block that set it.
  EXPECT_EQ(validation_error("(module (func (local (ref func)) (drop (local.get 0))))"),
            "uninitialized local");
  EXPECT_EQ(validation_error("(module (func $f (local (ref func)) (block (local.set 0 (ref.func "
                             "$f))) (drop (local.get 0))) (elem declare func $f))"),
            "uninitialized local");
  EXPECT_EQ(validation_error("(module (func $f (local (ref func)) (local.set 0 (ref.func $f)) "
                             "(drop (local.get 0))) (elem declare func $f))"),
            "");
  // call_ref takes a nullable reference to exactly its type.
  EXPECT_NE(validation_error("(module (type $t (func)) (func (call_ref $t (ref.null func))))")
                .find("type mismatch"),
            std::string::npos);
  // br_on_non_null needs a label whose last value is a reference.
  EXPECT_NE(validation_error("(module (func (block (br_on_non_null 0 (ref.null func)))))")
                .find("type mismatch"),
            std::string::npos);
  // A reference to a non-nullable type is not a nullable one.
  EXPECT_NE(
      validation_error("(module (func (result (ref func)) (ref.null func)))").find("type mismatch"),
      std::string::npos);
}

TEST(TypedRefs, EquivalentTypesMatchAcrossModules) {
  // Import matching compares canonical types: $t in both modules is [(ref null $u)] -> [] with
  // equal $u, though their indices differ.
  Store store;
  Interpreter interpreter{Features()};
  store.set_executor(&interpreter);
  auto a = parse_wat(R"((module (type $u (func)) (type $t (func (param (ref null $u))))
    (func (export "f") (type $t))))",
                     Features());
  ASSERT_TRUE(a.ok());
  auto inst_a = instantiate(store, std::make_shared<const Module>(std::move(*a)), {});
  ASSERT_TRUE(inst_a.ok()) << inst_a.error().message;
  auto b = parse_wat(R"((module (type (func (param i32))) (type $u (func))
    (type $t (func (param (ref null $u)))) (import "a" "f" (func (type $t)))))",
                     Features());
  ASSERT_TRUE(b.ok());
  const Extern f = *(*inst_a)->find_export("f");
  auto inst_b = instantiate(store, std::make_shared<const Module>(std::move(*b)), {&f, 1});
  EXPECT_TRUE(inst_b.ok()) << inst_b.error().message;
  auto c = parse_wat(R"((module (type $u (func (param i32)))
    (type $t (func (param (ref null $u)))) (import "a" "f" (func (type $t)))))",
                     Features());
  ASSERT_TRUE(c.ok());
  auto inst_c = instantiate(store, std::make_shared<const Module>(std::move(*c)), {&f, 1});
  EXPECT_FALSE(inst_c.ok());
}

}  // namespace
}  // namespace loom::interp
