// Validator tests: hand-built binary modules, valid ones and one per error class.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "binary/decoder.hpp"
#include "binary/instr_reader.hpp"
#include "ir/limits.hpp"
#include "support/wasm_builder.hpp"
#include "valid/func_validator.hpp"
#include "valid/validator.hpp"

namespace loom {
namespace {

using test::Bytes;
using test::cat;
using test::i32_const;
using test::kExternRef;
using test::kF32;
using test::kF64;
using test::kFuncRef;
using test::kI32;
using test::kI64;
using test::kV128;
using test::Locals;

const Bytes kEnd{0x0b};
const Bytes kF64Zero{0x44, 0, 0, 0, 0, 0, 0, 0, 0};

// A module's entries collected per section and emitted in binary section order, so tests can add
// them in any order. All encoding is done by the shared helpers in support/wasm_builder.hpp; it
// writes exactly what it is given, so tests can build invalid (but well-formed) modules.
class ModuleParts {
 public:
  uint32_t add_type(const Bytes& params, const Bytes& results) {
    types_.push_back(test::func_type(params, results));
    return static_cast<uint32_t>(types_.size() - 1);
  }
  void import_func(uint32_t type) {
    imports_.push_back(test::import_func("env", import_name(), type));
  }
  void import_memory(uint32_t min, std::optional<uint32_t> max = std::nullopt) {
    imports_.push_back(test::import_memory("env", import_name(), limits(min, max)));
  }
  void import_global(uint8_t type, bool is_mutable) {
    imports_.push_back(test::import_global("env", import_name(), type, is_mutable));
  }
  // A defined function; `code` is the instruction bytes including the final `end`.
  uint32_t add_func(uint32_t type, const Bytes& code, const std::vector<Locals>& locals = {}) {
    functions_.push_back(type);
    codes_.push_back(test::body(locals, code));
    return static_cast<uint32_t>(functions_.size() - 1);
  }
  void add_table(uint8_t elem, uint32_t min, std::optional<uint32_t> max = std::nullopt) {
    tables_.push_back(Bytes().u8(elem).append(limits(min, max)));
  }
  void add_memory(uint32_t min, std::optional<uint32_t> max = std::nullopt) {
    memories_.push_back(limits(min, max));
  }
  // `init` includes the final `end`.
  void add_global(uint8_t type, bool is_mutable, const Bytes& init) {
    globals_.push_back(test::global_entry(type, is_mutable, init));
  }
  void add_export(std::string_view name, uint8_t kind, uint32_t index) {
    exports_.push_back(test::export_entry(name, kind, index));
  }
  void set_start(uint32_t func) { start_ = func; }
  // Raw element / data segment entries (flags byte onwards).
  void add_elem(const Bytes& raw) { elems_.push_back(raw); }
  void add_data(const Bytes& raw) { datas_.push_back(raw); }
  void set_data_count(uint32_t count) { data_count_ = count; }

  Bytes build() const {
    test::ModuleBuilder mb;
    add_vec(mb, kTypeSection, types_);
    add_vec(mb, kImportSection, imports_);
    if (!functions_.empty()) mb.section(kFunctionSection, test::vec_u32(functions_));
    add_vec(mb, kTableSection, tables_);
    add_vec(mb, kMemorySection, memories_);
    add_vec(mb, kGlobalSection, globals_);
    add_vec(mb, kExportSection, exports_);
    if (start_) mb.section(kStartSection, test::uleb(*start_));
    add_vec(mb, kElementSection, elems_);
    // The data count section sits between the element and code sections.
    if (data_count_) mb.section(kDataCountSection, test::uleb(*data_count_));
    add_vec(mb, kCodeSection, codes_);
    add_vec(mb, kDataSection, datas_);
    return Bytes(mb.bytes());
  }

 private:
  static Bytes limits(uint32_t min, std::optional<uint32_t> max) {
    return max ? test::limits(min, *max) : test::limits(min);
  }
  static void add_vec(test::ModuleBuilder& mb, SectionId id, const std::vector<Bytes>& entries) {
    if (!entries.empty()) mb.section(id, test::vec(entries));
  }
  std::string import_name() const { return "x" + std::to_string(imports_.size()); }

  std::vector<Bytes> types_, imports_, tables_, memories_, globals_, exports_, elems_, codes_,
      datas_;
  std::vector<uint32_t> functions_;
  std::optional<uint32_t> start_;
  std::optional<uint32_t> data_count_;
};

Features with(Feature feature) {
  Features f = Features::wasm20();
  f.set(feature, true);
  return f;
}

Status check(const Bytes& wasm, const Features& features = Features::wasm20()) {
  Result<Module> module = decode_module(wasm.vec(), features);
  if (!module) {
    ADD_FAILURE() << "decode failed: " << module.error().to_string();
    return module.error();
  }
  return validate_module(*module, features);
}

void expect_valid(const Bytes& wasm, const Features& features = Features::wasm20()) {
  Status status = check(wasm, features);
  EXPECT_TRUE(status.ok()) << status.error().to_string();
}

// Expects a validation error containing `message` with an offset inside the module (or just past
// its end, where a missing `end` was expected).
Error expect_invalid(const Bytes& wasm, std::string_view message,
                     const Features& features = Features::wasm20()) {
  Status status = check(wasm, features);
  if (status.ok()) {
    ADD_FAILURE() << "expected \"" << message << "\", but the module validated";
    return Error{};
  }
  const Error& error = status.error();
  EXPECT_NE(error.message.find(message), std::string::npos)
      << "expected \"" << message << "\", got \"" << error.message << "\"";
  EXPECT_TRUE(error.offset.has_value()) << error.message;
  if (error.offset) {
    EXPECT_LE(*error.offset, wasm.size()) << error.message;
  }
  return error;
}

// A module with one function of type params -> results, plus an optional memory and table.
struct FuncModule {
  FuncModule(Bytes params_in, Bytes results_in, Bytes code_in)
      : params(std::move(params_in)), results(std::move(results_in)), code(std::move(code_in)) {}
  Bytes params, results, code;
  std::vector<Locals> locals;
  bool memory = false;
  bool table = false;
  Bytes build() const {
    ModuleParts mb;
    const uint32_t type = mb.add_type(params, results);
    if (table) mb.add_table(kFuncRef, 1);
    if (memory) mb.add_memory(1);
    mb.add_func(type, code, locals);
    return mb.build();
  }
};

Bytes func(const Bytes& params, const Bytes& results, const Bytes& code) {
  return FuncModule{params, results, code}.build();
}
Bytes func_with_memory(const Bytes& params, const Bytes& results, const Bytes& code) {
  FuncModule m{params, results, code};
  m.memory = true;
  return m.build();
}

// Offset of code[index] when the function is the last thing in the module.
size_t code_offset(const Bytes& wasm, const Bytes& code, size_t index) {
  return wasm.size() - code.size() + index;
}

// ---------------------------------------------------------------------------------------------
// Valid modules

TEST(ValidatorTest, EmptyModule) {
  expect_valid(ModuleParts().build());
}

TEST(ValidatorTest, SimpleArithmetic) {
  // (param i32 i32) (result i32): local.get 0, local.get 1, i32.add
  expect_valid(func({kI32, kI32}, {kI32}, {0x20, 0, 0x20, 1, 0x6a, 0x0b}));
}

TEST(ValidatorTest, BlocksLoopsAndIfWithMultiValueTypes) {
  ModuleParts mb;
  const uint32_t main = mb.add_type({}, {kI32});
  const uint32_t pair = mb.add_type({kI32}, {kI32, kI32});  // block type [i32] -> [i32 i32]
  const Bytes code =
      cat({i32_const(1),
           {0x02, static_cast<uint8_t>(pair)},  // block (type pair): [i32] -> [i32 i32]
           i32_const(2),
           {0x0b},  // end: stack i32 i32
           {0x6a},  // i32.add
           i32_const(0),
           {0x04, 0x7f},  // if (result i32)
           i32_const(1),
           {0x05},  // else
           i32_const(2),
           {0x0b},              // end
           {0x6a},              // i32.add
           {0x03, 0x40, 0x0b},  // loop end
           {0x0b}});
  mb.add_func(main, code);
  expect_valid(mb.build());
}

TEST(ValidatorTest, UnreachableMakesStackPolymorphic) {
  // (result i32): unreachable, i32.add, end — operands come from the polymorphic bottom.
  expect_valid(func({}, {kI32}, {0x00, 0x6a, 0x0b}));
  // br 0 then anything type-correct against unknowns: br 0, f64.add would yield f64 -> mismatch.
  expect_valid(func({}, {kI32}, cat({i32_const(0), {0x0c, 0x00, 0x1a, 0x1a, 0x0b}})));
  // select on unknown operands.
  expect_valid(func({}, {kI32}, {0x00, 0x1b, 0x0b}));
}

TEST(ValidatorTest, BrTableWithConsistentTargets) {
  // (result i32): block (result i32) i32.const 1, i32.const 0, br_table 0 1 0, end
  expect_valid(func(
      {}, {kI32}, cat({{0x02, 0x7f}, i32_const(1), i32_const(0), {0x0e, 2, 0, 1, 0, 0x0b, 0x0b}})));
}

TEST(ValidatorTest, BrIfKeepsLabelTypes) {
  expect_valid(func({}, {kI32}, cat({i32_const(1), i32_const(0), {0x0d, 0x00, 0x0b}})));
}

TEST(ValidatorTest, SelectTypedAndUntyped) {
  expect_valid(func({}, {kF64}, cat({kF64Zero, kF64Zero, i32_const(1), {0x1b, 0x0b}})));
  // select (result funcref) on two ref.null func
  expect_valid(func({}, {kFuncRef},
                    cat({{0xd0, 0x70, 0xd0, 0x70}, i32_const(1), {0x1c, 0x01, kFuncRef, 0x0b}})));
}

Bytes local_get(uint32_t index) {
  return Bytes().u8(0x20).u32(index);
}

TEST(ValidatorTest, ManyLocalsAreLookedUpByRuns) {
  // Local 0 is the param; then 30000 i32 (1..30000), an empty i64 run, 10000 f64
  // (30001..40000) and 5000 f32 (40001..45000).
  FuncModule m{{kI32}, {kF64}, {}};
  m.locals = {{30000, kI32}, {0, kI64}, {10000, kF64}, {5000, kF32}};
  for (uint32_t index : {30001u, 35000u, 40000u}) {
    m.code = cat({local_get(index), kEnd});
    expect_valid(m.build());
  }
  m.code = cat({local_get(30000), kEnd});
  expect_invalid(m.build(), "type mismatch: expected f64, got i32 (end)");
  m.code = cat({local_get(40001), kEnd});
  expect_invalid(m.build(), "type mismatch: expected f64, got f32 (end)");
  m.code = cat({local_get(45001), kEnd});
  expect_invalid(m.build(), "unknown local 45001");
  m.code = cat({local_get(0),
                local_get(1),
                {0x6a, 0x1a},
                kF64Zero,
                {0x21, 0x80, 0xb8, 0x02},
                kF64Zero,
                kEnd});  // local.set 40000
  expect_valid(m.build());
}

TEST(ValidatorTest, MemoryAndTableInstructions) {
  FuncModule m{{}, {}, {}};
  m.memory = true;
  m.table = true;
  m.code = cat({i32_const(0),
                {0x28, 0x02, 0x00, 0x1a},  // i32.load align=4
                i32_const(0),
                i32_const(0),
                {0x36, 0x02, 0x00},              // i32.store
                {0x3f, 0x00, 0x40, 0x00, 0x1a},  // memory.size memory.grow drop
                i32_const(0),
                {0x25, 0x00, 0xd1, 0x1a},  // table.get 0, ref.is_null, drop
                {0xfc, 0x10, 0x00, 0x1a},  // table.size
                {0xd0, 0x70},
                i32_const(1),
                {0xfc, 0x0f, 0x00, 0x1a},  // table.grow
                i32_const(0),
                i32_const(0),
                i32_const(0),
                {0xfc, 0x0e, 0x00, 0x00},  // table.copy
                i32_const(0),
                i32_const(0),
                i32_const(0),
                {0xfc, 0x0b, 0x00},  // memory.fill
                {0x0b}});
  expect_valid(m.build());
}

TEST(ValidatorTest, SimdLanes) {
  FuncModule m{{}, {kI32}, {}};
  m.memory = true;
  Bytes v128_zero{0xfd, 0x0c};
  v128_zero.vec().resize(18, 0);
  // i8x16.extract_lane_s 15
  m.code = cat({v128_zero, {0xfd, 0x15, 15, 0x0b}});
  expect_valid(m.build());
  m.code = cat({v128_zero, {0xfd, 0x15, 16, 0x0b}});
  expect_invalid(m.build(), "invalid lane index");
  // v128.load32_lane: 4 lanes
  m.code = cat({i32_const(0), v128_zero, {0xfd, 0x56, 0x02, 0x00, 3, 0x1a}, i32_const(0), kEnd});
  expect_valid(m.build());
  m.code = cat({i32_const(0), v128_zero, {0xfd, 0x56, 0x02, 0x00, 4, 0x1a}, i32_const(0), kEnd});
  expect_invalid(m.build(), "invalid lane index");
  // i8x16.shuffle lanes must be < 32
  Bytes shuffle{0xfd, 0x0d};
  for (int i = 0; i < 16; ++i) shuffle.u8(static_cast<uint8_t>(i * 2));
  m.code = cat({v128_zero, v128_zero, shuffle, {0x1a}, i32_const(0), kEnd});
  expect_valid(m.build());
  shuffle.vec().back() = 32;
  m.code = cat({v128_zero, v128_zero, shuffle, {0x1a}, i32_const(0), kEnd});
  expect_invalid(m.build(), "invalid lane index");
}

TEST(ValidatorTest, RefFuncDeclaredByElemOrExport) {
  ModuleParts mb;
  const uint32_t type = mb.add_type({}, {kFuncRef});
  mb.add_export("f", 0, 0);  // declares function 0
  mb.add_func(type, {0xd2, 0x00, 0x0b});
  expect_valid(mb.build());

  ModuleParts mb2;
  const uint32_t type2 = mb2.add_type({}, {kFuncRef});
  mb2.add_elem({0x03, 0x00, 0x01, 0x00});  // declarative segment: elem declare func 0
  mb2.add_func(type2, {0xd2, 0x00, 0x0b});
  expect_valid(mb2.build());
}

TEST(ValidatorTest, GlobalInitializers) {
  ModuleParts mb;
  mb.import_global(kI32, false);
  mb.add_global(kI32, false, {0x23, 0x00, 0x0b});  // global.get 0 (imported, immutable)
  mb.add_global(kFuncRef, false, {0xd0, 0x70, 0x0b});
  mb.add_global(kV128, true, cat({{0xfd, 0x0c}, Bytes(std::vector<uint8_t>(16, 0)), kEnd}));
  expect_valid(mb.build());
}

TEST(ValidatorTest, BulkMemoryWithDataCount) {
  ModuleParts mb;
  const uint32_t type = mb.add_type({}, {});
  mb.add_memory(1);
  mb.set_data_count(1);
  mb.add_func(type, cat({i32_const(0),
                         i32_const(0),
                         i32_const(0),
                         {0xfc, 0x08, 0x00, 0x00},
                         {0xfc, 0x09, 0x00, 0x0b}}));
  mb.add_data({0x01, 0x01, 0x61});  // passive "a"
  expect_valid(mb.build());
}

TEST(ValidatorTest, ElementSegmentsAndTableInit) {
  ModuleParts mb;
  const uint32_t type = mb.add_type({}, {});
  mb.add_table(kFuncRef, 1);
  mb.add_elem(cat({{0x00}, i32_const(0), kEnd, {0x01, 0x00}}));  // active, func 0
  mb.add_elem({0x05, kFuncRef, 0x01, 0xd2, 0x00, 0x0b});         // passive exprs
  mb.add_func(type, cat({i32_const(0),
                         i32_const(0),
                         i32_const(1),
                         {0xfc, 0x0c, 0x01, 0x00},
                         {0xfc, 0x0d, 0x00, 0x0b}}));
  expect_valid(mb.build());
}

// ---------------------------------------------------------------------------------------------
// Function body errors

TEST(ValidatorTest, TypeMismatchMessageOffsetAndFunc) {
  ModuleParts mb;
  const uint32_t type = mb.add_type({}, {kI32});
  mb.import_func(type);  // function 0 is imported, so the body is function 1
  const Bytes code = cat({i32_const(1), kF64Zero, {0x6a, 0x0b}});  // i32.add on (i32, f64)
  mb.add_func(type, code);
  const Bytes wasm = mb.build();
  const Error error = expect_invalid(wasm, "type mismatch: expected i32, got f64 (i32.add)");
  EXPECT_EQ(error.offset, code_offset(wasm, code, 11));
  EXPECT_EQ(error.func, 1u);
  EXPECT_EQ(error.kind, ErrorKind::Invalid);
}

TEST(ValidatorTest, StackUnderflow) {
  const Bytes code{0x6a, 0x0b};
  const Bytes wasm = func({}, {kI32}, code);
  const Error error = expect_invalid(wasm, "type mismatch: expected i32, got nothing (i32.add)");
  EXPECT_EQ(error.offset, code_offset(wasm, code, 0));
}

TEST(ValidatorTest, ExtraValueAtEnd) {
  expect_invalid(func({}, {}, cat({i32_const(1), kEnd})), "type mismatch");
  expect_invalid(func({}, {kI32}, cat({i32_const(1), i32_const(1), kEnd})), "type mismatch");
}

TEST(ValidatorTest, WrongResultType) {
  expect_invalid(func({}, {kI64}, cat({i32_const(1), kEnd})),
                 "type mismatch: expected i64, got i32");
}

TEST(ValidatorTest, UnknownLocal) {
  expect_invalid(func({kI32}, {kI32}, {0x20, 0x01, 0x0b}), "unknown local 1");
}

TEST(ValidatorTest, UnknownGlobal) {
  expect_invalid(func({}, {kI32}, {0x23, 0x00, 0x0b}), "unknown global 0");
}

TEST(ValidatorTest, GlobalIsImmutable) {
  ModuleParts mb;
  const uint32_t type = mb.add_type({}, {});
  mb.add_global(kI32, false, cat({i32_const(0), kEnd}));
  mb.add_func(type, cat({i32_const(1), {0x24, 0x00, 0x0b}}));
  expect_invalid(mb.build(), "global is immutable");
}

TEST(ValidatorTest, UnknownFunction) {
  expect_invalid(func({}, {}, {0x10, 0x05, 0x0b}), "unknown function 5");
}

TEST(ValidatorTest, CallChecksArguments) {
  ModuleParts mb;
  const uint32_t callee = mb.add_type({kI32, kI64}, {kF32});
  const uint32_t main = mb.add_type({}, {kF32});
  mb.add_func(callee, {0x43, 0, 0, 0, 0, 0x0b});
  mb.add_func(main, cat({i32_const(0), {0x42, 0x00, 0x10, 0x00, 0x0b}}));
  expect_valid(mb.build());
  ModuleParts bad;
  bad.add_type({kI32, kI64}, {kF32});
  bad.add_type({}, {kF32});
  bad.add_func(0, {0x43, 0, 0, 0, 0, 0x0b});
  bad.add_func(1, cat({i32_const(0), i32_const(0), {0x10, 0x00, 0x0b}}));
  expect_invalid(bad.build(), "type mismatch: expected i64, got i32 (call)");
}

TEST(ValidatorTest, CallIndirectErrors) {
  // No table.
  expect_invalid(func({}, {}, cat({i32_const(0), {0x11, 0x00, 0x00, 0x0b}})), "unknown table 0");
  // Unknown type index.
  FuncModule m{{}, {}, cat({i32_const(0), {0x11, 0x07, 0x00, 0x0b}})};
  m.table = true;
  expect_invalid(m.build(), "unknown type 7");
  // externref table.
  ModuleParts mb;
  const uint32_t type = mb.add_type({}, {});
  mb.add_table(kExternRef, 1);
  mb.add_func(type, cat({i32_const(0), {0x11, 0x00, 0x00, 0x0b}}));
  expect_invalid(mb.build(), "type mismatch");
}

TEST(ValidatorTest, UnknownMemory) {
  const Bytes code = cat({i32_const(0), {0x28, 0x02, 0x00, 0x1a, 0x0b}});
  const Bytes wasm = func({}, {}, code);
  const Error error = expect_invalid(wasm, "unknown memory 0");
  EXPECT_EQ(error.offset, code_offset(wasm, code, 2));
  expect_invalid(func({}, {}, {0x3f, 0x00, 0x1a, 0x0b}), "unknown memory 0");
}

TEST(ValidatorTest, UnknownTable) {
  expect_invalid(func({}, {}, {0xfc, 0x10, 0x00, 0x1a, 0x0b}), "unknown table 0");
}

TEST(ValidatorTest, UnknownBlockType) {
  expect_invalid(func({}, {}, {0x02, 0x09, 0x0b, 0x0b}), "unknown type 9");
}

TEST(ValidatorTest, UnknownLabel) {
  expect_invalid(func({}, {}, {0x0c, 0x01, 0x0b}), "unknown label");
  expect_invalid(func({}, {}, cat({i32_const(0), {0x0e, 0x01, 0x05, 0x00, 0x0b}})),
                 "unknown label");
}

TEST(ValidatorTest, BrTableArityMismatch) {
  // block (result i32) block i32.const 0 i32.const 0 br_table 0 1 ...: labels [] and [i32]
  const Bytes code = cat({{0x02, 0x7f, 0x02, 0x40},
                          i32_const(0),
                          i32_const(0),
                          {0x0e, 0x01, 0x00, 0x01, 0x0b},
                          i32_const(0),
                          {0x0b, 0x0b}});
  expect_invalid(func({}, {kI32}, code), "type mismatch");
}

TEST(ValidatorTest, IfWithoutElseNeedsMatchingTypes) {
  // if (result i32) i32.const 1 end — the implicit else produces nothing.
  expect_invalid(func({}, {kI32}, cat({i32_const(0), {0x04, 0x7f}, i32_const(1), {0x0b, 0x0b}})),
                 "type mismatch");
  // if [i32] -> [i32] without else is fine.
  ModuleParts mb;
  const uint32_t main = mb.add_type({}, {kI32});
  const uint32_t id = mb.add_type({kI32}, {kI32});
  mb.add_func(main,
              cat({i32_const(5), i32_const(1), {0x04, static_cast<uint8_t>(id), 0x0b, 0x0b}}));
  expect_valid(mb.build());
}

TEST(ValidatorTest, ElseWithoutIf) {
  expect_invalid(func({}, {}, {0x02, 0x40, 0x05, 0x0b, 0x0b}), "else without matching if");
}

TEST(ValidatorTest, UntypedSelectRejectsReferences) {
  expect_invalid(func({}, {}, cat({{0xd0, 0x70, 0xd0, 0x70}, i32_const(1), {0x1b, 0x1a, 0x0b}})),
                 "type mismatch");
  expect_invalid(func({}, {}, cat({i32_const(1), kF64Zero, i32_const(1), {0x1b, 0x1a, 0x0b}})),
                 "type mismatch");
}

TEST(ValidatorTest, TypedSelectArity) {
  expect_invalid(
      func({}, {},
           cat({i32_const(1), i32_const(1), i32_const(1), {0x1c, 0x02, kI32, kI32, 0x1a, 0x0b}})),
      "invalid result arity");
}

TEST(ValidatorTest, Alignment) {
  // i32.load with align 2^3 > 4
  const Bytes code = cat({i32_const(0), {0x28, 0x03, 0x00, 0x1a, 0x0b}});
  const Bytes wasm = func_with_memory({}, {}, code);
  const Error error = expect_invalid(wasm, "alignment must not be larger than natural");
  EXPECT_EQ(error.offset, code_offset(wasm, code, 2));
  expect_valid(func_with_memory({}, {}, cat({i32_const(0), {0x2c, 0x00, 0x00, 0x1a, 0x0b}})));
  expect_invalid(func_with_memory({}, {}, cat({i32_const(0), {0x2c, 0x01, 0x00, 0x1a, 0x0b}})),
                 "alignment must not be larger than natural");
}

TEST(ValidatorTest, UndeclaredFunctionReference) {
  expect_invalid(func({}, {kFuncRef}, {0xd2, 0x00, 0x0b}), "undeclared function reference");
}

TEST(ValidatorTest, RefIsNullNeedsReference) {
  expect_invalid(func({}, {kI32}, cat({i32_const(0), {0xd1, 0x0b}})), "type mismatch");
}

TEST(ValidatorTest, ReturnChecksResults) {
  expect_valid(func({}, {kI32}, cat({i32_const(0), {0x0f, 0x0b}})));
  expect_invalid(func({}, {kI32}, cat({kF64Zero, {0x0f, 0x0b}})),
                 "type mismatch: expected i32, got f64 (return)");
}

TEST(ValidatorTest, DataSegmentInstructions) {
  // data.drop without a data count section.
  ModuleParts mb;
  const uint32_t type = mb.add_type({}, {});
  mb.add_memory(1);
  mb.add_func(type, {0xfc, 0x09, 0x00, 0x0b});
  mb.add_data({0x01, 0x00});
  expect_invalid(mb.build(), "data count section required");
  // Index out of range.
  ModuleParts mb2;
  mb2.add_type({}, {});
  mb2.add_memory(1);
  mb2.set_data_count(1);
  mb2.add_func(0, {0xfc, 0x09, 0x01, 0x0b});
  mb2.add_data({0x01, 0x00});
  expect_invalid(mb2.build(), "unknown data segment 1");
}

TEST(ValidatorTest, ElemSegmentInstructions) {
  FuncModule m{{}, {}, {0xfc, 0x0d, 0x00, 0x0b}};
  expect_invalid(m.build(), "unknown elem segment 0");
  // table.init of an externref segment into a funcref table.
  ModuleParts mb;
  const uint32_t type = mb.add_type({}, {});
  mb.add_table(kFuncRef, 1);
  mb.add_elem({0x05, kExternRef, 0x01, 0xd0, 0x6f, 0x0b});
  mb.add_func(type,
              cat({i32_const(0), i32_const(0), i32_const(0), {0xfc, 0x0c, 0x00, 0x00, 0x0b}}));
  expect_invalid(mb.build(), "type mismatch");
}

TEST(ValidatorTest, MissingEndAndTrailingCode) {
  // A body whose last byte is an `end` closing only an inner block.
  // The binary format calls these malformed.
  EXPECT_EQ(expect_invalid(func({}, {}, {0x02, 0x40, 0x0b}), "END opcode expected").kind,
            ErrorKind::Malformed);
  expect_invalid(func({}, {}, {0x0b, 0x01, 0x0b}), "operators remaining after end of function");
}

// ---------------------------------------------------------------------------------------------
// Module-level errors

TEST(ValidatorTest, ConstantExpressionRequired) {
  ModuleParts mb;
  mb.add_global(kI32, false, cat({i32_const(0), {0x01, 0x0b}}));  // nop
  expect_invalid(mb.build(), "constant expression required");
  ModuleParts add;
  add.add_global(kI32, false, cat({i32_const(1), i32_const(2), {0x6a, 0x0b}}));  // i32.add
  expect_invalid(add.build(), "constant expression required");
  expect_valid(add.build(), with(Feature::ExtendedConst));
  ModuleParts mutable_import;
  mutable_import.import_global(kI32, true);
  mutable_import.add_global(kI32, false, {0x23, 0x00, 0x0b});
  expect_invalid(mutable_import.build(), "constant expression required");
}

TEST(ValidatorTest, GlobalInitializerSeesOnlyImportedGlobals) {
  ModuleParts mb;
  mb.add_global(kI32, false, cat({i32_const(0), kEnd}));
  mb.add_global(kI32, false, {0x23, 0x00, 0x0b});
  expect_invalid(mb.build(), "unknown global 0");
  expect_valid(mb.build(), with(Feature::ExtendedConst));
}

TEST(ValidatorTest, GlobalInitializerType) {
  ModuleParts mb;
  mb.add_global(kI64, false, cat({i32_const(0), kEnd}));
  expect_invalid(mb.build(), "type mismatch");
}

TEST(ValidatorTest, MultipleMemories) {
  ModuleParts mb;
  mb.add_memory(1);
  mb.add_memory(1);
  expect_invalid(mb.build(), "multiple memories");
  expect_valid(mb.build(), with(Feature::MultiMemory));
  ModuleParts imported;
  imported.import_memory(1);
  imported.add_memory(1);
  expect_invalid(imported.build(), "multiple memories");
}

TEST(ValidatorTest, Limits) {
  ModuleParts memory;
  memory.add_memory(2, 1);
  expect_invalid(memory.build(), "size minimum must not be greater than maximum");
  ModuleParts table;
  table.add_table(kFuncRef, 5, 4);
  expect_invalid(table.build(), "size minimum must not be greater than maximum");
  ModuleParts big;
  big.add_memory(65537);
  expect_invalid(big.build(), "memory size must be at most 65536 pages (4GiB)");
  ModuleParts big_max;
  big_max.add_memory(0, 65537);
  expect_invalid(big_max.build(), "memory size must be at most 65536 pages (4GiB)");
  ModuleParts ok;
  ok.add_memory(65536, 65536);
  ok.add_table(kFuncRef, 0xffffffffu, 0xffffffffu);
  expect_valid(ok.build());
  ModuleParts imported;
  imported.import_memory(3, 2);
  expect_invalid(imported.build(), "size minimum must not be greater than maximum");
}

TEST(ValidatorTest, DuplicateExportName) {
  ModuleParts mb;
  const uint32_t type = mb.add_type({}, {});
  mb.add_func(type, kEnd);
  mb.add_export("a", 0, 0);
  mb.add_export("a", 0, 0);
  expect_invalid(mb.build(), "duplicate export name");
}

TEST(ValidatorTest, ExportIndexOutOfRange) {
  ModuleParts mb;
  mb.add_export("g", 3, 0);
  const Bytes wasm = mb.build();
  const Error error = expect_invalid(wasm, "unknown global 0");
  // The only export entry starts after the section header and the count.
  EXPECT_EQ(error.offset, 11u);
  ModuleParts mem;
  mem.add_export("m", 2, 0);
  expect_invalid(mem.build(), "unknown memory 0");
}

TEST(ValidatorTest, StartFunction) {
  ModuleParts mb;
  const uint32_t type = mb.add_type({kI32}, {});
  mb.add_func(type, kEnd);
  mb.set_start(0);
  expect_invalid(mb.build(), "start function");
  ModuleParts unknown;
  unknown.set_start(3);
  expect_invalid(unknown.build(), "unknown function 3");
  ModuleParts ok;
  ok.add_func(ok.add_type({}, {}), kEnd);
  ok.set_start(0);
  expect_valid(ok.build());
}

TEST(ValidatorTest, UnknownTypeInFunctionAndImport) {
  ModuleParts mb;
  mb.add_type({}, {});
  mb.add_func(4, kEnd);
  expect_invalid(mb.build(), "unknown type 4");
  ModuleParts imp;
  imp.import_func(2);
  expect_invalid(imp.build(), "unknown type 2");
}

TEST(ValidatorTest, ElementSegmentErrors) {
  ModuleParts no_table;
  no_table.add_type({}, {});
  no_table.add_func(0, kEnd);
  no_table.add_elem(cat({{0x00}, i32_const(0), kEnd, {0x01, 0x00}}));
  expect_invalid(no_table.build(), "unknown table 0");

  ModuleParts bad_func;
  bad_func.add_table(kFuncRef, 1);
  bad_func.add_elem(cat({{0x00}, i32_const(0), kEnd, {0x01, 0x03}}));
  expect_invalid(bad_func.build(), "unknown function 3");

  ModuleParts wrong_type;  // externref segment into funcref table (flags 6: table index + exprs)
  wrong_type.add_table(kFuncRef, 1);
  wrong_type.add_elem(
      cat({{0x06, 0x00}, i32_const(0), kEnd, {kExternRef, 0x01, 0xd0, 0x6f, 0x0b}}));
  expect_invalid(wrong_type.build(), "type mismatch");

  ModuleParts bad_offset;
  bad_offset.add_table(kFuncRef, 1);
  bad_offset.add_elem({0x00, 0x42, 0x00, 0x0b, 0x00});  // i64 offset
  expect_invalid(bad_offset.build(), "type mismatch");
}

TEST(ValidatorTest, DataSegmentErrors) {
  ModuleParts no_memory;
  no_memory.add_data(cat({{0x00}, i32_const(0), kEnd, {0x00}}));
  expect_invalid(no_memory.build(), "unknown memory 0");
  ModuleParts bad_offset;
  bad_offset.add_memory(1);
  bad_offset.add_data(cat({{0x00}, {0x01}, i32_const(0), kEnd, {0x00}}));  // nop in offset
  expect_invalid(bad_offset.build(), "constant expression required");
}

TEST(ValidatorTest, MutableGlobalImportNeedsFeature) {
  ModuleParts mb;
  mb.import_global(kI32, true);
  expect_valid(mb.build());
  Features no_mutable_globals;
  no_mutable_globals.set(Feature::MutableGlobals, false);
  expect_invalid(mb.build(), "mutable globals cannot be imported", no_mutable_globals);
}

// ---------------------------------------------------------------------------------------------
// Incremental use (as the interpreter's compiler drives it)

TEST(FuncValidatorTest, IncrementalStepExposesStacks) {
  ModuleParts mb;
  const uint32_t type = mb.add_type({kI32}, {kI32});
  mb.add_func(type, cat({{0x02, 0x7f, 0x20, 0x00}, i32_const(2), {0x6a, 0x0b, 0x0b}}));
  Result<Module> module = decode_module(mb.build().vec());
  ASSERT_TRUE(module.ok()) << module.error().to_string();
  const Features features;
  FuncValidator fv(*module, features);
  const FunctionBody& body = module->bodies[0];
  ASSERT_TRUE(fv.begin_function(0, body));
  EXPECT_EQ(fv.local_count(), 1u);
  EXPECT_EQ(fv.local_type(0), ValType(ValKind::I32));
  InstrReader in(module->slice(body.code), body.code.begin, features);
  Instr instr;
  std::vector<std::pair<size_t, size_t>> shape;  // (control depth, operand height) after each
  while (!in.at_end()) {
    ASSERT_TRUE(in.next(instr));
    ASSERT_TRUE(fv.step(instr, in)) << fv.error().to_string();
    shape.emplace_back(fv.control_depth(), fv.operand_height());
    if (instr.op == Opcode::Block) {
      EXPECT_EQ(fv.label_types(fv.control(0)).size(), 1u);
      EXPECT_EQ(fv.control(1).sig.kind, FrameSig::Kind::Function);
    }
  }
  EXPECT_TRUE(fv.finish(in.offset()));
  EXPECT_TRUE(fv.done());
  const std::vector<std::pair<size_t, size_t>> expected{{2, 0}, {2, 1}, {2, 2},
                                                        {2, 1}, {1, 1}, {0, 1}};
  EXPECT_EQ(shape, expected);
  // The same validator is reusable for the next function.
  ASSERT_TRUE(fv.validate_body(0, body)) << fv.error().to_string();
}

// ---------------------------------------------------------------------------------------------
// Scale: deep nesting and many functions must validate (linear time, no recursion).

TEST(ValidatorScaleTest, NestedBlocksUpToTheLimit) {
  constexpr size_t kDepth = limit_value(Limit::ControlNesting);
  Bytes code;
  code.vec().reserve(kDepth * 3 + 1);
  for (size_t i = 0; i < kDepth; ++i) code.raw({0x02, 0x40});
  code.vec().insert(code.vec().end(), kDepth + 1, 0x0b);
  expect_valid(func({}, {}, code));
  // And a branch from the innermost block to the outermost label.
  Bytes br = code;
  const Bytes branch = Bytes().u8(0x0c).u32(kDepth);
  br.vec().insert(br.vec().begin() + kDepth * 2, branch.vec().begin(), branch.vec().end());
  expect_valid(func({}, {}, br));
}

TEST(ValidatorScaleTest, NestingPastTheLimitIsRefused) {
  constexpr size_t kDepth = limit_value(Limit::ControlNesting) + 1;
  for (uint8_t block_op : {0x02, 0x03, 0x04}) {
    SCOPED_TRACE(int(block_op));
    Bytes code;
    for (size_t i = 0; i < kDepth; ++i) {
      if (block_op == 0x04) code.raw({0x41, 0x00});  // i32.const 0
      code.raw({block_op, 0x40});
    }
    code.vec().insert(code.vec().end(), kDepth + 1, 0x0b);
    expect_invalid(func({}, {}, code),
                   "implementation limit exceeded: nested blocks, loops and "
                   "ifs in a function (control-nesting = 65536)");
  }
}

TEST(ValidatorScaleTest, MillionFunctions) {
  constexpr uint32_t kFunctions = 1000000;
  // Build the sections directly: one type, 1M function entries, 1M three-byte bodies.
  Bytes wasm{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00};
  Bytes functions;
  functions.u32(kFunctions);
  functions.vec().insert(functions.vec().end(), kFunctions, 0x00);
  wasm.append(test::section(kFunctionSection, functions));
  Bytes code;
  code.u32(kFunctions);
  for (uint32_t i = 0; i < kFunctions; ++i) code.raw({0x03, 0x00, 0x01, 0x0b});
  wasm.append(test::section(kCodeSection, code));
  expect_valid(wasm);
}

}  // namespace
}  // namespace loom
