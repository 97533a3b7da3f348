#include "interp/numeric.hpp"

#include <gtest/gtest.h>

namespace loom::numeric {
namespace {

TEST(NumericTest, DivisionTraps) {
  uint32_t out = 0;
  EXPECT_EQ(div_s<uint32_t>(1, 0, out), TrapKind::IntegerDivideByZero);
  EXPECT_EQ(div_s<uint32_t>(0x80000000u, 0xffffffffu, out), TrapKind::IntegerOverflow);
  EXPECT_EQ(div_u<uint32_t>(1, 0, out), TrapKind::IntegerDivideByZero);
  EXPECT_EQ(rem_s<uint32_t>(0x80000000u, 0xffffffffu, out), std::nullopt);
  EXPECT_EQ(out, 0u);
  EXPECT_EQ(div_s<uint32_t>(static_cast<uint32_t>(-7), 2, out), std::nullopt);
  EXPECT_EQ(static_cast<int32_t>(out), -3);
  EXPECT_EQ(rem_s<uint32_t>(static_cast<uint32_t>(-7), 2, out), std::nullopt);
  EXPECT_EQ(static_cast<int32_t>(out), -1);
}

TEST(NumericTest, ShiftsMaskTheCount) {
  EXPECT_EQ(shl<uint32_t>(1, 33), 2u);
  EXPECT_EQ(shr_s<uint32_t>(0x80000000u, 31), 0xffffffffu);
  EXPECT_EQ(shr_u<uint64_t>(0x8000000000000000ull, 127), 1u);
  EXPECT_EQ(rotl<uint32_t>(0x80000001u, 1), 3u);
  EXPECT_EQ(rotr<uint32_t>(3, 33), 0x80000001u);
}

TEST(NumericTest, MinMaxSignedZerosAndNaN) {
  EXPECT_TRUE(std::signbit(fmin(0.0f, -0.0f)));
  EXPECT_TRUE(std::signbit(fmin(-0.0f, 0.0f)));
  EXPECT_FALSE(std::signbit(fmax(-0.0, 0.0)));
  EXPECT_FALSE(std::signbit(fmax(0.0, -0.0)));
  EXPECT_TRUE(std::isnan(fmin(1.0f, std::numeric_limits<float>::quiet_NaN())));
  EXPECT_TRUE(std::isnan(fmax(std::numeric_limits<double>::quiet_NaN(), 1.0)));
}

TEST(NumericTest, NearestRoundsHalfToEven) {
  EXPECT_EQ(nearest(2.5), 2.0);
  EXPECT_EQ(nearest(3.5), 4.0);
  EXPECT_EQ(nearest(-2.5f), -2.0f);
  EXPECT_TRUE(std::signbit(nearest(-0.4)));
}

TEST(NumericTest, SignOperationsKeepNaNPayload) {
  const float nan_payload = std::bit_cast<float>(0x7fa00001u);
  EXPECT_EQ(std::bit_cast<uint32_t>(fneg_bits(nan_payload)), 0xffa00001u);
  EXPECT_EQ(std::bit_cast<uint32_t>(fabs_bits(std::bit_cast<float>(0xffa00001u))), 0x7fa00001u);
  EXPECT_EQ(std::bit_cast<uint32_t>(copysign_bits(nan_payload, -1.0f)), 0xffa00001u);
}

TEST(NumericTest, TruncTrapsAndBounds) {
  int32_t i = 0;
  EXPECT_EQ(trunc<int32_t>(std::numeric_limits<float>::quiet_NaN(), i),
            TrapKind::InvalidConversionToInteger);
  EXPECT_EQ(trunc<int32_t>(2147483648.0f, i), TrapKind::IntegerOverflow);
  EXPECT_EQ(trunc<int32_t>(-2147483648.0f, i), std::nullopt);
  EXPECT_EQ(i, INT32_MIN);
  EXPECT_EQ(trunc<int32_t>(-2147483648.9, i), std::nullopt);
  EXPECT_EQ(i, INT32_MIN);
  EXPECT_EQ(trunc<int32_t>(-2147483649.0, i), TrapKind::IntegerOverflow);
  uint32_t u = 0;
  EXPECT_EQ(trunc<uint32_t>(-0.9, u), std::nullopt);
  EXPECT_EQ(u, 0u);
  EXPECT_EQ(trunc<uint32_t>(-1.0, u), TrapKind::IntegerOverflow);
  EXPECT_EQ(trunc<uint32_t>(4294967295.9, u), std::nullopt);
  EXPECT_EQ(u, 4294967295u);
  EXPECT_EQ(trunc<uint32_t>(4294967296.0, u), TrapKind::IntegerOverflow);
  uint64_t u64 = 0;
  EXPECT_EQ(trunc<uint64_t>(18446744073709549568.0, u64), std::nullopt);
  EXPECT_EQ(trunc<uint64_t>(18446744073709551616.0, u64), TrapKind::IntegerOverflow);
  int64_t i64 = 0;
  EXPECT_EQ(trunc<int64_t>(-9223372036854775808.0, i64), std::nullopt);
  EXPECT_EQ(i64, INT64_MIN);
  EXPECT_EQ(trunc<int64_t>(9223372036854775808.0, i64), TrapKind::IntegerOverflow);
}

TEST(NumericTest, SaturatingTrunc) {
  EXPECT_EQ(trunc_sat<int32_t>(std::numeric_limits<double>::quiet_NaN()), 0);
  EXPECT_EQ(trunc_sat<int32_t>(1e10), INT32_MAX);
  EXPECT_EQ(trunc_sat<int32_t>(-1e10f), INT32_MIN);
  EXPECT_EQ(trunc_sat<uint32_t>(-5.0), 0u);
  EXPECT_EQ(trunc_sat<uint64_t>(std::numeric_limits<double>::infinity()), UINT64_MAX);
  EXPECT_EQ(trunc_sat<int64_t>(-3.7), -3);
}

}  // namespace
}  // namespace loom::numeric
