// Reader: LEB128 (u32, s32, s33, u64, s64), fixed-width reads, names and the UTF-8 check.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "binary/reader.hpp"
#include "support/wasm_builder.hpp"

namespace loom {
namespace {

using test::Bytes;

// Reader offsets are absolute: data[0] sits at this offset in the imaginary file.
constexpr size_t kBase = 100;

enum class Width { U32, S32, S33, U64, S64 };

struct LebRead {
  bool ok = false;
  uint64_t unsigned_value = 0;
  int64_t signed_value = 0;
  size_t consumed = 0;
  Error error;
};

LebRead read_leb(Width width, const std::vector<uint8_t>& bytes) {
  Reader r(bytes, kBase);
  LebRead out;
  switch (width) {
    case Width::U32: {
      uint32_t v = 0;
      out.ok = r.read_u32(v);
      out.unsigned_value = v;
      break;
    }
    case Width::U64:
      out.ok = r.read_u64(out.unsigned_value);
      break;
    case Width::S32: {
      int32_t v = 0;
      out.ok = r.read_s32(v);
      out.signed_value = v;
      break;
    }
    case Width::S33:
      out.ok = r.read_s33(out.signed_value);
      break;
    case Width::S64:
      out.ok = r.read_s64(out.signed_value);
      break;
  }
  out.consumed = r.pos();
  if (!out.ok) out.error = r.error();
  return out;
}

void expect_unsigned(Width width, const std::vector<uint8_t>& bytes, uint64_t expected) {
  SCOPED_TRACE(::testing::PrintToString(bytes));
  const LebRead got = read_leb(width, bytes);
  ASSERT_TRUE(got.ok) << got.error.message;
  EXPECT_EQ(got.unsigned_value, expected);
  EXPECT_EQ(got.consumed, bytes.size());
}

void expect_signed(Width width, const std::vector<uint8_t>& bytes, int64_t expected) {
  SCOPED_TRACE(::testing::PrintToString(bytes));
  const LebRead got = read_leb(width, bytes);
  ASSERT_TRUE(got.ok) << got.error.message;
  EXPECT_EQ(got.signed_value, expected);
  EXPECT_EQ(got.consumed, bytes.size());
}

void expect_leb_error(Width width, const std::vector<uint8_t>& bytes, const std::string& message,
                      size_t relative_offset) {
  SCOPED_TRACE(::testing::PrintToString(bytes));
  const LebRead got = read_leb(width, bytes);
  ASSERT_FALSE(got.ok);
  EXPECT_NE(got.error.message.find(message), std::string::npos) << got.error.message;
  ASSERT_TRUE(got.error.offset.has_value());
  EXPECT_EQ(*got.error.offset, kBase + relative_offset);
}

// ---- Unsigned ----

TEST(Leb128, U32Boundaries) {
  for (uint64_t bit = 0; bit < 32; ++bit) {
    for (uint64_t v : {(uint64_t{1} << bit) - 1, uint64_t{1} << bit, (uint64_t{1} << bit) + 1}) {
      if (v > UINT32_MAX) continue;
      expect_unsigned(Width::U32, Bytes().uleb(v), v);
    }
  }
  expect_unsigned(Width::U32, {0x00}, 0);
  expect_unsigned(Width::U32, {0x7f}, 127);
  expect_unsigned(Width::U32, {0x80, 0x01}, 128);
  expect_unsigned(Width::U32, {0xff, 0x7f}, 16383);
  expect_unsigned(Width::U32, {0x80, 0x80, 0x01}, 16384);
  expect_unsigned(Width::U32, {0xff, 0xff, 0xff, 0xff, 0x0f}, UINT32_MAX);
  expect_unsigned(Width::U32, {0x80, 0x80, 0x80, 0x80, 0x08}, 0x80000000u);
}

TEST(Leb128, U32NonMinimalEncodingsUpToFiveBytesAreAccepted) {
  for (unsigned width = 1; width <= 5; ++width) {
    expect_unsigned(Width::U32, Bytes().uleb_padded(0, width), 0);
    expect_unsigned(Width::U32, Bytes().uleb_padded(5, width), 5);
  }
  expect_unsigned(Width::U32, {0xff, 0x80, 0x80, 0x80, 0x00}, 127);
}

TEST(Leb128, U32TooLong) {
  expect_leb_error(Width::U32, Bytes().uleb_padded(0, 6), "integer representation too long", 0);
  expect_leb_error(Width::U32, {0xff, 0xff, 0xff, 0xff, 0x8f, 0x00},
                   "integer representation too long", 0);
  expect_leb_error(Width::U32, {0x80, 0x80, 0x80, 0x80, 0x80}, "integer representation too long",
                   0);
}

TEST(Leb128, U32UnusedBitsSet) {
  expect_leb_error(Width::U32, {0xff, 0xff, 0xff, 0xff, 0x1f}, "integer too large", 0);
  expect_leb_error(Width::U32, {0x80, 0x80, 0x80, 0x80, 0x10}, "integer too large", 0);
  expect_leb_error(Width::U32, {0x80, 0x80, 0x80, 0x80, 0x70}, "integer too large", 0);
  expect_leb_error(Width::U32, {0x80, 0x80, 0x80, 0x80, 0x40}, "integer too large", 0);
}

TEST(Leb128, U32Truncated) {
  expect_leb_error(Width::U32, {}, "unexpected end", 0);
  expect_leb_error(Width::U32, {0x80}, "unexpected end", 1);
  expect_leb_error(Width::U32, {0xff, 0xff, 0xff, 0xff}, "unexpected end", 4);
}

TEST(Leb128, U64Boundaries) {
  for (uint64_t bit = 0; bit < 64; ++bit) {
    for (uint64_t v : {(uint64_t{1} << bit) - 1, uint64_t{1} << bit, (uint64_t{1} << bit) + 1}) {
      expect_unsigned(Width::U64, Bytes().uleb(v), v);
    }
  }
  expect_unsigned(Width::U64, Bytes().uleb(UINT64_MAX), UINT64_MAX);
  expect_unsigned(Width::U64, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
                  UINT64_MAX);
  expect_unsigned(Width::U64, Bytes().uleb_padded(7, 10), 7);
  // u64 accepts five-byte values u32 rejects.
  expect_unsigned(Width::U64, {0xff, 0xff, 0xff, 0xff, 0x1f}, 0x1ffffffffull);
}

TEST(Leb128, U64Errors) {
  expect_leb_error(Width::U64, Bytes().uleb_padded(0, 11), "integer representation too long", 0);
  expect_leb_error(Width::U64, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02},
                   "integer too large", 0);
  expect_leb_error(Width::U64, {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7e},
                   "integer too large", 0);
  expect_leb_error(Width::U64, {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80},
                   "unexpected end", 9);
}

// ---- Signed ----

TEST(Leb128, S32Boundaries) {
  const int64_t min = std::numeric_limits<int32_t>::min();
  const int64_t max = std::numeric_limits<int32_t>::max();
  for (int bit = 0; bit < 32; ++bit) {
    const int64_t p = int64_t{1} << bit;
    for (int64_t v : {p - 1, p, p + 1, -p - 1, -p, -p + 1}) {
      if (v < min || v > max) continue;
      expect_signed(Width::S32, Bytes().sleb(v), v);
    }
  }
  expect_signed(Width::S32, {0x00}, 0);
  expect_signed(Width::S32, {0x7f}, -1);
  expect_signed(Width::S32, {0x3f}, 63);
  expect_signed(Width::S32, {0x40}, -64);
  expect_signed(Width::S32, {0xc0, 0x00}, 64);
  expect_signed(Width::S32, {0xbf, 0x7f}, -65);
  expect_signed(Width::S32, {0xff, 0xff, 0xff, 0xff, 0x07}, max);
  expect_signed(Width::S32, {0x80, 0x80, 0x80, 0x80, 0x78}, min);
  // Padded forms: the last byte carries the sign extension.
  expect_signed(Width::S32, {0xff, 0xff, 0xff, 0xff, 0x7f}, -1);
  expect_signed(Width::S32, {0x80, 0x80, 0x80, 0x80, 0x00}, 0);
  expect_signed(Width::S32, {0xff, 0x7f}, -1);
}

TEST(Leb128, S32Errors) {
  expect_leb_error(Width::S32, {0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
                   "integer representation too long", 0);
  expect_leb_error(Width::S32, {0x80, 0x80, 0x80, 0x80, 0x80, 0x00},
                   "integer representation too long", 0);
  // Sign bit (bit 3 of the fifth byte) is 1 but the unused bits are 0, and vice versa.
  expect_leb_error(Width::S32, {0xff, 0xff, 0xff, 0xff, 0x0f}, "integer too large", 0);
  expect_leb_error(Width::S32, {0x80, 0x80, 0x80, 0x80, 0x70}, "integer too large", 0);
  expect_leb_error(Width::S32, {0xff, 0xff, 0xff, 0xff, 0x4f}, "integer too large", 0);
  expect_leb_error(Width::S32, {0x80, 0x80, 0x80, 0x80, 0x10}, "integer too large", 0);
  expect_leb_error(Width::S32, {0x80, 0x80}, "unexpected end", 2);
  expect_leb_error(Width::S32, {}, "unexpected end", 0);
}

TEST(Leb128, S33Boundaries) {
  const int64_t min = -(int64_t{1} << 32);
  const int64_t max = (int64_t{1} << 32) - 1;
  for (int bit = 0; bit < 33; ++bit) {
    const int64_t p = int64_t{1} << bit;
    for (int64_t v : {p - 1, p, p + 1, -p - 1, -p, -p + 1}) {
      if (v < min || v > max) continue;
      expect_signed(Width::S33, Bytes().sleb(v), v);
    }
  }
  expect_signed(Width::S33, {0xff, 0xff, 0xff, 0xff, 0x0f}, max);
  expect_signed(Width::S33, {0x80, 0x80, 0x80, 0x80, 0x70}, min);
  expect_signed(Width::S33, {0x40}, -64);
  expect_signed(Width::S33, {0xff, 0xff, 0xff, 0xff, 0x7f}, -1);
}

TEST(Leb128, S33Errors) {
  expect_leb_error(Width::S33, {0xff, 0xff, 0xff, 0xff, 0x1f}, "integer too large", 0);
  expect_leb_error(Width::S33, {0x80, 0x80, 0x80, 0x80, 0x60}, "integer too large", 0);
  expect_leb_error(Width::S33, {0x80, 0x80, 0x80, 0x80, 0x20}, "integer too large", 0);
  expect_leb_error(Width::S33, {0x80, 0x80, 0x80, 0x80, 0x80, 0x00},
                   "integer representation too long", 0);
  expect_leb_error(Width::S33, {0xc0}, "unexpected end", 1);
}

TEST(Leb128, S64Boundaries) {
  for (int bit = 0; bit < 63; ++bit) {
    const int64_t p = int64_t{1} << bit;
    for (int64_t v : {p - 1, p, p + 1, -p - 1, -p, -p + 1})
      expect_signed(Width::S64, Bytes().sleb(v), v);
  }
  const int64_t min = std::numeric_limits<int64_t>::min();
  const int64_t max = std::numeric_limits<int64_t>::max();
  expect_signed(Width::S64, Bytes().sleb(min), min);
  expect_signed(Width::S64, Bytes().sleb(max), max);
  expect_signed(Width::S64, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}, max);
  expect_signed(Width::S64, {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}, min);
  expect_signed(Width::S64, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, -1);
  expect_signed(Width::S64, {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 0);
}

TEST(Leb128, S64Errors) {
  expect_leb_error(Width::S64, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
                   "integer too large", 0);
  expect_leb_error(Width::S64, {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7e},
                   "integer too large", 0);
  expect_leb_error(Width::S64, {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40},
                   "integer too large", 0);
  expect_leb_error(Width::S64, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
                   "integer representation too long", 0);
  expect_leb_error(Width::S64, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
                   "unexpected end", 9);
}

TEST(Leb128, ErrorOffsetIsTheStartOfTheInteger) {
  // Two good bytes, then a bad LEB: the offset names the bad integer's first byte.
  std::vector<uint8_t> bytes = {0x01, 0x02, 0xff, 0xff, 0xff, 0xff, 0x1f};
  Reader r(bytes, kBase);
  uint32_t v;
  ASSERT_TRUE(r.read_u32(v));
  ASSERT_TRUE(r.read_u32(v));
  EXPECT_FALSE(r.read_u32(v));
  EXPECT_EQ(r.error().message, "integer too large");
  EXPECT_EQ(r.error().offset, kBase + 2);
}

TEST(Reader, FirstErrorWins) {
  std::vector<uint8_t> bytes = {0x80};
  Reader r(bytes, 0);
  uint32_t v;
  EXPECT_FALSE(r.read_u32(v));
  EXPECT_FALSE(r.fail("second"));
  EXPECT_TRUE(r.failed());
  EXPECT_EQ(r.error().message, "unexpected end");
  EXPECT_EQ(r.error().offset, 1u);
}

TEST(Reader, CustomEofMessage) {
  std::vector<uint8_t> bytes = {};
  Reader r(bytes, 7);
  r.set_eof_message("unexpected end of section or function");
  uint8_t b;
  EXPECT_FALSE(r.read_u8(b));
  EXPECT_EQ(r.error().message, "unexpected end of section or function");
  EXPECT_EQ(r.error().offset, 7u);
}

TEST(Reader, FixedWidthLittleEndian) {
  std::vector<uint8_t> bytes = {0x78, 0x56, 0x34, 0x12, 0x08, 0x07, 0x06,
                                0x05, 0x04, 0x03, 0x02, 0x01, 0xaa};
  Reader r(bytes, 0);
  uint32_t u32;
  uint64_t u64;
  ASSERT_TRUE(r.read_fixed_u32(u32));
  EXPECT_EQ(u32, 0x12345678u);
  ASSERT_TRUE(r.read_fixed_u64(u64));
  EXPECT_EQ(u64, 0x0102030405060708ull);
  EXPECT_FALSE(r.read_fixed_u32(u32));
  EXPECT_EQ(r.error().offset, 12u);
}

TEST(Reader, ReadCountRejectsCountsLargerThanTheInput) {
  std::vector<uint8_t> bytes = Bytes().uleb(UINT32_MAX).raw({1, 2, 3});
  Reader r(bytes, kBase);
  uint32_t count;
  EXPECT_FALSE(r.read_count(count));
  EXPECT_EQ(r.error().message, "unexpected end");
  EXPECT_EQ(r.error().offset, kBase + 5);

  // Exactly enough bytes for the elements is fine; one element size too many is not.
  std::vector<uint8_t> four = {0x02, 0xa, 0xb, 0xc, 0xd};
  Reader ok_reader(four, 0);
  EXPECT_TRUE(ok_reader.read_count(count, 2));
  EXPECT_EQ(count, 2u);
  Reader bad_reader(four, 0);
  EXPECT_FALSE(bad_reader.read_count(count, 3));
}

TEST(Reader, ReadBytesAndSkipAreBoundsChecked) {
  std::vector<uint8_t> bytes = {1, 2, 3};
  Reader r(bytes, 0);
  std::span<const uint8_t> out;
  EXPECT_FALSE(r.read_bytes(4, out));
  EXPECT_EQ(r.error().offset, 0u);
  Reader s(bytes, 0);
  EXPECT_TRUE(s.skip(3));
  EXPECT_TRUE(s.at_end());
  EXPECT_FALSE(s.skip(1));
}

// ---- Names and UTF-8 ----

bool utf8(std::initializer_list<uint8_t> bytes) {
  std::vector<uint8_t> v(bytes);
  return is_valid_utf8(v);
}

TEST(Utf8, AcceptsWellFormedSequences) {
  EXPECT_TRUE(utf8({}));
  EXPECT_TRUE(utf8({'a', 'b', 0x00, 0x7f}));
  EXPECT_TRUE(utf8({0xc2, 0x80}));                  // U+0080, smallest two-byte
  EXPECT_TRUE(utf8({0xdf, 0xbf}));                  // U+07FF
  EXPECT_TRUE(utf8({0xe0, 0xa0, 0x80}));            // U+0800, smallest three-byte
  EXPECT_TRUE(utf8({0xed, 0x9f, 0xbf}));            // U+D7FF, just below the surrogates
  EXPECT_TRUE(utf8({0xee, 0x80, 0x80}));            // U+E000, just above them
  EXPECT_TRUE(utf8({0xef, 0xbf, 0xbf}));            // U+FFFF
  EXPECT_TRUE(utf8({0xf0, 0x90, 0x80, 0x80}));      // U+10000, smallest four-byte
  EXPECT_TRUE(utf8({0xf4, 0x8f, 0xbf, 0xbf}));      // U+10FFFF, the largest code point
  EXPECT_TRUE(utf8({'x', 0xe2, 0x82, 0xac, 'y'}));  // "x€y"
}

TEST(Utf8, RejectsOverlongEncodings) {
  EXPECT_FALSE(utf8({0xc0, 0x80}));              // U+0000 in two bytes
  EXPECT_FALSE(utf8({0xc1, 0xbf}));              // U+007F in two bytes
  EXPECT_FALSE(utf8({0xe0, 0x80, 0x80}));        // U+0000 in three bytes
  EXPECT_FALSE(utf8({0xe0, 0x9f, 0xbf}));        // U+07FF in three bytes
  EXPECT_FALSE(utf8({0xf0, 0x80, 0x80, 0x80}));  // U+0000 in four bytes
  EXPECT_FALSE(utf8({0xf0, 0x8f, 0xbf, 0xbf}));  // U+FFFF in four bytes
}

TEST(Utf8, RejectsSurrogates) {
  EXPECT_FALSE(utf8({0xed, 0xa0, 0x80}));                    // U+D800
  EXPECT_FALSE(utf8({0xed, 0xaf, 0xbf}));                    // U+DBFF
  EXPECT_FALSE(utf8({0xed, 0xb0, 0x80}));                    // U+DC00
  EXPECT_FALSE(utf8({0xed, 0xbf, 0xbf}));                    // U+DFFF
  EXPECT_FALSE(utf8({0xed, 0xa0, 0x80, 0xed, 0xb0, 0x80}));  // a CESU-8 surrogate pair
}

TEST(Utf8, RejectsCodePointsAboveMax) {
  EXPECT_FALSE(utf8({0xf4, 0x90, 0x80, 0x80}));  // U+110000
  EXPECT_FALSE(utf8({0xf5, 0x80, 0x80, 0x80}));
  EXPECT_FALSE(utf8({0xf7, 0xbf, 0xbf, 0xbf}));
  EXPECT_FALSE(utf8({0xf8, 0x88, 0x80, 0x80, 0x80}));  // five-byte form
  EXPECT_FALSE(utf8({0xfc, 0x84, 0x80, 0x80, 0x80, 0x80}));
  EXPECT_FALSE(utf8({0xfe}));
  EXPECT_FALSE(utf8({0xff}));
}

TEST(Utf8, RejectsTruncatedAndMisplacedBytes) {
  EXPECT_FALSE(utf8({0xc2}));
  EXPECT_FALSE(utf8({0xe2, 0x82}));
  EXPECT_FALSE(utf8({0xf0, 0x90, 0x80}));
  EXPECT_FALSE(utf8({'a', 0xf0}));
  EXPECT_FALSE(utf8({0x80}));  // lone continuation byte
  EXPECT_FALSE(utf8({0xbf, 'a'}));
  EXPECT_FALSE(utf8({0xc2, 'a'}));  // continuation expected
  EXPECT_FALSE(utf8({0xe2, 0x82, 0xc0}));
  EXPECT_FALSE(utf8({0xf0, 0x90, 0x80, 0x7f}));
}

TEST(Reader, ReadNameAcceptsUtf8) {
  std::vector<uint8_t> bytes = Bytes().name("h\xc3\xa9llo").u8(0xaa);
  Reader r(bytes, 0);
  std::string name;
  ASSERT_TRUE(r.read_name(name));
  EXPECT_EQ(name, "h\xc3\xa9llo");
  EXPECT_EQ(r.pos(), bytes.size() - 1);
}

TEST(Reader, ReadNameRejectsBadUtf8AtTheNameBytes) {
  std::vector<uint8_t> bytes = Bytes().u8(0xaa).name("ab\xed\xa0\x80");
  Reader r(bytes, kBase);
  uint8_t skip;
  ASSERT_TRUE(r.read_u8(skip));
  std::string name;
  EXPECT_FALSE(r.read_name(name));
  EXPECT_EQ(r.error().message, "malformed UTF-8 encoding");
  EXPECT_EQ(r.error().offset, kBase + 2);  // after the length byte
}

TEST(Reader, ReadNameLengthBeyondInput) {
  std::vector<uint8_t> bytes = {0x05, 'a', 'b'};
  Reader r(bytes, kBase);
  std::string name;
  EXPECT_FALSE(r.read_name(name));
  EXPECT_NE(r.error().message.find("length out of bounds"), std::string::npos);
  EXPECT_EQ(r.error().offset, kBase + 1);

  std::vector<uint8_t> huge = Bytes().uleb(UINT32_MAX).raw({'a'});
  Reader h(huge, 0);
  EXPECT_FALSE(h.read_name(name));
  EXPECT_NE(h.error().message.find("length out of bounds"), std::string::npos);
}

}  // namespace
}  // namespace loom
