// ByteWriter (LEB128, types) and encode_module details that the round-trip tests do not pin down:
// section order, custom section placement, segment flag encodings, the generated name section.
#include <gtest/gtest.h>

#include "binary/decoder.hpp"
#include "binary/encoder.hpp"
#include "binary/name_section.hpp"
#include "binary/reader.hpp"
#include "binary/writer.hpp"
#include "text/wat.hpp"

namespace loom {
namespace {

using B = std::vector<uint8_t>;

TEST(Writer, Leb128) {
  auto u = [](uint64_t v) {
    B out;
    append_uleb(out, v);
    return out;
  };
  auto s = [](int64_t v) {
    B out;
    append_sleb(out, v);
    return out;
  };
  EXPECT_EQ(u(0), B{0x00});
  EXPECT_EQ(u(127), B{0x7f});
  EXPECT_EQ(u(128), (B{0x80, 0x01}));
  EXPECT_EQ(u(0xffffffff), (B{0xff, 0xff, 0xff, 0xff, 0x0f}));
  EXPECT_EQ(u(UINT64_MAX).size(), 10u);
  EXPECT_EQ(s(0), B{0x00});
  EXPECT_EQ(s(-1), B{0x7f});
  EXPECT_EQ(s(63), B{0x3f});
  EXPECT_EQ(s(64), (B{0xc0, 0x00}));
  EXPECT_EQ(s(-64), B{0x40});
  EXPECT_EQ(s(-65), (B{0xbf, 0x7f}));
  EXPECT_EQ(s(INT32_MIN), (B{0x80, 0x80, 0x80, 0x80, 0x78}));
  EXPECT_EQ(s(INT64_MIN).size(), 10u);
  // Everything written reads back with the decoder's reader.
  for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{INT32_MAX}, int64_t{INT32_MIN},
                    INT64_MAX, INT64_MIN, int64_t{-8193}, int64_t{8192}}) {
    B bytes = s(v);
    Reader r(bytes);
    int64_t back = 0;
    ASSERT_TRUE(r.read_s64(back));
    EXPECT_EQ(back, v);
  }
}

TEST(Writer, Types) {
  B out;
  ByteWriter w(out);
  w.val_type(ValKind::I32);
  w.val_type(ValKind::V128);
  w.val_type(ValType::funcref());
  w.val_type(ValType::externref());
  w.val_type(ValType::ref(HeapType::abstract(AbsHeap::Func), false));
  w.val_type(ValType::ref(HeapType::index(3), true));
  EXPECT_EQ(out, (B{0x7f, 0x7b, 0x70, 0x6f, 0x64, 0x70, 0x63, 0x03}));
  out.clear();
  w.limits(Limits{1, 2, false, false});
  w.limits(Limits{1, std::nullopt, false, true});
  EXPECT_EQ(out, (B{0x01, 0x01, 0x02, 0x04, 0x01}));
  out.clear();
  out.push_back(0xaa);
  const size_t start = w.begin_sized();
  for (int i = 0; i < 200; ++i) w.u8(0);
  w.end_sized(start);
  EXPECT_EQ(out.size(), 1 + 2 + 200u);
  EXPECT_EQ(out[1], 0xc8);
  EXPECT_EQ(out[2], 0x01);
}

B encode_text(std::string_view wat, EncodeOptions options = {}) {
  auto m = parse_wat(wat);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().to_string());
  return m.ok() ? encode_module(*m, options) : B{};
}

TEST(Encoder, CustomSectionsKeepTheirPlace) {
  // A binary with a custom section before the type section and one after the code section.
  const B input = {0,  'a', 's', 'm',  1, 0,    0, 0, 0, 4, 1, 'a', 9, 9,  // custom "a" first
                   1,  4,   1,   0x60, 0, 0,                               // type
                   3,  2,   1,   0,                                        // function
                   10, 4,   1,   2,    0, 0x0b,                            // code
                   0,  3,   1,   'z',  7};                                 // custom "z" last
  auto m = decode_module(input);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(encode_module(*m), input);
  EncodeOptions no_customs;
  no_customs.write_customs = false;
  EXPECT_EQ(encode_module(*m, no_customs).size(), input.size() - 6 - 5);
}

TEST(Encoder, SegmentFlags) {
  // Flags as wat2wasm picks them: 0 (table 0, funcref indices), 2 (other table), 1 passive,
  // 3 declarative, 4-7 with expressions; data 0/1/2.
  auto m = parse_wat(R"((table 1 funcref) (table $t 1 funcref) (memory 1) (memory $m 1) (func $f)
    (elem (i32.const 0) $f) (elem (table $t) (i32.const 0) func $f) (elem func $f)
    (elem declare func $f) (elem (i32.const 0) funcref (ref.null func))
    (data (i32.const 0) "a") (data "b") (data (memory $m) (i32.const 0) "c"))");
  Features multi;
  multi.set(Feature::MultiMemory, true);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  ASSERT_EQ(m->elems.size(), 5u);
  EXPECT_EQ(m->elems[0].flags, 0u);
  EXPECT_EQ(m->elems[1].flags, 2u);
  EXPECT_EQ(m->elems[2].flags, 1u);
  EXPECT_EQ(m->elems[3].flags, 3u);
  EXPECT_EQ(m->elems[4].flags, 4u);
  EXPECT_EQ(m->datas[0].flags, 0u);
  EXPECT_EQ(m->datas[1].flags, 1u);
  EXPECT_EQ(m->datas[2].flags, 2u);
  auto decoded = decode_module(encode_module(*m), multi);
  ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(decoded->elems[i].flags, m->elems[i].flags);
  EXPECT_EQ(decoded->datas[2].memory, 1u);
}

TEST(Encoder, NameSectionFromIds) {
  auto m = parse_wat("(module $mod (func $a (param $p i32) (local $l i64)) (func) (func $c))");
  ASSERT_TRUE(m.ok());
  auto decoded = decode_module(encode_module(*m));
  ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
  EXPECT_EQ(decoded->names.module, "mod");
  EXPECT_EQ(decoded->func_name(0), "a");
  EXPECT_EQ(decoded->func_name(1), "");
  EXPECT_EQ(decoded->func_name(2), "c");
  ASSERT_EQ(decoded->names.locals.size(), 1u);
  EXPECT_EQ(decoded->names.locals[0].second, (NameMap{{0, "p"}, {1, "l"}}));
  EncodeOptions no_names;
  no_names.write_names = false;
  EXPECT_EQ(encode_text("(func $a)", no_names), encode_text("(func)", no_names));
}

}  // namespace
}  // namespace loom
