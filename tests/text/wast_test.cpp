#include "text/wast.hpp"

#include <gtest/gtest.h>

#include "text/wat.hpp"

namespace loom::text {
namespace {

using K = WastCommand::Kind;

WastScript parse(std::string_view src) {
  auto s = parse_wast(src);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().to_string());
  return s.ok() ? std::move(s.value()) : WastScript{};
}

TEST(Wast, ModuleForms) {
  auto s = parse(R"wast(
    (module $a (func (export "f")))
    (module binary "\00asm" "\01\00\00\00")
    (module $q quote "(func" ")")
    (module definition $d (memory 1))
    (module instance $i $d)
    (register "lib" $a))wast");
  ASSERT_EQ(s.commands.size(), 6u);
  const WastModule& text = *s.commands[0].module;
  EXPECT_EQ(text.kind, WastModule::Kind::Text);
  EXPECT_EQ(text.name, "a");
  EXPECT_EQ(text.text, "(func (export \"f\"))");
  EXPECT_EQ(text.line, 2u);
  EXPECT_TRUE(parse_wat(text.text, Features(), TextOrigin{text.line, text.col}).ok());
  EXPECT_EQ(s.commands[1].module->binary, (std::vector<uint8_t>{0, 'a', 's', 'm', 1, 0, 0, 0}));
  EXPECT_EQ(s.commands[2].module->kind, WastModule::Kind::Quote);
  EXPECT_EQ(s.commands[2].module->text, "(func)");
  EXPECT_TRUE(s.commands[3].module->definition);
  EXPECT_EQ(s.commands[4].kind, K::ModuleInstance);
  EXPECT_EQ(s.commands[4].instance, "i");
  EXPECT_EQ(s.commands[4].instance_of, "d");
  EXPECT_EQ(s.commands[5].kind, K::Register);
  EXPECT_EQ(s.commands[5].name, "lib");
  EXPECT_EQ(s.commands[5].instance_of, "a");
}

TEST(Wast, TextModuleErrorsPointIntoTheScript) {
  auto s = parse("(module\n  (func\n    (i32.bogus)))");
  const WastModule& m = *s.commands[0].module;
  auto r = parse_wat(m.text, Features(), TextOrigin{m.line, m.col});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().line, 3u);
  EXPECT_EQ(r.error().col, 6u);
}

TEST(Wast, Assertions) {
  auto s = parse(R"wast(
    (assert_return (invoke $m "f" (i32.const -1) (f64.const 0x1p-1)) (i64.const 7))
    (assert_return (get "g") (f32.const nan:canonical))
    (assert_return (invoke "v") (v128.const f32x4 nan:arithmetic 1 -0 inf))
    (assert_return (invoke "r") (ref.null func) (ref.extern 3) (ref.extern) (ref.func))
    (assert_return (invoke "e") (either (i32.const 1) (i32.const 2)))
    (assert_trap (invoke "t") "unreachable")
    (assert_trap (module (start 0) (func unreachable)) "unreachable")
    (assert_exhaustion (invoke "deep") "call stack exhausted")
    (assert_malformed (module quote "(func") "unexpected end")
    (assert_invalid (module (func (result i32))) "type mismatch")
    (assert_unlinkable (module (import "x" "y" (func))) "unknown import")
    (assert_uninstantiable (module binary "") "x")
    (invoke "go")
    (get $m "g"))wast");
  ASSERT_EQ(s.commands.size(), 14u);
  const WastCommand& r0 = s.commands[0];
  EXPECT_EQ(r0.kind, K::AssertReturn);
  EXPECT_EQ(r0.action->module, "m");
  EXPECT_EQ(r0.action->field, "f");
  ASSERT_EQ(r0.action->args.size(), 2u);
  EXPECT_EQ(r0.action->args[0].bits, 0xffffffffu);
  EXPECT_EQ(r0.action->args[1].bits, 0x3fe0000000000000u);
  EXPECT_EQ(r0.results[0].alternatives[0].kind, WastValue::Kind::I64);
  EXPECT_EQ(s.commands[1].action->kind, WastAction::Kind::Get);
  EXPECT_EQ(s.commands[1].results[0].alternatives[0].nan, NanPattern::Canonical);
  const WastValue& v = s.commands[2].results[0].alternatives[0];
  EXPECT_EQ(v.kind, WastValue::Kind::V128);
  EXPECT_EQ(v.lane_nan[0], NanPattern::Arithmetic);
  EXPECT_EQ(v.lane_nan[1], NanPattern::None);
  EXPECT_EQ(v.v128[7], 0x3f);   // 1.0f in lane 1
  EXPECT_EQ(v.v128[11], 0x80);  // -0 in lane 2
  const auto& refs = s.commands[3].results;
  EXPECT_EQ(refs[0].alternatives[0].kind, WastValue::Kind::RefNull);
  EXPECT_TRUE(refs[1].alternatives[0].has_payload);
  EXPECT_EQ(refs[1].alternatives[0].bits, 3u);
  EXPECT_FALSE(refs[2].alternatives[0].has_payload);
  EXPECT_EQ(refs[3].alternatives[0].kind, WastValue::Kind::RefFunc);
  EXPECT_EQ(s.commands[4].results[0].alternatives.size(), 2u);
  EXPECT_EQ(s.commands[5].kind, K::AssertTrap);
  EXPECT_TRUE(s.commands[5].action.has_value());
  EXPECT_TRUE(s.commands[6].module.has_value());
  EXPECT_EQ(s.commands[7].kind, K::AssertExhaustion);
  EXPECT_EQ(s.commands[8].kind, K::AssertMalformed);
  EXPECT_EQ(s.commands[8].message, "unexpected end");
  EXPECT_EQ(s.commands[9].kind, K::AssertInvalid);
  EXPECT_EQ(s.commands[10].kind, K::AssertUnlinkable);
  EXPECT_EQ(s.commands[11].kind, K::AssertUninstantiable);
  EXPECT_EQ(s.commands[12].kind, K::Action);
  EXPECT_EQ(s.commands[13].action->module, "m");
}

TEST(Wast, InlineModuleScript) {
  auto s = parse("(func) (memory 0) (func (export \"f\"))");
  ASSERT_EQ(s.commands.size(), 1u);
  EXPECT_TRUE(loom::parse_wat(s.commands[0].module->text).ok());
}

TEST(Wast, Errors) {
  EXPECT_FALSE(parse_wast("(assert_return (invoke \"f\" (i32.const 0x1_0000_0000)))").ok());
  EXPECT_FALSE(parse_wast("(assert_return (invoke \"f\") (i32.const nan:canonical))").ok());
  EXPECT_FALSE(parse_wast("(invoke \"f\" (f32.const nan:canonical))").ok());
  EXPECT_FALSE(parse_wast("(bogus)").ok());
  EXPECT_FALSE(parse_wast("(assert_invalid (invoke \"f\") \"x\")").ok());
  EXPECT_FALSE(parse_wast("(module").ok());
  EXPECT_FALSE(parse_wast("x").ok());
}

}  // namespace
}  // namespace loom::text
