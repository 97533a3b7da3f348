// The interpreter's frame layout and code size on hostile module input (sandbox hardening,
// finding 1): frame offsets must never wrap, a frame past function-frame-bytes is refused, and
// the code for a branch or return does not grow with its arity.
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "binary/decoder.hpp"
#include "interp/compiler.hpp"
#include "interp/interpreter.hpp"
#include "ir/limits.hpp"
#include "runtime/instance.hpp"
#include "support/wasm_builder.hpp"
#include "valid/validator.hpp"

namespace loom::interp {
namespace {

using namespace loom::test;

constexpr uint64_t kFrameLimit = limit_value(Limit::FunctionFrameBytes);

// functype [] -> [count x type]
Bytes results_type(uint32_t count, uint8_t type) {
  Bytes out;
  out.u8(0x60).uleb(0).uleb(count);
  for (uint32_t i = 0; i < count; ++i) out.u8(type);
  return out;
}

// A module of `types`, one function of type 0 with `locals` and `code`, exported as "f".
std::vector<uint8_t> one_function(const std::vector<Bytes>& types,
                                  std::initializer_list<Locals> locals, const Bytes& code) {
  ModuleBuilder mb;
  mb.section(kTypeSection, vec(types));
  mb.section(kFunctionSection, vec_u32({0}));
  mb.section(kExportSection, vec({export_entry("f", kExternFunc, 0)}));
  mb.section(kCodeSection, vec({body(locals, code)}));
  return mb.bytes();
}

Module decode_valid(const std::vector<uint8_t>& bytes) {
  Result<Module> module = decode_module(bytes);
  EXPECT_TRUE(module) << module.error().to_string();
  if (!module) return Module{};
  Status valid = validate_module(*module);
  EXPECT_TRUE(valid) << valid.error().to_string();
  return std::move(*module);
}

// Finding 1: 2^28 v128 locals are 2^32 bytes of frame. The 32-bit layout wrapped: the frame
// check passed with a 16-byte frame and local.get/local.set reached up to 4 GiB past it.
TEST(FrameLimits, FrameOffsetsWrapAt2To32) {
  constexpr uint32_t kLocals = 1u << 28;
  Bytes code;
  code.u8(op::kLocalGet).uleb(kLocals - 1);  // slot (2^28-1)*16 = 4 GiB - 16
  code.u8(op::kLocalSet).uleb(kLocals - 2);
  code.u8(op::kLocalGet).uleb(kLocals - 2);
  code.u8(op::kEnd);
  ModuleBuilder mb;
  mb.section(kTypeSection, vec({func_type({}, {kV128})}));
  mb.section(kFunctionSection, vec_u32({0}));
  mb.section(kExportSection, vec({export_entry("frame_wraps", kExternFunc, 0)}));
  const size_t code_section = mb.section(kCodeSection, vec({body({{kLocals, kV128}}, code)}));
  ASSERT_EQ(mb.size(), 63u);

  // Refused up front: the locals limit, at decode time.
  Result<Module> decoded = decode_module(mb.bytes());
  ASSERT_FALSE(decoded);
  EXPECT_NE(decoded.error().message.find("too many locals: implementation limit exceeded"),
            std::string::npos)
      << decoded.error().message;

  // The same module with the decoder's check bypassed (built by hand) is refused by validation,
  // and by the compiler (which validates as it translates), before any local gets a slot.
  Module m;
  m.bytes = mb.bytes();
  m.types.push_back(FuncType{{}, {ValType(ValKind::V128)}});
  m.functions.push_back(0);
  m.exports.push_back(Export{"frame_wraps", ExternKind::Func, 0});
  FunctionBody fb;
  fb.offset = code_section + 2;
  fb.locals.push_back(LocalDecl{kLocals, ValType(ValKind::V128)});
  fb.local_count = kLocals;
  fb.code = ByteRange{m.bytes.size() - code.size(), m.bytes.size()};
  m.bodies.push_back(fb);
  Status valid = validate_module(m);
  ASSERT_FALSE(valid);
  EXPECT_NE(valid.error().message.find("function-locals = 50000"), std::string::npos)
      << valid.error().message;
  Result<CompiledFunction> compiled = compile_function(m, Features(), 0);
  ASSERT_FALSE(compiled);
  EXPECT_NE(compiled.error().message.find("function-locals = 50000"), std::string::npos)
      << compiled.error().message;
}

// The largest frame the locals limit allows compiles and runs (50,000 v128 locals, 800 KB).
TEST(FrameLimits, MostLocalsAllowed) {
  Bytes code;
  code.u8(op::kLocalGet).uleb(49'999).u8(op::kLocalSet).uleb(0).u8(op::kEnd);
  const Module m = decode_valid(one_function({func_type({}, {})}, {{50'000, kV128}}, code));
  Result<CompiledFunction> compiled = compile_function(m, Features(), 0);
  ASSERT_TRUE(compiled) << compiled.error().to_string();
  EXPECT_EQ(compiled->locals_end, 50'000u * 16);
}

// Under the locals limit, the operand stack can still grow the frame: each dead-code block of
// type [] -> [1000 x v128] leaves 16,000 bytes of results. 1,150 i32 locals plus 1,048 such
// blocks plus the 16 bytes kept for call results is exactly function-frame-bytes.
std::vector<uint8_t> frame_filler(uint32_t i32_locals) {
  Bytes code;
  for (int i = 0; i < 1048; ++i) code.raw({op::kBlock, 0x01, op::kUnreachable, op::kEnd});
  code.raw({op::kUnreachable, op::kEnd});
  return one_function({func_type({}, {}), results_type(1000, kV128)}, {{i32_locals, kI32}}, code);
}

TEST(FrameLimits, OperandStackUpToTheFrameLimit) {
  static_assert(1150 * 8 + 1048 * 16'000 + 16 == kFrameLimit);
  auto module = std::make_shared<const Module>(decode_valid(frame_filler(1150)));
  Result<CompiledFunction> compiled = compile_function(*module, Features(), 0);
  ASSERT_TRUE(compiled) << compiled.error().to_string();
  EXPECT_EQ(compiled->frame_bytes, kFrameLimit);

  // The frame fits the interpreter's stack: calling it reaches the first `unreachable`.
  Store store;
  Interpreter interpreter{Features()};
  store.set_executor(&interpreter);
  auto instance = instantiate(store, module, {});
  ASSERT_TRUE(instance) << instance.error().message;
  auto f = (*instance)->find_export("f");
  ASSERT_TRUE(f.has_value());
  std::optional<Trap> trap = interpreter.call(*f->func(), {}, {});
  ASSERT_TRUE(trap.has_value());
  EXPECT_EQ(trap->kind, TrapKind::Unreachable);
}

TEST(FrameLimits, OperandStackPastTheFrameLimit) {
  // Valid (under every decode and validation limit), but one i32 more than the frame allows.
  const Module m = decode_valid(frame_filler(1151));
  Result<CompiledFunction> compiled = compile_function(m, Features(), 0);
  ASSERT_FALSE(compiled);
  EXPECT_EQ(compiled.error().message,
            "implementation limit exceeded: bytes of one interpreter frame "
            "(function-frame-bytes = 16777216)");
  EXPECT_TRUE(compiled.error().offset.has_value());
}

// Audit: a `return` (one byte) of 1000 results emitted 1000 copies (16 KB), so a 7 MB body made
// gigabytes of code. Many values now move with one CopyRange.
TEST(FrameLimits, ReturnCodeDoesNotGrowWithArity) {
  Bytes code;
  constexpr int kReturns = 1000;
  for (int i = 0; i < kReturns; ++i) {
    code.raw({op::kBlock, 0x00, op::kUnreachable, op::kEnd, op::kReturn});
  }
  code.u8(op::kEnd);
  const Module m = decode_valid(one_function({results_type(1000, kI32)}, {}, code));
  Result<CompiledFunction> compiled = compile_function(m, Features(), 0);
  ASSERT_TRUE(compiled) << compiled.error().to_string();
  EXPECT_LT(compiled->code.size(), 64 * code.size());
}

// And the br_table stub of each of a million targets, to a label of 1000 values.
TEST(FrameLimits, BrTableCodeDoesNotGrowWithArity) {
  constexpr uint32_t kTargets = 1'000'000;
  Bytes code;
  code.raw({op::kBlock, 0x01});     // label 1: [] -> [1000 x i32]
  code.raw({op::kI32Const, 0x00});  // one value below the carried ones: no target is in place
  code.raw({op::kBlock, 0x01});     // label 0
  code.raw({op::kBlock, 0x00, op::kUnreachable, op::kEnd});  // 1000 values
  code.raw({op::kI32Const, 0x00, op::kBrTable}).uleb(kTargets);
  for (uint32_t i = 0; i < kTargets; ++i) code.u8(i % 2);
  code.u8(1);
  code.raw({op::kEnd, op::kUnreachable, op::kEnd, op::kEnd});
  const Module m =
      decode_valid(one_function({results_type(1000, kI32), results_type(1000, kI32)}, {}, code));
  Result<CompiledFunction> compiled = compile_function(m, Features(), 0);
  ASSERT_TRUE(compiled) << compiled.error().to_string();
  EXPECT_LT(compiled->code.size(), 64 * code.size());
}

// CopyRange moves many values correctly: a return of six constants and a branch of five values
// that sit one slot above the label's.
TEST(FrameLimits, ManyValuesMoveCorrectly) {
  Bytes code;
  code.raw({op::kI32Const, 42});
  code.raw({op::kBlock, 0x01, op::kI32Const, 7});
  for (uint8_t v = 1; v <= 5; ++v) code.raw({op::kI32Const, v});
  code.raw({op::kBr, 0, op::kEnd, op::kReturn, op::kEnd});
  auto module = std::make_shared<const Module>(
      decode_valid(one_function({results_type(6, kI32), results_type(5, kI32)}, {}, code)));
  Store store;
  Interpreter interpreter{Features()};
  store.set_executor(&interpreter);
  auto instance = instantiate(store, module, {});
  ASSERT_TRUE(instance) << instance.error().message;
  auto f = (*instance)->find_export("f");
  ASSERT_TRUE(f.has_value());
  std::vector<Value> results(6, default_value());
  std::optional<Trap> trap = interpreter.call(*f->func(), {}, results);
  ASSERT_FALSE(trap.has_value()) << trap->message;
  const int32_t expected[] = {42, 1, 2, 3, 4, 5};
  for (int i = 0; i < 6; ++i) EXPECT_EQ(results[i].i32, expected[i]) << i;
}

}  // namespace
}  // namespace loom::interp
