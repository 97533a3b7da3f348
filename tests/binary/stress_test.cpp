// Large inputs through decode and validate: nothing here may recurse per element or take
// quadratic time. No timing asserts; the CTest timeout is the backstop.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "binary/decoder.hpp"
#include "binary/instr_reader.hpp"
#include "ir/limits.hpp"
#include "support/wasm_builder.hpp"
#include "valid/validator.hpp"

namespace loom {
namespace {

using namespace loom::test;  // NOLINT

TEST(Stress, MillionFunctions) {
  constexpr uint32_t kFunctions = 1'000'000;
  Bytes functions;
  functions.uleb(kFunctions);
  Bytes code;
  code.uleb(kFunctions);
  for (uint32_t i = 0; i < kFunctions; ++i) {
    functions.u8(0);
    code.raw({0x02, 0x00, op::kEnd});  // body size 2: no locals, `end`
  }
  ModuleBuilder mb;
  mb.section(kTypeSection, vec({func_type({}, {})}));
  mb.section(kFunctionSection, functions);
  mb.section(kExportSection, vec({export_entry("last", kExternFunc, kFunctions - 1)}));
  mb.section(kCodeSection, code);

  Result<Module> decoded = decode_module(mb.bytes());
  ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
  const Module& m = decoded.value();
  ASSERT_EQ(m.functions.size(), kFunctions);
  ASSERT_EQ(m.bodies.size(), kFunctions);
  EXPECT_EQ(m.bodies.back().code.size(), 1u);

  Status valid = validate_module(m);
  EXPECT_TRUE(valid.ok()) << valid.error().to_string();
}

Bytes nested_blocks(uint32_t depth, uint8_t block_op) {
  Bytes code;
  for (uint32_t i = 0; i < depth; ++i) code.raw({block_op, kEmptyBlock});
  for (uint32_t i = 0; i < depth; ++i) code.u8(op::kEnd);
  code.u8(op::kEnd);  // the function's own end
  return code;
}

TEST(Stress, NestedBlocksUpToTheLimit) {
  constexpr uint32_t kDepth = limit_value(Limit::ControlNesting);
  for (uint8_t block_op : {op::kBlock, op::kLoop}) {
    SCOPED_TRACE(int(block_op));
    Result<Module> decoded = decode_module(module_with_body(nested_blocks(kDepth, block_op)));
    ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
    const Module& m = decoded.value();

    // The instruction stream itself: depth goes up to kDepth and back to zero.
    const Features features;
    InstrReader in(m.slice(m.bodies[0].code), m.bodies[0].code.begin, features);
    Instr instr;
    size_t depth = 1, max_depth = 1, count = 0;
    while (!in.at_end()) {
      ASSERT_TRUE(in.next(instr)) << in.error().to_string();
      ++count;
      if (instr.op == Opcode::Block || instr.op == Opcode::Loop)
        max_depth = std::max(max_depth, ++depth);
      if (instr.op == Opcode::End) --depth;
    }
    EXPECT_EQ(count, 2 * kDepth + 1);
    EXPECT_EQ(max_depth, kDepth + 1);
    EXPECT_EQ(depth, 0u);

    Status valid = validate_module(m);
    EXPECT_TRUE(valid.ok()) << valid.error().to_string();
  }
}

TEST(Stress, NestedBlocksUpToTheLimitWithBranchesToTheOutermost) {
  // Every level branches to the outermost label: the validator's label lookup must be O(1).
  constexpr uint32_t kDepth = limit_value(Limit::ControlNesting);
  Bytes code;
  for (uint32_t i = 0; i < kDepth; ++i) {
    code.raw({op::kBlock, kEmptyBlock, op::kI32Const, 0x00, op::kBrIf}).uleb(i);
  }
  for (uint32_t i = 0; i < kDepth; ++i) code.u8(op::kEnd);
  code.u8(op::kEnd);
  Result<Module> decoded = decode_module(module_with_body(code));
  ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
  Status valid = validate_module(decoded.value());
  EXPECT_TRUE(valid.ok()) << valid.error().to_string();
}

TEST(Stress, UnclosedNestedBlocksAreAnErrorNotACrash) {
  constexpr uint32_t kDepth = limit_value(Limit::ControlNesting);
  Bytes code;
  for (uint32_t i = 0; i < kDepth; ++i) code.raw({op::kBlock, kEmptyBlock});
  code.u8(op::kEnd);
  Result<Module> decoded = decode_module(module_with_body(code));
  ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
  Status valid = validate_module(decoded.value());
  EXPECT_FALSE(valid.ok());
}

// The fuzzer's seed corpus should be valid modules, so fuzzing starts from deep inside the
// validator rather than at the first malformed byte.
TEST(SeedCorpus, SeedsDecodeAndValidate) {
  const std::filesystem::path dir = LOOM_FUZZ_SEED_DIR;
  size_t seeds = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".wasm") continue;
    SCOPED_TRACE(entry.path().string());
    std::ifstream in(entry.path(), std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
    ++seeds;
    const Features all = Features::all();
    Result<Module> decoded = decode_module(bytes, all);
    ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
    Status valid = validate_module(decoded.value(), all);
    EXPECT_TRUE(valid.ok()) << valid.error().to_string();
  }
  EXPECT_GE(seeds, 5u);
}

}  // namespace
}  // namespace loom
