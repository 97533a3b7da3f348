// WAT parser: each abbreviation is checked against its unabbreviated form (both must encode to
// the same binary), plus direct checks of encodings, names and errors.
#include <gtest/gtest.h>

#include "binary/encoder.hpp"
#include "text/wat.hpp"

namespace loom {
namespace {

std::vector<uint8_t> encode(std::string_view wat) {
  auto m = parse_wat(wat);
  EXPECT_TRUE(m.ok()) << wat << "\n" << (m.ok() ? "" : m.error().to_string());
  if (!m.ok()) return {};
  EncodeOptions o;
  o.write_customs = false;
  return encode_module(*m, o);
}

// The function body bytes (locals and code) of function 0 of a module.
std::vector<uint8_t> code(std::string_view wat) {
  auto m = parse_wat(wat);
  EXPECT_TRUE(m.ok()) << wat << "\n" << (m.ok() ? "" : m.error().to_string());
  if (!m.ok() || m->bodies.empty()) return {};
  auto s = m->slice(m->bodies[0].code);
  return {s.begin(), s.end()};
}

void expect_same(std::string_view a, std::string_view b) {
  EXPECT_EQ(encode(a), encode(b)) << a << "\n  vs\n" << b;
}

Error error_of(std::string_view wat) {
  auto m = parse_wat(wat);
  EXPECT_FALSE(m.ok()) << "accepted: " << wat;
  return m.ok() ? Error{} : m.error();
}

using B = std::vector<uint8_t>;

TEST(WatParser, EmptyModule) {
  EXPECT_EQ(encode("(module)"), (B{0, 'a', 's', 'm', 1, 0, 0, 0}));
  EXPECT_EQ(encode(""), encode("(module)"));
  EXPECT_EQ(encode("(module $m)"), encode("(module)"));
}

TEST(WatParser, InlineExportsAndImports) {
  expect_same("(func (export \"a\") (export \"b\"))",
              "(func $f) (export \"a\" (func $f)) (export \"b\" (func $f))");
  expect_same("(func (import \"m\" \"f\") (param i32))",
              "(type (func (param i32))) (import \"m\" \"f\" (func (type 0)))");
  expect_same("(global (export \"g\") (import \"m\" \"g\") (mut i32))",
              "(import \"m\" \"g\" (global $g (mut i32))) (export \"g\" (global $g))");
  expect_same("(table (import \"m\" \"t\") 1 funcref)", "(import \"m\" \"t\" (table 1 funcref))");
  expect_same("(memory (export \"m\") (import \"m\" \"m\") 1 2)",
              "(import \"m\" \"m\" (memory 1 2)) (export \"m\" (memory 0))");
}

TEST(WatParser, ImplicitTypesAppendedInOrderOfUse) {
  // Inline signatures reuse a matching explicit type, wherever it is defined, and otherwise add
  // types after all explicit ones in order of first use.
  expect_same("(func (param i64)) (func (param i32)) (type (func (param i32)))",
              "(type (func (param i32))) (type (func (param i64)))"
              "(func (type 1)) (func (type 0))");
  expect_same(
      "(func (result i32) (i32.const 0)) (func (call_indirect (param f32) (f32.const 0)))"
      "(table 0 funcref)",
      "(type (func (result i32))) (type (func)) (type (func (param f32)))"
      "(func (type 0) (i32.const 0)) (func (type 1) (call_indirect (type 2) (f32.const 0)))"
      "(table 0 funcref)");
  expect_same("(func)", "(type (func)) (func (type 0))");
}

TEST(WatParser, TypeUseMismatchIsAnError) {
  error_of("(type (func (param i32))) (func (type 0) (param i64))");
  // Matching inline signature is fine.
  encode(
      "(type $t (func (param i32) (result i32))) (func (type $t) (param i32) (result i32) "
      "local.get 0)");
}

TEST(WatParser, FoldedInstructions) {
  expect_same("(func (result i32) (i32.add (i32.const 1) (i32.mul (i32.const 2) (i32.const 3))))",
              "(func (result i32) i32.const 1 i32.const 2 i32.const 3 i32.mul i32.add)");
  expect_same("(func (block $b (loop $l (br_if $l (i32.const 0)) (br $b))))",
              "(func block $b loop $l i32.const 0 br_if $l br $b end end)");
}

TEST(WatParser, IfThenElse) {
  expect_same(
      "(func (result i32) (if (result i32) (i32.const 1) (then (i32.const 2)) "
      "(else (i32.const 3))))",
      "(func (result i32) i32.const 1 if (result i32) i32.const 2 else i32.const 3 end)");
  expect_same("(func (if (i32.const 1) (then nop)))", "(func i32.const 1 if nop end)");
  // An empty else arm is left out.
  expect_same("(func (if (i32.const 1) (then nop) (else)))", "(func i32.const 1 if nop end)");
  expect_same("(func i32.const 1 if $l else $l end $l)", "(func i32.const 1 if end)");
  // The condition of a folded if is outside the if's label scope.
  EXPECT_EQ(code("(func (block $out (if $l (br_if 0 (i32.const 1)) (then (br $l)))))"),
            (B{0x02, 0x40, 0x41, 0x01, 0x0d, 0x00, 0x04, 0x40, 0x0c, 0x00, 0x0b, 0x0b, 0x0b}));
}

TEST(WatParser, Labels) {
  EXPECT_EQ(code("(func block $a block $b br $a br $b br 0 end end)"),
            (B{0x02, 0x40, 0x02, 0x40, 0x0c, 0x01, 0x0c, 0x00, 0x0c, 0x00, 0x0b, 0x0b, 0x0b}));
  // Shadowing: the innermost label of a name wins.
  EXPECT_EQ(code("(func block $a block $a br $a end end)"),
            (B{0x02, 0x40, 0x02, 0x40, 0x0c, 0x00, 0x0b, 0x0b, 0x0b}));
  EXPECT_EQ(code("(func (br_table 0 1 0 (i32.const 0)))")[0], 0x41);
  error_of("(func block $a end $b)");
  error_of("(func block end $a)");
  error_of("(func br $nope)");
}

TEST(WatParser, BlockTypes) {
  EXPECT_EQ(code("(func (block (result i32) (i32.const 0)) drop)"),
            (B{0x02, 0x7f, 0x41, 0x00, 0x0b, 0x1a, 0x0b}));
  // Multi-value blocks use a type index (added implicitly).
  auto m = parse_wat("(func (block (param i32) (result i32 i32) (i32.const 0) drop))");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->types.size(), 2u);
  error_of("(func (block (param $x i32)))");  // no parameter names in block types
}

TEST(WatParser, Locals) {
  auto m = parse_wat(
      "(func $f (param $a i32) (param f32) (local $x i64) (local i64 f64) "
      "local.get $a local.get $x local.get 3 drop drop drop)");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  ASSERT_EQ(m->bodies[0].locals.size(), 2u);
  EXPECT_EQ(m->bodies[0].locals[0].count, 2u);  // runs of the same type are merged
  EXPECT_EQ(m->bodies[0].local_count, 3u);
  auto body = m->slice(m->bodies[0].code);
  EXPECT_EQ(B(body.begin(), body.end()),
            (B{0x20, 0x00, 0x20, 0x02, 0x20, 0x03, 0x1a, 0x1a, 0x1a, 0x0b}));
  ASSERT_EQ(m->names.functions.size(), 1u);
  EXPECT_EQ(m->names.functions[0].second, "f");
  ASSERT_EQ(m->names.locals.size(), 1u);
  EXPECT_EQ(m->names.locals[0].second.size(), 2u);
  error_of("(func (param $a i32) (local $a i32))");
  error_of("(func local.get $nope)");
}

TEST(WatParser, ForwardReferences) {
  expect_same("(func call $g) (func $g)", "(func call 1) (func)");
  expect_same("(func global.get $g drop) (global $g i32 (i32.const 0))",
              "(func global.get 0 drop) (global i32 (i32.const 0))");
}

TEST(WatParser, MemoryAndDataAbbreviations) {
  expect_same("(memory (data \"ab\" \"c\"))",
              "(memory 1 1) (data (memory 0) (offset i32.const 0) \"abc\")");
  expect_same("(memory 0) (memory $m (data))", "(memory 0) (memory 0 0) (data 1 (i32.const 0))");
  expect_same("(memory 1) (data (i32.const 8) \"x\")",
              "(memory 1) (data 0 (offset (i32.const 8)) \"x\")");
  expect_same("(memory 1) (data $d \"x\") (func (data.drop $d))",
              "(memory 1) (data \"x\") (func (data.drop 0))");
  auto m = parse_wat("(memory (data \"" + std::string(70000, 'x') + "\"))");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->memories[0].limits.min, 2u);
}

TEST(WatParser, TableAndElemAbbreviations) {
  expect_same("(table funcref (elem $f $f)) (func $f)",
              "(table 2 2 funcref) (elem (table 0) (offset i32.const 0) func 0 0) (func)");
  expect_same("(table 1 funcref) (elem (i32.const 0) $f) (func $f)",
              "(table 1 funcref) (elem (table 0) (i32.const 0) func $f) (func $f)");
  // ref.func items of a funcref segment are written as indices, like `func` lists.
  expect_same("(elem funcref (ref.func $f) (item ref.func $f)) (func $f)",
              "(elem func $f $f) (func $f)");
  auto m = parse_wat(
      "(elem funcref (ref.null func)) (elem declare func $f) (func $f)"
      "(table 1 externref) (elem (table 0) (i32.const 0) externref (ref.null extern))");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->elems[0].flags, 5u);
  EXPECT_EQ(m->elems[1].flags, 3u);
  EXPECT_EQ(m->elems[2].flags, 6u);
}

TEST(WatParser, Select) {
  EXPECT_EQ(code("(func (select (i32.const 1) (i32.const 2) (i32.const 0)) drop)")[6], 0x1b);
  EXPECT_EQ(code("(func (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0)) drop)"),
            (B{0x41, 0x01, 0x41, 0x02, 0x41, 0x00, 0x1c, 0x01, 0x7f, 0x1a, 0x0b}));
}

TEST(WatParser, MemArgs) {
  EXPECT_EQ(code("(memory 1) (func (i32.load (i32.const 0)) drop)"),
            (B{0x41, 0x00, 0x28, 0x02, 0x00, 0x1a, 0x0b}));
  EXPECT_EQ(code("(memory 1) (func (i64.load8_u offset=0x10 align=1 (i32.const 0)) drop)"),
            (B{0x41, 0x00, 0x31, 0x00, 0x10, 0x1a, 0x0b}));
  error_of("(memory 1) (func (i32.load align=3 (i32.const 0)) drop)");
  error_of("(memory 1) (func (i32.load align=0 (i32.const 0)) drop)");
}

TEST(WatParser, Simd) {
  EXPECT_EQ(
      code("(func (v128.const i32x4 1 2 3 -1) drop)"),
      (B{0xfd, 0x0c, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x1a, 0x0b}));
  expect_same("(func (v128.const i8x16 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0x80) drop)",
              "(func (v128.const i16x8 1 0 0 0 0 0 0 0x8000) drop)");
  expect_same("(func (v128.const f32x4 1 1 1 1) drop)",
              "(func (v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000) drop)");
  auto shuffle = code(
      "(func (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 "
      "(v128.const i64x2 0 0) (v128.const i64x2 0 0)) drop)");
  ASSERT_EQ(shuffle.size(), 2 * 18 + 18 + 2u);
  EXPECT_EQ(shuffle[36], 0xfd);
  EXPECT_EQ(shuffle[37], 0x0d);
  EXPECT_EQ(shuffle[53], 31);
  EXPECT_EQ(code("(func (i8x16.extract_lane_u 15 (v128.const i64x2 0 0)) drop)")[18 + 2], 15);
  EXPECT_EQ(code("(memory 1) (func (v128.load8_lane offset=1 3 (i32.const 0) "
                 "(v128.const i64x2 0 0)) drop)")
                .size(),
            2 + 18 + 2 + 2 + 1 + 1 + 1u);  // operands, prefix+op, memarg, lane, drop, end
  error_of("(func (v128.const i32x4 1 2 3) drop)");
  error_of("(func (i8x16.extract_lane_u 256 (v128.const i64x2 0 0)) drop)");
}

TEST(WatParser, BulkAndReferenceInstructions) {
  EXPECT_EQ(code("(memory 1) (data \"\") (func (memory.init 0 (i32.const 0) (i32.const 0) "
                 "(i32.const 0)))")
                .size(),
            6 + 4 + 1u);
  expect_same(
      "(table $t 1 funcref) (table $u 1 funcref) (elem $e func) "
      "(func (table.init $u $e (i32.const 0) (i32.const 0) (i32.const 0)))",
      "(table 1 funcref) (table 1 funcref) (elem func) "
      "(func (table.init 1 0 (i32.const 0) (i32.const 0) (i32.const 0)))");
  expect_same(
      "(table 1 funcref) (func (table.copy (i32.const 0) (i32.const 0) (i32.const 0)))",
      "(table 1 funcref) (func (table.copy 0 0 (i32.const 0) (i32.const 0) (i32.const 0)))");
  EXPECT_EQ(code("(func (ref.null extern) drop)"), (B{0xd0, 0x6f, 0x1a, 0x0b}));
}

TEST(WatParser, Errors) {
  struct Case {
    const char* wat;
    const char* message;
  };
  const Case cases[] = {
      {"(func (i32.add)", "unclosed"},
      {"(func))", "unexpected ')'"},
      {"(func (i32.const))", "expected an integer"},
      {"(func (i32.const 0x1_0000_0000) drop)", "constant out of range"},
      {"(func (f32.const 0x1p128) drop)", "constant out of range"},
      {"(func (i32.foo))", "unknown operator"},
      {"(func (call $nope))", "unknown function"},
      {"(func $f) (func $f)", "duplicate identifier"},
      {"(func) (import \"m\" \"f\" (func))", "import after definition"},
      {"(memory 1) (import \"m\" \"t\" (table 1 funcref))", "import after definition"},
      {"(funky)", "unknown module field"},
      {"(func block)", "expected 'end'"},
      {"(func end)", "unexpected 'end'"},
      {"(func (if (i32.const 0) (i32.const 0)))", "expected '(then'"},
      {"(func (i32.add i32.const 1))", "must be folded"},
      {"(import \"\\ff\" \"x\" (func))", "malformed UTF-8"},
      {"(func $\"a\" $b)", "unexpected token"},
      {"(start 0) (start 0) (func)", "multiple start"},
      {"(global i32 (i32.const 0) (", "unclosed"},
      {"garbage", "expected a module field"},
  };
  for (const Case& c : cases) {
    Error e = error_of(c.wat);
    EXPECT_NE(e.message.find(c.message), std::string::npos)
        << c.wat << " -> " << e.message << " (wanted: " << c.message << ")";
    EXPECT_TRUE(e.line.has_value()) << c.wat;
  }
  // The position points at the offending token, and the message quotes it.
  Error e = error_of("(module\n  (func\n    (i32.bogus)))");
  EXPECT_EQ(e.line, 3u);
  EXPECT_EQ(e.col, 6u);
  EXPECT_NE(e.message.find("i32.bogus"), std::string::npos);
}

TEST(WatParser, DeepNestingDoesNotRecurse) {
  constexpr int kDepth = 50000;
  std::string folded = "(func ";
  for (int i = 0; i < kDepth; ++i) folded += "(block ";
  for (int i = 0; i < kDepth; ++i) folded += ")";
  folded += ")";
  auto m = parse_wat(folded);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->bodies[0].code.size(), 3u * kDepth + 1);

  std::string plain = "(func ";
  for (int i = 0; i < kDepth; ++i) plain += "block ";
  for (int i = 0; i < kDepth; ++i) plain += "end ";
  plain += ")";
  EXPECT_TRUE(parse_wat(plain).ok());

  std::string ops = "(func (result i32) ";
  for (int i = 0; i < kDepth; ++i) ops += "(i32.eqz ";
  ops += "(i32.const 0)";
  for (int i = 0; i < kDepth; ++i) ops += ")";
  ops += ")";
  EXPECT_TRUE(parse_wat(ops).ok());

  // Deeply nested garbage is an error, not a crash.
  std::string parens(kDepth, '(');
  EXPECT_FALSE(parse_wat(parens).ok());
  EXPECT_FALSE(parse_wat(parens + std::string(kDepth, ')')).ok());
}

TEST(WatParser, GarbageNeverCrashes) {
  const char* inputs[] = {"(",
                          ")",
                          "(module",
                          "(module (func (block",
                          "\"",
                          "(;",
                          "$",
                          "(func (i32.const",
                          "(module (func (if (then) (else) (else))))",
                          "(module (elem (table",
                          "(data (memory 0) \"x\")",
                          "(func (br_table))",
                          "(type (func (param $x)))",
                          "(func (local.get 99999999999))",
                          "(memory 1 2 3)",
                          "(func (v128.const i8x16))",
                          "(table 1 anyref)"};
  for (const char* s : inputs) EXPECT_FALSE(parse_wat(s).ok()) << s;
}

// The parser lexes one field at a time; a lexical error anywhere must still win over a syntax
// error in an earlier field, with the message and position tokenize() gives.
TEST(WatParser, LexicalErrorsAsFromTokenizer) {
  const char* inputs[] = {
      "(module (func (block (block (block (nop)",
      "(module (func (block (block (block (nop))))",
      "(module (func bad_instr) (func (i32.const 1) \"\\q\"))",
      "(module (func $f) (func $f) (data \"\\u{D800}\"))",
      "(func (nop)) )",
      "(module) (func) [",
      "(module (func (; unclosed",
      "(module (type (func (param i32) (result i32)))",
  };
  for (const char* s : inputs) {
    auto tokens = text::tokenize(s);
    ASSERT_FALSE(tokens.ok()) << s;
    auto m = parse_wat(s);
    ASSERT_FALSE(m.ok()) << s;
    EXPECT_EQ(m.error().message, tokens.error().message) << s;
    EXPECT_EQ(m.error().line, tokens.error().line) << s;
    EXPECT_EQ(m.error().col, tokens.error().col) << s;
  }
}

TEST(WatParser, ModuleFollowedByMoreTextIsBareFields) {
  auto m = parse_wat("(module (func $f) (func $f)) (func)");
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("unknown module field"), std::string::npos);
  EXPECT_EQ(m.error().col, 2u);
  EXPECT_FALSE(parse_wat("(module) (module)").ok());
  EXPECT_FALSE(parse_wat("(module) x").ok());
  auto named = parse_wat("(module $\"m n\" (func (export \"f\") (result i32) (i32.const 1)))");
  ASSERT_TRUE(named.ok()) << named.error().to_string();
  EXPECT_EQ(named->names.module, "m n");
}

// simd_memory-multi.wast: a lane load/store may name its memory before the memarg and lane.
TEST(WatParser, LaneAccessTakesAMemoryIndex) {
  const char* two = "(module (memory 1) (memory $b 1) (func (param i32 v128) (result v128) ";
  // v128.load8_lane (0xfd 0x54) after the two local.gets: flags 0x40 (memory index follows), memory 1, offset, lane.
  EXPECT_EQ(code(std::string(two) + "(v128.load8_lane $b 3 (local.get 0) (local.get 1))))"),
            (B{0x20, 0x00, 0x20, 0x01, 0xfd, 0x54, 0x40, 0x01, 0x00, 0x03, 0x0b}));
  EXPECT_EQ(code(std::string(two) + "(v128.load8_lane 1 3 (local.get 0) (local.get 1))))"),
            code(std::string(two) + "(v128.load8_lane $b 3 (local.get 0) (local.get 1))))"));
  EXPECT_EQ(code(std::string(two) + "(v128.load8_lane 1 offset=0 3 (local.get 0) (local.get 1))))"),
            code(std::string(two) + "(v128.load8_lane $b 3 (local.get 0) (local.get 1))))"));
  // One number alone is the lane of memory 0.
  EXPECT_EQ(code(std::string(two) + "(v128.load8_lane 3 (local.get 0) (local.get 1))))"),
            (B{0x20, 0x00, 0x20, 0x01, 0xfd, 0x54, 0x00, 0x00, 0x03, 0x0b}));
}

// annotations.wast, comments.wast, id.wast: what the lexer must reject or accept.
TEST(WatParser, AnnotationContentsAreTokens) {
  EXPECT_TRUE(parse_wat("(module (@a x-y$yz\"aa\"-2 , ; ] [ }} (;c;) (@b (@c)) \")\"))").ok());
  EXPECT_FALSE(parse_wat(std::string("(module (@a \x01))")).ok());
  EXPECT_FALSE(parse_wat("(module (@a \x80))").ok());
  EXPECT_FALSE(parse_wat("(module (@a Hei\xc3\x9f))").ok());
  EXPECT_FALSE(parse_wat("(module (@ x))").ok());
  EXPECT_FALSE(parse_wat("(module (@\"\"))").ok());
  EXPECT_FALSE(parse_wat("(module (@\"\\ef\"))").ok());
  EXPECT_FALSE(parse_wat("(module (@x (y))").ok());
  EXPECT_FALSE(parse_wat("(module (func $\"\\ef\"))").ok());
  // A line comment ends at CR too.
  EXPECT_EQ(code("(module (func (result i32) (i32.const 1) ;; c\r (return (i32.const 2))))"),
            code("(module (func (result i32) (i32.const 1)\n (return (i32.const 2))))"));
}

}  // namespace
}  // namespace loom
