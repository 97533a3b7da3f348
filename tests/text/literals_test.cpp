#include "text/literals.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>

namespace loom::text {
namespace {

using S = LiteralStatus;

uint64_t integer(std::string_view text, unsigned bits) {
  uint64_t v = 0;
  EXPECT_EQ(parse_integer(text, bits, v), S::Ok) << text;
  return v;
}
S integer_status(std::string_view text, unsigned bits) {
  uint64_t v = 0;
  return parse_integer(text, bits, v);
}
uint32_t f32(std::string_view text) {
  uint32_t v = 0;
  EXPECT_EQ(parse_f32(text, v), S::Ok) << text;
  return v;
}
uint64_t f64(std::string_view text) {
  uint64_t v = 0;
  EXPECT_EQ(parse_f64(text, v), S::Ok) << text;
  return v;
}
S f32_status(std::string_view text) {
  uint32_t v = 0;
  return parse_f32(text, v);
}
S f64_status(std::string_view text) {
  uint64_t v = 0;
  return parse_f64(text, v);
}

TEST(Literals, Integers) {
  EXPECT_EQ(integer("0", 32), 0u);
  EXPECT_EQ(integer("1_000_000", 32), 1000000u);
  EXPECT_EQ(integer("0xff_ff", 32), 0xffffu);
  EXPECT_EQ(integer("0xFFFFFFFF", 32), 0xffffffffu);
  EXPECT_EQ(integer("-1", 32), 0xffffffffu);
  EXPECT_EQ(integer("-0x80000000", 32), 0x80000000u);
  EXPECT_EQ(integer("+0x7fffffff", 32), 0x7fffffffu);
  EXPECT_EQ(integer("4294967295", 32), 0xffffffffu);
  EXPECT_EQ(integer("18446744073709551615", 64), UINT64_MAX);
  EXPECT_EQ(integer("-9223372036854775808", 64), 0x8000000000000000u);
  EXPECT_EQ(integer("-0", 64), 0u);
}

TEST(Literals, IntegerErrors) {
  EXPECT_EQ(integer_status("4294967296", 32), S::OutOfRange);
  EXPECT_EQ(integer_status("+0x80000000", 32), S::OutOfRange);
  EXPECT_EQ(integer_status("-0x80000001", 32), S::OutOfRange);
  EXPECT_EQ(integer_status("18446744073709551616", 64), S::OutOfRange);
  EXPECT_EQ(integer_status("99999999999999999999999999999999999999", 64), S::OutOfRange);
  for (auto bad : {"", "-", "0x", "1_", "_1", "1__0", "0x_1", "1x", "0xg", "0X1", "1.0", "--1",
                   "+-1", "1e5", "one"}) {
    EXPECT_EQ(integer_status(bad, 32), S::Malformed) << bad;
  }
  uint64_t v = 0;
  EXPECT_EQ(parse_unsigned("-1", 32, v), S::Malformed);
  EXPECT_EQ(parse_unsigned("+1", 32, v), S::Malformed);
  EXPECT_EQ(parse_unsigned("256", 8, v), S::OutOfRange);
  EXPECT_EQ(parse_unsigned("255", 8, v), S::Ok);
}

TEST(Literals, Floats) {
  EXPECT_EQ(f32("0"), 0u);
  EXPECT_EQ(f32("-0"), 0x80000000u);
  EXPECT_EQ(f32("1"), 0x3f800000u);
  EXPECT_EQ(f32("1."), 0x3f800000u);
  EXPECT_EQ(f32("1.5e1"), std::bit_cast<uint32_t>(15.0f));
  EXPECT_EQ(f32("1.e1"), std::bit_cast<uint32_t>(10.0f));
  EXPECT_EQ(f32("1E+1"), std::bit_cast<uint32_t>(10.0f));
  EXPECT_EQ(f32("1_0.2_5e0_1"), std::bit_cast<uint32_t>(102.5f));
  EXPECT_EQ(f32("0x1p-1"), std::bit_cast<uint32_t>(0.5f));
  EXPECT_EQ(f32("0x1.8p1"), std::bit_cast<uint32_t>(3.0f));
  EXPECT_EQ(f32("0x1.P1"), std::bit_cast<uint32_t>(2.0f));
  EXPECT_EQ(f32("0xa"), std::bit_cast<uint32_t>(10.0f));
  EXPECT_EQ(f32("inf"), 0x7f800000u);
  EXPECT_EQ(f32("-inf"), 0xff800000u);
  EXPECT_EQ(f32("nan"), 0x7fc00000u);
  EXPECT_EQ(f32("-nan"), 0xffc00000u);
  EXPECT_EQ(f32("nan:0x1"), 0x7f800001u);
  EXPECT_EQ(f32("+nan:0x7fffff"), 0x7fffffffu);
  EXPECT_EQ(f64("nan:0xf_ffff_ffff_ffff"), 0x7fffffffffffffffu);
  EXPECT_EQ(f64("0x1p-1074"), 1u);  // smallest subnormal
  EXPECT_EQ(f64("1e-400"), 0u);     // underflow rounds to zero: not an error
  EXPECT_EQ(f64("0x1.fffffffffffffp1023"), 0x7fefffffffffffffu);
}

// Round to nearest, ties to even, for hex and decimal literals.
TEST(Literals, FloatRounding) {
  // 1 + 2^-24 is halfway between 1 and 1 + 2^-23: ties to even (1).
  EXPECT_EQ(f32("0x1.000001p0"), 0x3f800000u);
  // 1 + 3*2^-24 is halfway between 1+2^-23 and 1+2^-22: ties to even (1 + 2^-22).
  EXPECT_EQ(f32("0x1.000003p0"), 0x3f800002u);
  // Just above halfway rounds up.
  EXPECT_EQ(f32("0x1.00000100000000000001p0"), 0x3f800001u);
  EXPECT_EQ(f64("0x1.00000000000008p0"), 0x3ff0000000000000u);
  EXPECT_EQ(f64("0x1.00000000000018p0"), 0x3ff0000000000002u);
  // Decimal: 2^-149 * 0.5 rounds to even (zero); slightly more rounds up.
  EXPECT_EQ(f32("7.006492321624085354618e-46"), 0u);
  EXPECT_EQ(f32("7.006492321624085354619e-46"), 1u);
  EXPECT_EQ(f32("1.1754942807573642917e-38"), 0x7fffffu);  // largest subnormal boundary
  // The largest finite values and the rounding boundary to infinity.
  EXPECT_EQ(f32("0x1.fffffep127"), 0x7f7fffffu);
  EXPECT_EQ(f32("0x1.fffffefffffffffp127"), 0x7f7fffffu);
  EXPECT_EQ(f32_status("0x1.ffffffp127"), S::OutOfRange);  // ties to even = 2^128
  EXPECT_EQ(f32("3.4028235677973366e38"), 0x7f7fffffu);
  EXPECT_EQ(f32_status("3.4028235677973367e38"), S::OutOfRange);
  EXPECT_EQ(f64_status("0x1.fffffffffffff8p1023"), S::OutOfRange);
  EXPECT_EQ(f64_status("1e309"), S::OutOfRange);
  EXPECT_EQ(f32_status("0x1p128"), S::OutOfRange);
  // Long mantissas round correctly (no double rounding through double for f32).
  EXPECT_EQ(f32("1.00000005960464477539062500000000000000000000000000000000000000001"),
            0x3f800001u);
  EXPECT_EQ(f32("1.000000059604644775390625"), 0x3f800000u);
}

TEST(Literals, FloatErrors) {
  for (auto bad :
       {"",      ".5",   "1.5.", "1e",      "1e+",      "0x",           "0x.1",  "0x1p",
        "1_",    "1._5", "1.5_", "0x1P+_1", "infinity", "nan:0x",       "nan:1", "nan:0xg",
        "1e1.5", "1.0f", "- 1",  "0x1e+1",  "++1",      "nan:canonical"}) {
    EXPECT_EQ(f32_status(bad), S::Malformed) << bad;
    EXPECT_EQ(f64_status(bad), S::Malformed) << bad;
  }
  EXPECT_EQ(f32_status("nan:0x0"), S::OutOfRange);
  EXPECT_EQ(f32_status("nan:0x800000"), S::OutOfRange);
  EXPECT_EQ(f64_status("nan:0x10000000000000"), S::OutOfRange);
}

TEST(Literals, HugeLiterals) {
  const std::string digits(100000, '9');
  uint64_t v = 0;
  EXPECT_EQ(parse_integer(digits, 64, v), S::OutOfRange);
  EXPECT_EQ(f64_status(digits), S::OutOfRange);
  EXPECT_EQ(f64("0." + digits), 0x3ff0000000000000u);  // rounds to 1
  EXPECT_EQ(f64("1e-99999999999999999999"), 0u);
  EXPECT_EQ(f64_status("1e99999999999999999999"), S::OutOfRange);
}

}  // namespace
}  // namespace loom::text
