// Relaxed SIMD: Loom's one deterministic choice per instruction (src/interp/relaxed_simd.hpp,
// docs/relaxed-simd.md), the decoder's feature gate, and the instructions end to end.
#include "interp/relaxed_simd.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "binary/decoder.hpp"
#include "support/wasm_builder.hpp"
#include "text/wat.hpp"
#include "valid/validator.hpp"

namespace loom::simd {
namespace {

template <typename L>
V128 vec(const Lanes<L>& lanes) {
  return from_lanes(lanes);
}

TEST(RelaxedSimd, SwizzleIsPshufb) {
  V128 a;
  for (uint8_t i = 0; i < 16; ++i) a[i] = uint8_t(100 + i);
  const V128 r =
      relaxed_swizzle(a, vec<uint8_t>({0, 15, 16, 31, 127, 128, 200, 255, 1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(r[0], 100);
  EXPECT_EQ(r[1], 115);
  EXPECT_EQ(r[2], 100);  // 16 & 15
  EXPECT_EQ(r[3], 115);  // 31 & 15
  EXPECT_EQ(r[4], 115);  // 127 & 15
  EXPECT_EQ(r[5], 0);    // top bit set
  EXPECT_EQ(r[6], 0);
  EXPECT_EQ(r[7], 0);
}

TEST(RelaxedSimd, TruncSignedGivesIntMinOutOfRange) {
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  EXPECT_EQ(relaxed_trunc_s(std::nanf("")), kMin);
  EXPECT_EQ(relaxed_trunc_s(3e9f), kMin);
  EXPECT_EQ(relaxed_trunc_s(-3e9f), kMin);
  EXPECT_EQ(relaxed_trunc_s(-1.9f), -1);
  EXPECT_EQ(relaxed_trunc_s(2147483647.0), 2147483647);
  EXPECT_EQ(relaxed_trunc_s(2147483648.0), kMin);
  const Lanes<int32_t> zero =
      as_lanes<int32_t>(relaxed_trunc_f64x2_zero<int32_t>(vec<double>({1e100, -7.5})));
  EXPECT_EQ(zero[0], kMin);
  EXPECT_EQ(zero[1], -7);
  EXPECT_EQ(zero[2], 0);
  EXPECT_EQ(zero[3], 0);
  // Unsigned: saturating, like trunc_sat.
  const Lanes<uint32_t> u =
      as_lanes<uint32_t>(relaxed_trunc_f64x2_zero<uint32_t>(vec<double>({-5.0, 1e10})));
  EXPECT_EQ(u[0], 0u);
  EXPECT_EQ(u[1], 0xffffffffu);
}

TEST(RelaxedSimd, MaddIsUnfused) {
  // 0x1.000004p+0 * 0x1.0002p+0 - 0x1.000204p+0 is 0x1p-37 when fused, 0 with two roundings.
  EXPECT_EQ(relaxed_madd(0x1.000004p+0f, 0x1.0002p+0f, -0x1.000204p+0f), 0.0f);
  EXPECT_EQ(relaxed_nmadd(-0x1.000004p+0f, 0x1.0002p+0f, -0x1.000204p+0f), 0.0f);
  EXPECT_EQ(
      relaxed_madd(std::numeric_limits<float>::max(), 2.0f, -std::numeric_limits<float>::max()),
      std::numeric_limits<float>::infinity());
  EXPECT_EQ(relaxed_nmadd(2.0, 3.0, 10.0), 4.0);
}

TEST(RelaxedSimd, LaneselectUsesTopBits) {
  const V128 a = splat<uint16_t>(0x1234), b = splat<uint16_t>(0x5678);
  // Byte lanes for i8x16 and i16x8: mask 0x0080 takes a's low byte only.
  const Lanes<uint16_t> r16 =
      as_lanes<uint16_t>(relaxed_laneselect<uint8_t>(a, b, splat<uint16_t>(0x0080)));
  EXPECT_EQ(r16[0], 0x5634);
  const Lanes<uint32_t> r32 = as_lanes<uint32_t>(relaxed_laneselect<uint32_t>(
      splat<uint32_t>(1), splat<uint32_t>(2), vec<uint32_t>({0x80000000u, 0x7fffffffu, 0, ~0u})));
  EXPECT_EQ(r32[0], 1u);
  EXPECT_EQ(r32[1], 2u);
  EXPECT_EQ(r32[2], 2u);
  EXPECT_EQ(r32[3], 1u);
}

TEST(RelaxedSimd, MinMaxReturnSecondOperandOnNanOrZeros) {
  const float nan = std::nanf("");
  EXPECT_EQ(relaxed_min(nan, 1.0f), 1.0f);
  EXPECT_TRUE(std::isnan(relaxed_min(1.0f, nan)));
  EXPECT_TRUE(std::signbit(relaxed_min(0.0f, -0.0f)));
  EXPECT_FALSE(std::signbit(relaxed_max(-0.0f, 0.0f)));
  EXPECT_EQ(relaxed_max(double(nan), 2.0), 2.0);
  EXPECT_EQ(relaxed_min(-3.0, 2.0), -3.0);
}

TEST(RelaxedSimd, Q15mulrWrapsMinTimesMin) {
  EXPECT_EQ(relaxed_q15mulr(-32768, -32768), -32768);
  EXPECT_EQ(relaxed_q15mulr(-32768, 32767), -32767);
  EXPECT_EQ(relaxed_q15mulr(16384, 16384), 8192);
}

TEST(RelaxedSimd, DotTreatsSecondOperandUnsignedAndSaturates) {
  Lanes<int8_t> a{}, b{};
  a[0] = a[1] = -128;
  b[0] = b[1] = -127;  // unsigned 129
  a[2] = 3;
  b[2] = 5;
  a[3] = -2;
  b[3] = 7;
  const Lanes<int16_t> r = as_lanes<int16_t>(relaxed_dot_i8x16_i7x16_s(vec(a), vec(b)));
  EXPECT_EQ(r[0], -32768);  // -33024 saturated
  EXPECT_EQ(r[1], 1);
  Lanes<int8_t> a4{}, b4{};
  for (int i = 0; i < 4; ++i) a4[i] = -128, b4[i] = -127;
  const Lanes<int32_t> acc = as_lanes<int32_t>(
      relaxed_dot_i8x16_i7x16_add_s(vec(a4), vec(b4), vec<int32_t>({1, 2, 3, 4})));
  EXPECT_EQ(acc[0], -65535);
  EXPECT_EQ(acc[1], 2);
}

// i8x16.relaxed_swizzle (0xfd 0x100) in a function body.
std::vector<uint8_t> relaxed_swizzle_module() {
  using namespace loom::test;
  const Bytes body = Bytes()
                         .u8(op::kLocalGet)
                         .uleb(0)
                         .u8(op::kLocalGet)
                         .uleb(0)
                         .u8(0xfd)
                         .uleb(0x100)
                         .u8(op::kDrop)
                         .u8(op::kEnd);
  return module_with_body(body, {Locals{1, kV128}});
}

// Function bodies are read by the validator's instruction reader, which checks each opcode's
// feature: on by default, an error with --disable-relaxed-simd.
TEST(RelaxedSimd, InstructionReaderGatesOnTheFeature) {
  auto module = decode_module(relaxed_swizzle_module());
  ASSERT_TRUE(module.ok()) << module.error().to_string();
  EXPECT_TRUE(validate_module(*module, Features()).ok());
  Features off;
  off.set(Feature::RelaxedSimd, false);
  auto rejected = validate_module(*module, off);
  ASSERT_FALSE(rejected.ok());
  EXPECT_NE(rejected.error().message.find("relaxed-simd"), std::string::npos)
      << rejected.error().message;
}

TEST(RelaxedSimd, TextParsesAndValidatesEveryInstruction) {
  auto module = parse_wat(R"((module
    (func (param v128 v128 v128) (result v128)
      (i8x16.relaxed_swizzle (local.get 0) (local.get 1))
      (i32x4.relaxed_trunc_f32x4_s) (i32x4.relaxed_trunc_f32x4_u)
      (i32x4.relaxed_trunc_f64x2_s_zero) (i32x4.relaxed_trunc_f64x2_u_zero)
      (f32x4.relaxed_madd (local.get 1) (local.get 2))
      (f32x4.relaxed_nmadd (local.get 1) (local.get 2))
      (f64x2.relaxed_madd (local.get 1) (local.get 2))
      (f64x2.relaxed_nmadd (local.get 1) (local.get 2))
      (i8x16.relaxed_laneselect (local.get 1) (local.get 2))
      (i16x8.relaxed_laneselect (local.get 1) (local.get 2))
      (i32x4.relaxed_laneselect (local.get 1) (local.get 2))
      (i64x2.relaxed_laneselect (local.get 1) (local.get 2))
      (f32x4.relaxed_min (local.get 1)) (f32x4.relaxed_max (local.get 1))
      (f64x2.relaxed_min (local.get 1)) (f64x2.relaxed_max (local.get 1))
      (i16x8.relaxed_q15mulr_s (local.get 1))
      (i16x8.relaxed_dot_i8x16_i7x16_s (local.get 1))
      (i32x4.relaxed_dot_i8x16_i7x16_add_s (local.get 1) (local.get 2)))))");
  ASSERT_TRUE(module.ok()) << module.error().to_string();
  EXPECT_TRUE(validate_module(*module, Features()).ok());
  // Operand type errors are the validator's, like any SIMD instruction.
  auto wrong = parse_wat(
      "(module (func (param v128 i32) (result v128) "
      "(f32x4.relaxed_madd (local.get 0) (local.get 0) (local.get 1))))");
  ASSERT_TRUE(wrong.ok());
  EXPECT_FALSE(validate_module(*wrong, Features()).ok());
}

}  // namespace
}  // namespace loom::simd
