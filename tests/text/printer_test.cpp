// Printer: exact literals, and print -> parse round trips over the whole 2.0 testsuite.
#include "text/printer.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>

#include "binary/decoder.hpp"
#include "binary/encoder.hpp"
#include "support/wasm_builder.hpp"
#include "testsuite_util.hpp"
#include "text/literals.hpp"
#include "text/text_sink.hpp"
#include "text/wast.hpp"
#include "text/wat.hpp"

namespace loom {
namespace {

TEST(Printer, FloatLiteralsReadBackExactly) {
  const uint32_t f32s[] = {0,          0x80000000, 0x3f800000, 0x7f7fffff, 1,          0x7fffff,
                           0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0x3dcccccd};
  for (uint32_t bits : f32s) {
    const std::string text = text::f32_literal(bits);
    uint32_t back = 0;
    ASSERT_EQ(text::parse_f32(text, back), text::LiteralStatus::Ok) << text;
    EXPECT_EQ(back, bits) << text;
  }
  const uint64_t f64s[] = {0,
                           0x8000000000000000,
                           1,
                           0x7fefffffffffffff,
                           0x3fb999999999999a,
                           0x7ff8000000000000,
                           0x7ff0000000000001,
                           0xfff0000000000000};
  for (uint64_t bits : f64s) {
    const std::string text = text::f64_literal(bits);
    uint64_t back = 0;
    ASSERT_EQ(text::parse_f64(text, back), text::LiteralStatus::Ok) << text;
    EXPECT_EQ(back, bits) << text;
  }
  EXPECT_EQ(text::f32_literal(0x3dcccccd), "0.1");
  EXPECT_EQ(text::f64_literal(0x7ff8000000000000), "nan");
  EXPECT_EQ(text::f32_literal(0xff800001), "-nan:0x1");
}

TEST(Printer, StringsAndIds) {
  EXPECT_EQ(text::quote_string("a\"b\\c\n\xff"), "\"a\\22b\\5cc\\0a\\ff\"");
  EXPECT_EQ(text::id_for_name("f"), "$f");
  EXPECT_EQ(text::id_for_name("a b"), "$\"a b\"");
}

TEST(Printer, SmallModule) {
  auto m = parse_wat(R"wat((module $m
    (func $add (export "add") (param $a i32) (param i32) (result i32)
      (local $t i64)
      (if (result i32) (local.get $a) (then (i32.const 1)) (else (i32.add (local.get 1) (i32.const -2)))))
    (memory 1) (data (i32.const 8) "hi\00")))wat");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  auto decoded = decode_module(encode_module(*m));
  ASSERT_TRUE(decoded.ok());
  auto flat = print_module(*decoded);
  ASSERT_TRUE(flat.ok());
  EXPECT_EQ(*flat, R"txt((module $m
  (type (;0;) (func (param i32 i32) (result i32)))
  (func $add (;0;) (type 0) (param $a i32) (param i32) (result i32)
    (local $t i64)
    local.get $a
    if (result i32)
      i32.const 1
    else
      local.get 1
      i32.const -2
      i32.add
    end)
  (memory (;0;) 1)
  (export "add" (func $add))
  (data (;0;) (offset i32.const 8) "hi\00"))
)txt");
  PrintOptions folded;
  folded.folded = true;
  auto f = print_module(*decoded, folded);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, R"txt((module $m
  (type (;0;) (func (param i32 i32) (result i32)))
  (func $add (;0;) (type 0) (param $a i32) (param i32) (result i32)
    (local $t i64)
    (if (result i32)
      (local.get $a)
      (then
        (i32.const 1))
      (else
        (i32.add
          (local.get 1)
          (i32.const -2)))))
  (memory (;0;) 1)
  (export "add" (func $add))
  (data (;0;) (offset i32.const 8) "hi\00"))
)txt");
}

TEST(Printer, FoldingKeepsOrderAndBoundsDepth) {
  // Operands fold only from single-value expressions; a multi-value call stays a statement.
  auto m = parse_wat(R"txt((module
    (func $two (result i32 i32) (i32.const 1) (i32.const 2))
    (func (result i32) (call $two) (i32.add) (i32.const 3) (i32.mul)))
  )txt");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  auto decoded = decode_module(encode_module(*m));
  ASSERT_TRUE(decoded.ok());
  PrintOptions folded;
  folded.folded = true;
  auto text = print_module(*decoded, folded);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("(call $two)\n    (i32.mul\n      (i32.add)\n      (i32.const 3))"),
            std::string::npos)
      << *text;
  // 10,000 nested operands print without deep recursion and read back the same.
  std::string deep = "(func (result i32) ";
  for (int i = 0; i < 10000; ++i) deep += "(i32.eqz ";
  deep += "(i32.const 0)";
  for (int i = 0; i < 10000; ++i) deep += ")";
  auto d = parse_wat(deep + ")");
  ASSERT_TRUE(d.ok());
  const auto bytes = encode_module(*d);
  auto dm = decode_module(bytes);
  ASSERT_TRUE(dm.ok());
  auto deep_text = print_module(*dm, folded);
  ASSERT_TRUE(deep_text.ok());
  auto back = parse_wat(*deep_text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(encode_module(*back), bytes);
}

// --- Finding 5 of the sandbox hardening: `loom print` output and memory blew up ---

// `depth` nested empty blocks in one function: 3 bytes of code per level.
Module nested_blocks(int depth) {
  test::Bytes code;
  for (int i = 0; i < depth; ++i) code.u8(test::op::kBlock).u8(test::kEmptyBlock);
  for (int i = 0; i <= depth; ++i) code.u8(test::op::kEnd);
  auto m = decode_module(test::module_with_body(code));
  EXPECT_TRUE(m.ok());
  return std::move(*m);
}

// Not counting the closing parens at the end of a line (folded blocks close all on one line).
size_t longest_line(const std::string& text) {
  size_t longest = 0, start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    size_t last = end;
    while (last > start && text[last - 1] == ')') --last;
    longest = std::max(longest, last - start);
    start = end + 1;
  }
  return longest;
}

TEST(Printer, Finding5NestedBlocksPrintLinearInInput) {
  // 13,000 levels (a 39 KB module) printed 350 MB before indentation was capped.
  const Module m = nested_blocks(13000);
  for (bool folded : {false, true}) {
    PrintOptions options;
    options.folded = folded;
    auto text = print_module(m, options);
    ASSERT_TRUE(text.ok());
    EXPECT_LT(text->size(), 64 * m.bytes.size()) << "folded " << folded;
    // 40 levels of two spaces, then `(block` or `end`.
    EXPECT_LE(longest_line(*text), 2 * text::TextSink::kMaxIndentDepth + 8) << "folded " << folded;
    auto back = parse_wat(*text);
    ASSERT_TRUE(back.ok()) << back.error().to_string();
    EXPECT_EQ(encode_module(*back), m.bytes) << "folded " << folded;
  }
}

TEST(Printer, Finding5IndentationStopsAtTheCap) {
  const Module m = nested_blocks(100);
  auto text = print_module(m);
  ASSERT_TRUE(text.ok());
  const std::string capped = "\n" + std::string(2 * text::TextSink::kMaxIndentDepth, ' ');
  EXPECT_NE(text->find(capped + "block"), std::string::npos);
  EXPECT_EQ(text->find(capped + " "), std::string::npos);
}

TEST(Printer, Finding5StreamsToOstreamAndFile) {
  const Module m = nested_blocks(50);
  auto text = print_module(m);
  ASSERT_TRUE(text.ok());
  std::ostringstream out;
  ASSERT_TRUE(print_module(m, out).ok());
  EXPECT_EQ(out.str(), *text);
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  ASSERT_TRUE(print_module(m, file).ok());
  std::rewind(file);
  std::string from_file(text->size() + 1, '\0');
  from_file.resize(std::fread(from_file.data(), 1, from_file.size(), file));
  std::fclose(file);
  EXPECT_EQ(from_file, *text);
  // A failing stream is an I/O error, not a crash or a silent success.
  std::ostringstream broken;
  broken.setstate(std::ios::badbit);
  auto failed = print_module(m, broken);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().kind, ErrorKind::Io);
}

TEST(Printer, Finding5LocalsPrintAsDeclared) {
  auto m = decode_module(
      test::module_with_body(test::Bytes{test::op::kEnd}, {{3, test::kI32}, {2, test::kF64}}));
  ASSERT_TRUE(m.ok());
  auto text = print_module(*m);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("\n    (local i32 i32 i32)\n    (local f64 f64))"), std::string::npos)
      << *text;
}

TEST(Printer, Finding5LocalsBeyondTheLimitAreRefusedBeforeWriting) {
  // 60,000 locals in one declaration (three bytes of binary) would print 240 KB; the decoder
  // refuses them (function-locals), and so does the printer for a module made some other way.
  auto m = decode_module(test::module_with_body(test::Bytes{test::op::kEnd}, {{1, test::kI32}}));
  ASSERT_TRUE(m.ok());
  m->bodies[0].locals[0].count = 60000;
  m->bodies[0].local_count = 60000;
  std::ostringstream out;
  auto printed = print_module(*m, out);
  ASSERT_FALSE(printed.ok());
  EXPECT_NE(printed.error().message.find("function-locals = 50000"), std::string::npos)
      << printed.error().message;
  EXPECT_EQ(out.str(), "");
  m->bodies[0].locals[0].count = 50000;  // exactly the limit prints
  m->bodies[0].local_count = 50000;
  auto at_limit = print_module(*m);
  ASSERT_TRUE(at_limit.ok());
  EXPECT_LT(at_limit->size(), 50000 * 4 + 200);
}

TEST(Printer, Finding5BlockTypesDoNotRepeatTheSignature) {
  // A block of type (param i32 i32 i32) (result i32 i32 i32) is 3 bytes; it prints as (type 1).
  test::ModuleBuilder mb;
  mb.section(
      test::kTypeSection,
      test::vec({test::func_type({}, {}), test::func_type({test::kI32, test::kI32, test::kI32},
                                                          {test::kI32, test::kI32, test::kI32})}));
  mb.section(test::kFunctionSection, test::vec_u32({0}));
  mb.section(test::kCodeSection,
             test::vec({test::body(
                 {}, test::Bytes{test::op::kBlock, 1, test::op::kEnd, test::op::kEnd})}));
  auto m = decode_module(mb.bytes());
  ASSERT_TRUE(m.ok());
  auto text = print_module(*m);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("\n    block (type 1)\n    end)"), std::string::npos) << *text;
}

TEST(Printer, Finding5DecodeErrorsWriteNothing) {
  // The body's second instruction is an unknown opcode: the error comes before any output.
  auto m = decode_module(test::module_with_body(test::Bytes{test::op::kNop, 0xff, test::op::kEnd}));
  ASSERT_TRUE(m.ok());
  std::ostringstream out;
  EXPECT_FALSE(print_module(*m, out).ok());
  EXPECT_EQ(out.str(), "");
}

// parse -> encode -> decode -> print -> parse -> encode reproduces the binary (names included).
void round_trip_all(bool folded, const std::vector<std::string>& files) {
  if (files.empty()) GTEST_SKIP() << "spec testsuite not found";
  size_t checked = 0;
  PrintOptions options;
  options.folded = folded;
  for (const std::string& path : files) {
    std::string src;
    ASSERT_TRUE(testing::read_file(path, src));
    auto script = text::parse_wast(src);
    ASSERT_TRUE(script.ok());
    for (const text::WastCommand& cmd : script->commands) {
      if (!cmd.module || cmd.module->kind == text::WastModule::Kind::Binary) continue;
      if (cmd.kind == text::WastCommand::Kind::AssertMalformed) continue;
      auto m1 = text::parse_wat(cmd.module->text, Features(), {cmd.module->line, cmd.module->col});
      if (!m1.ok()) continue;
      const auto bytes1 = encode_module(*m1);
      auto decoded = decode_module(bytes1, Features::all());
      if (!decoded.ok()) continue;  // e.g. an assert_invalid module with a 64-bit offset
      auto wat = print_module(*decoded, options);
      ASSERT_TRUE(wat.ok()) << path << ":" << cmd.line << ": " << wat.error().to_string();
      auto m2 = parse_wat(*wat);
      ASSERT_TRUE(m2.ok()) << path << ":" << cmd.line << ": " << m2.error().to_string() << "\n"
                           << *wat;
      const auto bytes2 = encode_module(*m2);
      size_t diff = 0;
      while (diff < bytes1.size() && diff < bytes2.size() && bytes1[diff] == bytes2[diff]) ++diff;
      EXPECT_EQ(bytes2, bytes1) << path << ":" << cmd.line << ": first difference at byte " << diff
                                << "\n"
                                << *wat;
      ++checked;
    }
  }
  std::printf("printer round trip (%s): %zu modules\n", folded ? "folded" : "flat", checked);
}

TEST(Printer, RoundTripTestsuiteFlat) {
  round_trip_all(false, testing::wasm2_files());
}
TEST(Printer, RoundTripTestsuiteFolded) {
  round_trip_all(true, testing::wasm2_files());
}
// The required 3.0 files (tests/spec/files-3.0.txt): typed references, GC types, memory64.
TEST(Printer, RoundTripTestsuite30Flat) {
  round_trip_all(false, testing::wasm3_files());
}
TEST(Printer, RoundTripTestsuite30Folded) {
  round_trip_all(true, testing::wasm3_files());
}

}  // namespace
}  // namespace loom
