#include "interp/simd.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>

namespace loom::simd {
namespace {

template <typename L>
V128 vec(const Lanes<L>& lanes) {
  return from_lanes(lanes);
}
template <typename L>
Lanes<L> lanes_of(const V128& v) {
  return as_lanes<L>(v);
}

TEST(SimdTest, SaturatingAddSub) {
  EXPECT_EQ(add_sat<int8_t>(100, 100), 127);
  EXPECT_EQ(add_sat<int8_t>(-100, -100), -128);
  EXPECT_EQ(add_sat<uint8_t>(200, 100), 255);
  EXPECT_EQ(sub_sat<uint8_t>(10, 20), 0);
  EXPECT_EQ(sub_sat<int16_t>(-32768, 1), -32768);
  EXPECT_EQ(sub_sat<int16_t>(32767, -1), 32767);
  EXPECT_EQ(add_sat<uint16_t>(65535, 1), 65535);
  EXPECT_EQ(add_sat<int16_t>(-5, 3), -2);
}

TEST(SimdTest, RoundingAverage) {
  EXPECT_EQ(avgr_u<uint8_t>(255, 255), 255);
  EXPECT_EQ(avgr_u<uint8_t>(0, 1), 1);
  EXPECT_EQ(avgr_u<uint16_t>(65535, 0), 32768);
}

TEST(SimdTest, Q15MulrSaturatesOnlyMinTimesMin) {
  EXPECT_EQ(q15mulr_sat(-32768, -32768), 32767);
  EXPECT_EQ(q15mulr_sat(-32768, 32767), -32767);
  EXPECT_EQ(q15mulr_sat(16384, 16384), 8192);  // 0.5 * 0.5
  EXPECT_EQ(q15mulr_sat(1, 16384), 1);         // 0.5 rounds up
  EXPECT_EQ(q15mulr_sat(-1, 16384), 0);        // -0.5 rounds towards +inf
}

TEST(SimdTest, WrappingAbsNegMul) {
  EXPECT_EQ(abs_wrap<int8_t>(-128), -128);
  EXPECT_EQ(abs_wrap<int32_t>(std::numeric_limits<int32_t>::min()),
            std::numeric_limits<int32_t>::min());
  EXPECT_EQ(abs_wrap<int16_t>(-7), 7);
  EXPECT_EQ(neg_wrap<int64_t>(std::numeric_limits<int64_t>::min()),
            std::numeric_limits<int64_t>::min());
  EXPECT_EQ(mul_wrap<uint16_t>(65535, 65535), 1);
}

TEST(SimdTest, NarrowSaturatesSignedInput) {
  Lanes<int16_t> a{-200, -128, -1, 0, 127, 128, 255, 300};
  Lanes<int16_t> b{1, 2, 3, 4, 5, 6, 7, -32768};
  const auto s = lanes_of<int8_t>(narrow<int8_t, int16_t>(vec(a), vec(b)));
  EXPECT_EQ(s[0], -128);
  EXPECT_EQ(s[2], -1);
  EXPECT_EQ(s[4], 127);
  EXPECT_EQ(s[5], 127);
  EXPECT_EQ(s[8], 1);
  EXPECT_EQ(s[15], -128);
  const auto u = lanes_of<uint8_t>(narrow<uint8_t, int16_t>(vec(a), vec(b)));
  EXPECT_EQ(u[0], 0);
  EXPECT_EQ(u[2], 0);
  EXPECT_EQ(u[5], 128);
  EXPECT_EQ(u[6], 255);
  EXPECT_EQ(u[7], 255);
  EXPECT_EQ(u[15], 0);
  Lanes<int32_t> c{70000, -70000, 65535, -1};
  const auto w = lanes_of<uint16_t>(narrow<uint16_t, int32_t>(vec(c), vec(c)));
  EXPECT_EQ(w[0], 65535);
  EXPECT_EQ(w[1], 0);
  EXPECT_EQ(w[2], 65535);
  EXPECT_EQ(w[7], 0);
}

TEST(SimdTest, ExtendExtmulExtaddDot) {
  Lanes<int8_t> a{};
  for (int i = 0; i < 16; ++i) a[i] = static_cast<int8_t>(i % 2 ? -128 : 127 - i);
  const auto low = lanes_of<int16_t>(extend_low<int16_t, int8_t>(vec(a)));
  const auto high_u = lanes_of<uint16_t>(extend_high<uint16_t, uint8_t>(vec(a)));
  EXPECT_EQ(low[1], -128);
  EXPECT_EQ(low[0], 127);
  EXPECT_EQ(high_u[1], 128);  // lane 9
  const auto product = lanes_of<int16_t>(extmul_low<int16_t, int8_t>(vec(a), vec(a)));
  EXPECT_EQ(product[1], 16384);
  const auto product_u = lanes_of<uint16_t>(extmul_high<uint16_t, uint8_t>(vec(a), vec(a)));
  EXPECT_EQ(product_u[1], 128 * 128);
  const auto sums = lanes_of<int16_t>(extadd_pairwise<int16_t, int8_t>(vec(a)));
  EXPECT_EQ(sums[0], 127 - 128);
  const auto sums_u = lanes_of<uint16_t>(extadd_pairwise<uint16_t, uint8_t>(vec(a)));
  EXPECT_EQ(sums_u[0], 127 + 128);
  Lanes<int32_t> big{-1, std::numeric_limits<int32_t>::min(), 3, 4};
  const auto wide = lanes_of<int64_t>(extmul_low<int64_t, int32_t>(vec(big), vec(big)));
  EXPECT_EQ(wide[1], int64_t{1} << 62);
  const auto wide_u = lanes_of<uint64_t>(extmul_low<uint64_t, uint32_t>(vec(big), vec(big)));
  EXPECT_EQ(wide_u[0], 0xfffffffe00000001ull);
  Lanes<int16_t> m{-32768, -32768, 1, 2, 3, 4, -5, 6};
  const auto dot = lanes_of<int32_t>(dot_i16x8_s(vec(m), vec(m)));
  EXPECT_EQ(dot[0], std::numeric_limits<int32_t>::min());  // 2^31 wraps
  EXPECT_EQ(dot[1], 1 + 4);
  EXPECT_EQ(dot[3], 25 + 36);
}

TEST(SimdTest, FloatMinMaxNaNAndSignedZeros) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(std::signbit(numeric::fmin(0.0f, -0.0f)));
  EXPECT_FALSE(std::signbit(numeric::fmax(-0.0f, 0.0f)));
  EXPECT_TRUE(std::isnan(numeric::fmin(nan, 1.0f)));
  EXPECT_TRUE(std::isnan(numeric::fmax(1.0, std::numeric_limits<double>::quiet_NaN())));
  // pmin/pmax: b < a ? b : a and a < b ? b : a, literally.
  EXPECT_FALSE(std::signbit(pmin(0.0f, -0.0f)));
  EXPECT_TRUE(std::signbit(pmin(-0.0f, 0.0f)));
  EXPECT_TRUE(std::isnan(pmin(nan, 1.0f)));
  EXPECT_EQ(pmin(1.0f, nan), 1.0f);
  EXPECT_TRUE(std::isnan(pmax(nan, 1.0f)));
  EXPECT_EQ(pmax(1.0, std::numeric_limits<double>::quiet_NaN()), 1.0);
  EXPECT_EQ(pmax(-1.0, 2.0), 2.0);
}

TEST(SimdTest, NearestTiesToEven) {
  EXPECT_EQ(numeric::nearest(0.5f), 0.0f);
  EXPECT_EQ(numeric::nearest(1.5f), 2.0f);
  EXPECT_EQ(numeric::nearest(-2.5), -2.0);
  EXPECT_TRUE(std::signbit(numeric::nearest(-0.5)));
  EXPECT_EQ(numeric::nearest(8388609.0f), 8388609.0f);
}

TEST(SimdTest, RoundingQuietsSignalingNaN) {
  const float signaling = std::bit_cast<float>(0xffa00000u);
  EXPECT_EQ(std::bit_cast<uint32_t>(simd::ceil(signaling)), 0xffe00000u);
  EXPECT_EQ(std::bit_cast<uint32_t>(simd::floor(signaling)), 0xffe00000u);
  EXPECT_EQ(std::bit_cast<uint32_t>(simd::nearest(signaling)), 0xffe00000u);
  const double signaling64 = std::bit_cast<double>(0x7ff4000000000000ull);
  EXPECT_EQ(std::bit_cast<uint64_t>(simd::trunc(signaling64)), 0x7ffc000000000000ull);
  EXPECT_EQ(simd::ceil(-0.5f), -0.0f);
  EXPECT_TRUE(std::signbit(simd::ceil(-0.5f)));
  EXPECT_EQ(simd::floor(-0.5), -1.0);
  EXPECT_EQ(simd::trunc(-1.7f), -1.0f);
  EXPECT_EQ(simd::nearest(2.5f), 2.0f);
  EXPECT_EQ(simd::nearest(-3.5), -4.0);
}

TEST(SimdTest, TruncSatNaNAndOverflow) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto s = lanes_of<int32_t>(trunc_sat_f64x2_zero<int32_t>(vec(Lanes<double>{nan, -1e10})));
  EXPECT_EQ(s[0], 0);
  EXPECT_EQ(s[1], std::numeric_limits<int32_t>::min());
  EXPECT_EQ(s[2], 0);
  EXPECT_EQ(s[3], 0);
  const auto u = lanes_of<uint32_t>(trunc_sat_f64x2_zero<uint32_t>(vec(Lanes<double>{1e10, -0.9})));
  EXPECT_EQ(u[0], 0xffffffffu);
  EXPECT_EQ(u[1], 0u);
  EXPECT_EQ(numeric::trunc_sat<int32_t>(2147483648.0f), std::numeric_limits<int32_t>::max());
  EXPECT_EQ(numeric::trunc_sat<uint32_t>(-std::numeric_limits<float>::infinity()), 0u);
}

TEST(SimdTest, ConvertDemotePromote) {
  const auto d =
      lanes_of<double>(convert_low<uint32_t>(vec(Lanes<uint32_t>{0xffffffffu, 1, 7, 7})));
  EXPECT_EQ(d[0], 4294967295.0);
  EXPECT_EQ(d[1], 1.0);
  const auto ds = lanes_of<double>(convert_low<int32_t>(vec(Lanes<int32_t>{-1, 2, 7, 7})));
  EXPECT_EQ(ds[0], -1.0);
  const auto f = lanes_of<float>(demote_f64x2_zero(vec(Lanes<double>{1e300, 0.1})));
  EXPECT_TRUE(std::isinf(f[0]));
  EXPECT_EQ(f[1], 0.1f);
  EXPECT_EQ(f[2], 0.0f);
  EXPECT_FALSE(std::signbit(f[3]));
  const auto p = lanes_of<double>(promote_low_f32x4(vec(Lanes<float>{0.1f, -0.0f, 9, 9})));
  EXPECT_EQ(p[0], static_cast<double>(0.1f));
  EXPECT_TRUE(std::signbit(p[1]));
}

TEST(SimdTest, SwizzleOutOfRangeGivesZero) {
  V128 a, selector;
  for (int i = 0; i < 16; ++i) a[i] = static_cast<uint8_t>(0xa0 + i);
  selector = {15, 0, 16, 255, 3, 128, 17, 1, 2, 2, 2, 2, 2, 2, 2, 31};
  const V128 r = swizzle(a, selector);
  EXPECT_EQ(r[0], 0xaf);
  EXPECT_EQ(r[1], 0xa0);
  EXPECT_EQ(r[2], 0);
  EXPECT_EQ(r[3], 0);
  EXPECT_EQ(r[4], 0xa3);
  EXPECT_EQ(r[5], 0);
  EXPECT_EQ(r[6], 0);
  EXPECT_EQ(r[15], 0);
}

TEST(SimdTest, ShufflePicksFromBothOperands) {
  V128 a, b, indices;
  for (int i = 0; i < 16; ++i) {
    a[i] = static_cast<uint8_t>(i);
    b[i] = static_cast<uint8_t>(0x10 + i);
    indices[i] = static_cast<uint8_t>(i * 3 % 32);  // 0, 3, ..., 30, 1, ...
  }
  const V128 r = simd::shuffle(a, b, indices);
  EXPECT_EQ(r[0], 0x00);
  EXPECT_EQ(r[5], 0x0f);
  EXPECT_EQ(r[6], 0x12);   // 18 -> b[2]
  EXPECT_EQ(r[10], 0x1e);  // 30 -> b[14]
  EXPECT_EQ(r[11], 0x01);  // 33 % 32
}

TEST(SimdTest, ShiftCountIsMaskedToLaneWidth) {
  const V128 bytes = splat<uint8_t>(0x81);
  EXPECT_EQ(lanes_of<uint8_t>(shl<uint8_t>(bytes, 9))[0], 0x02);  // 9 & 7 = 1
  EXPECT_EQ(lanes_of<uint8_t>(shr<uint8_t>(bytes, 8))[0], 0x81);  // 8 & 7 = 0
  EXPECT_EQ(lanes_of<int8_t>(shr<int8_t>(bytes, 7 + 8))[0], -1);  // arithmetic
  const V128 halves = splat<uint16_t>(0x8000);
  EXPECT_EQ(lanes_of<int16_t>(shr<int16_t>(halves, 17))[0], -16384);  // 17 & 15 = 1
  EXPECT_EQ(lanes_of<uint16_t>(shr<uint16_t>(halves, 31))[0], 1);
  const V128 words = splat<uint64_t>(1);
  EXPECT_EQ(lanes_of<uint64_t>(shl<uint64_t>(words, 64 + 63))[1], 0x8000000000000000ull);
  EXPECT_EQ(lanes_of<uint32_t>(shl<uint32_t>(splat<uint32_t>(1), 32))[2], 1u);
}

TEST(SimdTest, BitmaskAllTrueAnyTrue) {
  Lanes<int8_t> a{};
  a[0] = -1;
  a[15] = -128;
  a[7] = 127;
  EXPECT_EQ(bitmask<uint8_t>(vec(a)), 0x8001u);
  EXPECT_EQ(bitmask<uint64_t>(vec(Lanes<int64_t>{1, -1})), 2u);
  EXPECT_EQ(all_true<uint8_t>(vec(a)), 0u);
  EXPECT_EQ(any_true(vec(a)), 1u);
  EXPECT_EQ(any_true(V128{}), 0u);
  EXPECT_EQ(all_true<uint32_t>(splat<uint32_t>(0x100)), 1u);
  EXPECT_EQ(all_true<uint16_t>(vec(Lanes<uint16_t>{1, 1, 1, 1, 1, 1, 1, 0})), 0u);
}

TEST(SimdTest, LanesAndMemoryForms) {
  V128 v = splat<uint32_t>(7);
  v = with_lane<uint16_t>(v, 3, 0xbeef);
  EXPECT_EQ(lane<uint16_t>(v, 3), 0xbeef);
  EXPECT_EQ(lane<uint32_t>(v, 1), 0xbeef0007u);
  const uint8_t memory[8] = {0xff, 0x01, 0x80, 0x7f, 0, 0, 0, 0};
  const auto s = lanes_of<int16_t>(load_extend<int16_t, int8_t>(memory));
  EXPECT_EQ(s[0], -1);
  EXPECT_EQ(s[2], -128);
  const auto u = lanes_of<uint16_t>(load_extend<uint16_t, uint8_t>(memory));
  EXPECT_EQ(u[0], 255);
  const auto z = lanes_of<uint32_t>(load_zero<uint32_t>(memory));
  EXPECT_EQ(z[0], 0x7f8001ffu);
  EXPECT_EQ(z[1], 0u);
  EXPECT_EQ(lanes_of<uint16_t>(load_splat<uint16_t>(memory))[7], 0x01ff);
  const V128 mask = from_lanes(Lanes<uint64_t>{0xff00ff00ff00ff00ull, 0});
  const V128 r = bitselect(splat<uint8_t>(0xaa), splat<uint8_t>(0x55), mask);
  EXPECT_EQ(r[0], 0x55);
  EXPECT_EQ(r[1], 0xaa);
  EXPECT_EQ(r[15], 0x55);
}

}  // namespace
}  // namespace loom::simd
