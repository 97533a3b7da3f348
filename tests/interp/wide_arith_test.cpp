// wide-arithmetic (proposal): the 128-bit semantics (src/interp/wide_arith.hpp), the validator's
// typing of the two-result instructions and their execution in the interpreter.
#include "interp/wide_arith.hpp"

#include <gtest/gtest.h>

#include "interp/interpreter.hpp"
#include "runtime/instance.hpp"
#include "text/wat.hpp"
#include "valid/validator.hpp"

namespace loom {
namespace {

Features wide_features() {
  Features f;
  f.set(Feature::WideArithmetic, true);
  return f;
}

TEST(WideArith, CarriesAndBorrows) {
  const wide::Pair sum = wide::add128(~uint64_t{0}, 0, 1, 0);
  EXPECT_EQ(sum.lo, 0u);
  EXPECT_EQ(sum.hi, 1u);
  const wide::Pair diff = wide::sub128(0, 0, 1, 0);
  EXPECT_EQ(diff.lo, ~uint64_t{0});
  EXPECT_EQ(diff.hi, ~uint64_t{0});
}

TEST(WideArith, FullProducts) {
  const wide::Pair u = wide::mul_wide_u(~uint64_t{0}, ~uint64_t{0});  // (2^64-1)^2
  EXPECT_EQ(u.lo, 1u);
  EXPECT_EQ(u.hi, ~uint64_t{0} - 1);
  const wide::Pair s = wide::mul_wide_s(~uint64_t{0}, 5);  // -1 * 5
  EXPECT_EQ(s.lo, static_cast<uint64_t>(-5));
  EXPECT_EQ(s.hi, ~uint64_t{0});
  const wide::Pair min = wide::mul_wide_s(uint64_t{1} << 63, uint64_t{1} << 63);  // 2^126
  EXPECT_EQ(min.lo, 0u);
  EXPECT_EQ(min.hi, uint64_t{1} << 62);
}

TEST(WideArith, ValidatorTypesTwoResults) {
  auto ok = parse_wat(
      "(module (func (param i64 i64) (result i64 i64) "
      "(i64.add128 (local.get 0) (local.get 1) (local.get 1) (local.get 0))))",
      wide_features());
  ASSERT_TRUE(ok.ok()) << ok.error().to_string();
  EXPECT_TRUE(validate_module(*ok, wide_features()).ok());
  auto missing = parse_wat(
      "(module (func (param i64 i64) (result i64 i64) "
      "(i64.sub128 (local.get 0) (local.get 1) (local.get 1))))",
      wide_features());
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(validate_module(*missing, wide_features()).ok());
  auto one_result = parse_wat(
      "(module (func (param i64 i64) (result i64) (i64.mul_wide_u (local.get 0) (local.get 1))))",
      wide_features());
  ASSERT_TRUE(one_result.ok());
  EXPECT_FALSE(validate_module(*one_result, wide_features()).ok());
  // Off by default: the text parser does not know the instruction.
  EXPECT_FALSE(parse_wat("(module (func (param i64 i64) (result i64 i64) "
                         "(i64.mul_wide_s (local.get 0) (local.get 1))))")
                   .ok());
}

TEST(WideArith, InterpreterWritesBothResults) {
  auto module = parse_wat(R"((module
    (func (export "mul_s") (param i64 i64) (result i64 i64)
      (i64.mul_wide_s (local.get 0) (local.get 1)))
    (func (export "add") (param i64 i64 i64 i64) (result i64 i64)
      (i64.add128 (local.get 0) (local.get 1) (local.get 2) (local.get 3)))))",
                          wide_features());
  ASSERT_TRUE(module.ok()) << module.error().to_string();
  ASSERT_TRUE(validate_module(*module, wide_features()).ok());
  Store store;
  interp::Interpreter interpreter(wide_features());
  store.set_executor(&interpreter);
  auto inst = instantiate(store, std::make_shared<const Module>(std::move(*module)), {});
  ASSERT_TRUE(inst) << inst.error().message;
  auto value = [](uint64_t bits) {
    Value v = default_value();
    v.u64 = bits;
    return v;
  };
  Value out[2] = {default_value(), default_value()};
  std::vector<Value> args = {value(static_cast<uint64_t>(-3)), value(7)};
  auto trap = interpreter.call(*(*inst)->find_export("mul_s")->func(), args, out);
  ASSERT_FALSE(trap);
  EXPECT_EQ(out[0].u64, static_cast<uint64_t>(-21));
  EXPECT_EQ(out[1].u64, ~uint64_t{0});
  args = {value(~uint64_t{0}), value(1), value(1), value(2)};
  trap = interpreter.call(*(*inst)->find_export("add")->func(), args, out);
  ASSERT_FALSE(trap);
  EXPECT_EQ(out[0].u64, 0u);
  EXPECT_EQ(out[1].u64, 4u);
}

}  // namespace
}  // namespace loom
