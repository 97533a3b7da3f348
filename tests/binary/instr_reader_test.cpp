// InstrReader: every immediate kind, every opcode of opcodes.def, unknown and disabled opcodes,
// reserved zero bytes, truncation.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "binary/instr_reader.hpp"
#include "ir/opcode.hpp"
#include "support/wasm_builder.hpp"

namespace loom {
namespace {

using namespace loom::test;  // NOLINT

constexpr size_t kBase = 1000;  // instruction offsets are absolute; pretend the code sits here

struct Decoded {
  bool ok = false;
  Instr instr;
  size_t consumed = 0;
  std::vector<uint32_t> br_targets;
  std::vector<ValType> select_types;
  Error error;
};

Decoded decode_one(const std::vector<uint8_t>& bytes, const Features& features) {
  InstrReader in(bytes, kBase, features);
  Decoded out;
  out.ok = in.next(out.instr);
  out.consumed = in.offset() - kBase;
  if (out.ok) {
    out.br_targets = in.br_table_targets();
    out.select_types = in.select_types();
  } else {
    out.error = in.error();
  }
  return out;
}

Decoded decode_ok(const std::vector<uint8_t>& bytes, const Features& features = Features::all()) {
  Decoded d = decode_one(bytes, features);
  EXPECT_TRUE(d.ok) << d.error.message << " in " << ::testing::PrintToString(bytes);
  EXPECT_EQ(d.consumed, bytes.size()) << ::testing::PrintToString(bytes);
  EXPECT_EQ(d.instr.offset, kBase);
  return d;
}

void expect_error(const std::vector<uint8_t>& bytes, const std::string& message, size_t offset,
                  const Features& features = Features::wasm20()) {
  SCOPED_TRACE(::testing::PrintToString(bytes));
  Decoded d = decode_one(bytes, features);
  ASSERT_FALSE(d.ok) << "decoded as " << op_text(d.instr.op);
  EXPECT_NE(d.error.message.find(message), std::string::npos)
      << "got: " << d.error.message << "\nexpected: " << message;
  ASSERT_TRUE(d.error.offset.has_value());
  EXPECT_EQ(*d.error.offset, kBase + offset) << d.error.message;
}

Features with(Feature f) {
  Features features = Features::wasm20();
  features.set(f, true);
  return features;
}
Features without(Feature f) {
  Features features;
  features.set(f, false);
  return features;
}

Bytes opcode_bytes(const OpInfo& info) {
  Bytes out;
  if (info.prefix == 0) return out.u8(uint8_t(info.code));
  return out.u8(info.prefix).uleb(info.code);
}

std::string hex(unsigned value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%02x", value);
  return buf;
}

// Plausible immediates for each kind, and a check that they decoded back. Memory offsets and
// indices are small so the encoding is the same with and without memory64 / multi-memory.
Bytes encode_immediates(ImmKind kind) {
  switch (kind) {
    case ImmKind::None:
      return {};
    case ImmKind::BlockType:
      return Bytes{kEmptyBlock};
    case ImmKind::LabelIdx:
    case ImmKind::FuncIdx:
    case ImmKind::LocalIdx:
    case ImmKind::GlobalIdx:
    case ImmKind::TableIdx:
    case ImmKind::DataIdx:
    case ImmKind::ElemIdx:
    case ImmKind::TypeIdx:
    case ImmKind::TagIdx:
      return uleb(300);
    case ImmKind::TryTable:  // empty block type; (catch 5 1) (catch_all_ref 2)
      return Bytes{kEmptyBlock, 0x02, 0x00, 0x05, 0x01, 0x03, 0x02};
    case ImmKind::BrTable:
      return vec_u32({1, 2, 3}).uleb(4);
    case ImmKind::CallIndirect:
      return Bytes().uleb(7).uleb(1);
    case ImmKind::MemArg:
      return Bytes().uleb(2).uleb(1000);
    case ImmKind::MemIdx:
      return Bytes{0x00};
    case ImmKind::I32Const:
      return sleb(-123456);
    case ImmKind::I64Const:
      return sleb(INT64_MIN);
    case ImmKind::F32Const:
      return Bytes().fixed_u32(0x7fc00001);
    case ImmKind::F64Const:
      return Bytes().fixed_u64(0xfff0000000000001ull);
    case ImmKind::SelectT:
      return Bytes{0x01, kI64};
    case ImmKind::HeapType:
      return Bytes{kExternRef};
    case ImmKind::MemoryInit:
      return Bytes().uleb(3).u8(0);
    case ImmKind::MemoryCopy:
      return Bytes{0x00, 0x00};
    case ImmKind::TableInit:
      return Bytes().uleb(5).uleb(1);
    case ImmKind::TableCopy:
      return Bytes().uleb(1).uleb(2);
    case ImmKind::V128Const:
    case ImmKind::Shuffle: {
      Bytes out;
      for (uint8_t i = 0; i < 16; ++i) out.u8(i);
      return out;
    }
    case ImmKind::Lane:
      return Bytes{0x03};
    case ImmKind::MemArgLane:
      return Bytes().uleb(1).uleb(8).u8(1);
  }
  return {};
}

void check_immediates(ImmKind kind, const Decoded& d) {
  const Instr& i = d.instr;
  switch (kind) {
    case ImmKind::None:
      break;
    case ImmKind::BlockType:
      EXPECT_EQ(i.block.kind, BlockType::Kind::Empty);
      break;
    case ImmKind::LabelIdx:
    case ImmKind::FuncIdx:
    case ImmKind::LocalIdx:
    case ImmKind::GlobalIdx:
    case ImmKind::TableIdx:
    case ImmKind::DataIdx:
    case ImmKind::ElemIdx:
    case ImmKind::TypeIdx:
    case ImmKind::TagIdx:
      EXPECT_EQ(i.index, 300u);
      break;
    case ImmKind::TryTable:
      EXPECT_EQ(i.block.kind, BlockType::Kind::Empty);
      break;
    case ImmKind::BrTable:
      EXPECT_EQ(d.br_targets, (std::vector<uint32_t>{1, 2, 3}));
      EXPECT_EQ(i.index, 4u);
      break;
    case ImmKind::CallIndirect:
      EXPECT_EQ(i.index, 7u);
      EXPECT_EQ(i.index2, 1u);
      break;
    case ImmKind::MemArg:
      EXPECT_EQ(i.mem.align, 2u);
      EXPECT_EQ(i.mem.offset, 1000u);
      EXPECT_EQ(i.mem.memory, 0u);
      break;
    case ImmKind::MemIdx:
      EXPECT_EQ(i.index, 0u);
      break;
    case ImmKind::I32Const:
      EXPECT_EQ(i.i32, -123456);
      break;
    case ImmKind::I64Const:
      EXPECT_EQ(i.i64, INT64_MIN);
      break;
    case ImmKind::F32Const:
      EXPECT_EQ(i.f32_bits, 0x7fc00001u);
      break;
    case ImmKind::F64Const:
      EXPECT_EQ(i.f64_bits, 0xfff0000000000001ull);
      break;
    case ImmKind::SelectT:
      EXPECT_EQ(d.select_types, (std::vector<ValType>{ValKind::I64}));
      break;
    case ImmKind::HeapType:
      EXPECT_TRUE(i.heap.is(AbsHeap::Extern));
      break;
    case ImmKind::MemoryInit:
      EXPECT_EQ(i.index, 3u);
      EXPECT_EQ(i.index2, 0u);
      break;
    case ImmKind::MemoryCopy:
      EXPECT_EQ(i.index, 0u);
      EXPECT_EQ(i.index2, 0u);
      break;
    case ImmKind::TableInit:
      EXPECT_EQ(i.index, 5u);
      EXPECT_EQ(i.index2, 1u);
      break;
    case ImmKind::TableCopy:
      EXPECT_EQ(i.index, 1u);
      EXPECT_EQ(i.index2, 2u);
      break;
    case ImmKind::V128Const:
    case ImmKind::Shuffle:
      for (uint8_t k = 0; k < 16; ++k) EXPECT_EQ(i.v128[k], k);
      break;
    case ImmKind::Lane:
      EXPECT_EQ(i.lane, 3u);
      break;
    case ImmKind::MemArgLane:
      EXPECT_EQ(i.mem.align, 1u);
      EXPECT_EQ(i.mem.offset, 8u);
      EXPECT_EQ(i.lane, 1u);
      break;
  }
}

// ---- The whole opcode table ----

TEST(InstrReaderTable, EveryOpcodeRoundTrips) {
  ASSERT_GT(kOpcodeCount, 400u);
  const Features all = Features::all();
  const Features defaults;
  for (size_t index = 0; index < kOpcodeCount; ++index) {
    const Opcode op = static_cast<Opcode>(index);
    const OpInfo& info = op_info(op);
    SCOPED_TRACE(std::string(info.text));
    ASSERT_EQ(opcode_from_binary(info.prefix, info.code), op) << "table lookup disagrees";

    const Bytes bytes = Bytes(opcode_bytes(info)).append(encode_immediates(info.imm));
    Decoded d = decode_ok(bytes, all);
    ASSERT_TRUE(d.ok);
    EXPECT_EQ(d.instr.op, op);
    check_immediates(info.imm, d);

    // With the default (2.0) features, default-off proposals are rejected at the opcode.
    Decoded with_defaults = decode_one(bytes, defaults);
    if (defaults.has(info.feature)) {
      EXPECT_TRUE(with_defaults.ok) << with_defaults.error.message;
      EXPECT_EQ(with_defaults.instr.op, op);
    } else {
      ASSERT_FALSE(with_defaults.ok);
      EXPECT_NE(with_defaults.error.message.find("needs --enable-" +
                                                 std::string(feature_flag(info.feature))),
                std::string::npos)
          << with_defaults.error.message;
      EXPECT_EQ(with_defaults.error.offset, kBase);
    }

    // Every truncation of the immediates is an "unexpected end" inside the instruction.
    const size_t opcode_size = opcode_bytes(info).size();
    for (size_t len = opcode_size; len < bytes.size(); ++len) {
      std::vector<uint8_t> cut(bytes.vec().begin(), bytes.vec().begin() + len);
      Decoded t = decode_one(cut, all);
      ASSERT_FALSE(t.ok) << "truncated to " << len << " bytes still decoded";
      EXPECT_NE(t.error.message.find("unexpected end"), std::string::npos) << t.error.message;
      ASSERT_TRUE(t.error.offset.has_value());
      EXPECT_GE(*t.error.offset, kBase + opcode_size);
      EXPECT_LE(*t.error.offset, kBase + len);
    }
  }
}

TEST(InstrReaderTable, OpcodeTableHasNoDuplicateEncodings) {
  for (size_t a = 0; a < kOpcodeCount; ++a) {
    const OpInfo& info = op_info(static_cast<Opcode>(a));
    EXPECT_EQ(static_cast<size_t>(*opcode_from_binary(info.prefix, info.code)), a) << info.text;
  }
}

TEST(InstrReaderTable, UnknownSingleByteOpcodes) {
  int unknown = 0;
  for (unsigned byte = 0; byte < 256; ++byte) {
    if (byte == 0xfc || byte == 0xfd) continue;
    if (opcode_from_binary(0, byte)) continue;
    ++unknown;
    expect_error({uint8_t(byte), 0, 0, 0}, "illegal opcode " + hex(byte), 0, Features::all());
  }
  EXPECT_GT(unknown, 40);
  // Some that are certainly not 2.0 instructions.
  for (uint8_t byte : {0x06, 0x0a, 0x14, 0x19, 0x27, 0xc5, 0xd3, 0xfe, 0xff}) {
    expect_error({byte}, "illegal opcode", 0);
  }
}

TEST(InstrReaderTable, UnknownPrefixedOpcodes) {
  for (uint32_t code = 0; code < 0x40; ++code) {
    if (opcode_from_binary(0xfc, code)) continue;
    char message[40];
    std::snprintf(message, sizeof message, "illegal opcode 0xfc 0x%x", code);
    expect_error(Bytes{0xfc}.uleb(code), message, 0, Features::all());
  }
  for (uint32_t code = 0; code < 0x300; ++code) {
    if (opcode_from_binary(0xfd, code)) continue;
    Decoded d = decode_one(Bytes{0xfd}.uleb(code), Features::all());
    ASSERT_FALSE(d.ok) << code;
    EXPECT_NE(d.error.message.find("illegal opcode 0xfd"), std::string::npos);
    EXPECT_EQ(d.error.offset, kBase);
  }
  expect_error(Bytes{0xfc}.uleb(UINT32_MAX), "illegal opcode 0xfc 0xffffffff", 0);
  expect_error(Bytes{0xfd}.uleb(0x100), "illegal opcode 0xfd 0x100", 0);
  expect_error({0xfc, 0x12}, "illegal opcode 0xfc 0x12", 0);
  expect_error({0xfd, 0x9a, 0x01}, "illegal opcode 0xfd 0x9a", 0);
}

TEST(InstrReaderTable, PrefixedSubOpcodeEncoding) {
  // The sub-opcode is a u32 LEB: padded forms are fine, over-long or truncated ones are not.
  Decoded d = decode_ok(Bytes{0xfc}.uleb_padded(0x0d, 5).uleb(2));
  EXPECT_EQ(d.instr.op, Opcode::ElemDrop);
  EXPECT_EQ(d.instr.index, 2u);
  expect_error(Bytes{0xfc}.uleb_padded(0x0d, 6).uleb(2), "integer representation too long", 1);
  expect_error({0xfd, 0xff, 0xff, 0xff, 0xff, 0x1f}, "integer too large", 1);
  expect_error({0xfc}, "unexpected end of section or function", 1);
  expect_error({0xfd, 0x80}, "unexpected end of section or function", 2);
}

// ---- Disabled features ----

TEST(InstrReaderFeatures, DisabledProposalsAreRejectedAtTheOpcode) {
  expect_error({0x12, 0x00}, "illegal opcode 0x12 (return_call needs --enable-tail-call)", 0);
  expect_error({0x13, 0x00, 0x00}, "return_call_indirect needs --enable-tail-call", 0);
  expect_error(Bytes{0xfd, 0x0c}.append(encode_immediates(ImmKind::V128Const)),
               "v128.const needs --enable-simd", 0, without(Feature::Simd));
  expect_error({0xc0}, "i32.extend8_s needs --enable-sign-extension", 0,
               without(Feature::SignExtension));
  expect_error({0xfc, 0x00}, "i32.trunc_sat_f32_s needs --enable-saturating-float-to-int", 0,
               without(Feature::SatFloatToInt));
  expect_error({0xfc, 0x0a, 0x00, 0x00}, "memory.copy needs --enable-bulk-memory", 0,
               without(Feature::BulkMemory));
  expect_error({0xd0, kFuncRef}, "ref.null needs --enable-reference-types", 0,
               without(Feature::ReferenceTypes));
  Decoded d = decode_ok({0x12, 0x05}, with(Feature::TailCall));
  EXPECT_EQ(d.instr.op, Opcode::ReturnCall);
  EXPECT_EQ(d.instr.index, 5u);
}

TEST(InstrReaderFeatures, DisabledTypesInImmediates) {
  // v128 as a block type or typed-select type needs simd.
  expect_error({op::kBlock, kV128}, "malformed value type", 1, without(Feature::Simd));
  expect_error({0x1c, 0x01, kV128}, "malformed value type", 2, without(Feature::Simd));
  // A type index as block type needs multi-value.
  expect_error({op::kBlock, 0x00}, "malformed block type", 1, without(Feature::MultiValue));
}

// ---- Immediates, one kind at a time ----

TEST(InstrReaderImmediates, BlockTypes) {
  Decoded d = decode_ok({op::kBlock, kEmptyBlock});
  EXPECT_EQ(d.instr.op, Opcode::Block);
  EXPECT_EQ(d.instr.block.kind, BlockType::Kind::Empty);

  d = decode_ok({op::kLoop, kI32});
  EXPECT_EQ(d.instr.op, Opcode::Loop);
  EXPECT_EQ(d.instr.block.kind, BlockType::Kind::Value);
  EXPECT_EQ(d.instr.block.value, ValType(ValKind::I32));

  d = decode_ok({op::kIf, kFuncRef});
  EXPECT_EQ(d.instr.block.value, ValType::funcref());

  d = decode_ok({op::kBlock, kV128});
  EXPECT_EQ(d.instr.block.value, ValType(ValKind::V128));

  d = decode_ok({op::kBlock, 0x05}, Features());
  EXPECT_EQ(d.instr.block.kind, BlockType::Kind::Index);
  EXPECT_EQ(d.instr.block.index, 5u);

  d = decode_ok(Bytes{op::kBlock}.s33(200), Features());
  EXPECT_EQ(d.instr.block.kind, BlockType::Kind::Index);
  EXPECT_EQ(d.instr.block.index, 200u);

  for (int64_t index : {63, 64, 100, 127, 128, 8191, 8192, 0x12345678}) {
    d = decode_ok(Bytes{op::kIf}.s33(index), Features());
    EXPECT_EQ(d.instr.block.kind, BlockType::Kind::Index) << index;
    EXPECT_EQ(d.instr.block.index, uint32_t(index));
  }

  d = decode_ok(Bytes{op::kBlock}.s33(0xffffffffll), Features());
  EXPECT_EQ(d.instr.block.index, 0xffffffffu);

  expect_error({op::kBlock, 0x7a}, "malformed value type", 1);
  expect_error(Bytes{op::kBlock}.s33(-128), "malformed block type", 1);
  expect_error({op::kBlock, 0x80, 0x80, 0x80, 0x80, 0x40}, "integer too large", 1);
  expect_error({op::kBlock}, "unexpected end of section or function", 1);
}

TEST(InstrReaderImmediates, BranchTables) {
  Decoded d = decode_ok(Bytes{op::kBrTable}.append(vec_u32({0, 300, 7})).uleb(1));
  EXPECT_EQ(d.instr.op, Opcode::BrTable);
  EXPECT_EQ(d.br_targets, (std::vector<uint32_t>{0, 300, 7}));
  EXPECT_EQ(d.instr.index, 1u);

  d = decode_ok({op::kBrTable, 0x00, 0x09});
  EXPECT_TRUE(d.br_targets.empty());
  EXPECT_EQ(d.instr.index, 9u);

  // A count far beyond the bytes left fails at once.
  expect_error(Bytes{op::kBrTable}.uleb(UINT32_MAX).raw({0, 0}), "unexpected end", 6);
  expect_error({op::kBrTable, 0x02, 0x00, 0x00}, "unexpected end of section or function", 4);
}

TEST(InstrReaderImmediates, CallsAndIndices) {
  Decoded d = decode_ok(Bytes{op::kCall}.uleb(UINT32_MAX));
  EXPECT_EQ(d.instr.index, UINT32_MAX);
  d = decode_ok({op::kCallIndirect, 0x05, 0x02});
  EXPECT_EQ(d.instr.op, Opcode::CallIndirect);
  EXPECT_EQ(d.instr.index, 5u);
  EXPECT_EQ(d.instr.index2, 2u);
  d = decode_ok({op::kLocalTee, 0x80, 0x01});
  EXPECT_EQ(d.instr.op, Opcode::LocalTee);
  EXPECT_EQ(d.instr.index, 128u);
  expect_error({op::kLocalGet, 0xff, 0xff, 0xff, 0xff, 0x10}, "integer too large", 1);
  expect_error({op::kGlobalGet, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00},
               "integer representation too long", 1);
}

TEST(InstrReaderImmediates, OneByteAndPaddedImmediatesAgree) {
  // One-byte indices and constants take a fast path; padded encodings of the same value take the
  // general one. Both must agree for every one-byte value.
  for (uint8_t value = 0; value < 0x80; ++value) {
    SCOPED_TRACE(int(value));
    for (uint8_t opcode : {op::kLocalGet, op::kLocalSet, op::kGlobalGet, op::kBr, op::kCall}) {
      Decoded fast = decode_ok({opcode, value});
      Decoded padded = decode_ok({opcode, uint8_t(value | 0x80), 0x00});
      EXPECT_EQ(fast.instr.op, padded.instr.op);
      EXPECT_EQ(fast.instr.index, value);
      EXPECT_EQ(padded.instr.index, value);
    }
    Decoded fast = decode_ok({op::kI32Const, value});
    Decoded padded =
        decode_ok({op::kI32Const, uint8_t(value | 0x80), uint8_t(value & 0x40 ? 0x7f : 0x00)});
    const int32_t expected = value < 0x40 ? value : int32_t(value) - 0x80;
    EXPECT_EQ(fast.instr.i32, expected);
    EXPECT_EQ(padded.instr.i32, expected);
  }
  // The fast path still honours features and reports the offset of the opcode.
  expect_error({0x12, 0x00}, "needs --enable-tail-call", 0);
  expect_error({op::kI32Const}, "unexpected end of section or function", 1);
}

TEST(InstrReaderImmediates, MemArgs) {
  Decoded d = decode_ok({op::kI32Load, 0x02, 0xff, 0xff, 0xff, 0xff, 0x0f}, Features());
  EXPECT_EQ(d.instr.mem.align, 2u);
  EXPECT_EQ(d.instr.mem.offset, 0xffffffffu);
  // Offsets of 4 GiB and more need memory64.
  const Bytes big = Bytes{op::kI64Load, 0x03}.u64(uint64_t{1} << 32);
  ASSERT_EQ(big.size(), 7u);
  expect_error(big, "integer too large", 2);
  d = decode_ok(big, with(Feature::Memory64));
  EXPECT_EQ(d.instr.mem.offset, uint64_t{1} << 32);
  const Bytes huge = Bytes{op::kI64Load, 0x03}.u64(uint64_t{1} << 40);
  expect_error(huge, "integer representation too long", 2);
  d = decode_ok(huge, with(Feature::Memory64));
  EXPECT_EQ(d.instr.mem.offset, uint64_t{1} << 40);
  // Bit 6 of the flags announces a memory index with multi-memory.
  const Bytes indexed = {op::kI32Store, 0x42, 0x03, 0x10};
  d = decode_ok(indexed, with(Feature::MultiMemory));
  EXPECT_EQ(d.instr.mem.align, 2u);
  EXPECT_EQ(d.instr.mem.memory, 3u);
  EXPECT_EQ(d.instr.mem.offset, 16u);
  // Without it the flags are just a (too large) alignment, left for the validator to reject.
  Decoded plain = decode_one(indexed, Features::wasm20());
  ASSERT_TRUE(plain.ok);
  EXPECT_EQ(plain.instr.mem.align, 0x42u);
  EXPECT_EQ(plain.consumed, 3u);
}

TEST(InstrReaderImmediates, Constants) {
  Decoded d = decode_ok(Bytes{op::kI32Const}.s32(INT32_MIN));
  EXPECT_EQ(d.instr.i32, INT32_MIN);
  d = decode_ok(Bytes{op::kI32Const}.s32(INT32_MAX));
  EXPECT_EQ(d.instr.i32, INT32_MAX);
  d = decode_ok({op::kI32Const, 0x7f});
  EXPECT_EQ(d.instr.i32, -1);
  d = decode_ok(Bytes{op::kI64Const}.s64(INT64_MAX));
  EXPECT_EQ(d.instr.i64, INT64_MAX);
  d = decode_ok(Bytes{op::kF32Const}.f32(-0.0f));
  EXPECT_EQ(d.instr.f32_bits, 0x80000000u);
  d = decode_ok(Bytes{op::kF64Const}.fixed_u64(0x7ff4000000000000ull));  // signalling NaN kept
  EXPECT_EQ(d.instr.f64_bits, 0x7ff4000000000000ull);
  expect_error({op::kI32Const, 0xff, 0xff, 0xff, 0xff, 0x0f}, "integer too large", 1);
  expect_error({op::kI32Const, 0x80, 0x80, 0x80, 0x80, 0x70}, "integer too large", 1);
  expect_error({op::kI64Const, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
               "integer too large", 1);
  expect_error({op::kF32Const, 0x00, 0x00, 0x80}, "unexpected end of section or function", 1);
  expect_error({op::kF64Const, 1, 2, 3, 4, 5, 6, 7}, "unexpected end of section or function", 1);
}

TEST(InstrReaderImmediates, TypedSelect) {
  Decoded d = decode_ok({0x1c, 0x02, kI32, kExternRef});
  EXPECT_EQ(d.instr.op, Opcode::SelectT);
  EXPECT_EQ(d.select_types, (std::vector<ValType>{ValKind::I32, ValType::externref()}));
  d = decode_ok({0x1c, 0x00});  // arity is the validator's business
  EXPECT_TRUE(d.select_types.empty());
  expect_error({0x1c, 0x01, 0x7a}, "malformed value type", 2);
  expect_error(Bytes{0x1c}.uleb(UINT32_MAX), "unexpected end", 6);
}

TEST(InstrReaderImmediates, HeapTypes) {
  Decoded d = decode_ok({op::kRefNull, kFuncRef}, Features());
  EXPECT_TRUE(d.instr.heap.is(AbsHeap::Func));
  d = decode_ok({op::kRefNull, kExternRef}, Features());
  EXPECT_TRUE(d.instr.heap.is(AbsHeap::Extern));
  expect_error({op::kRefNull, kI32}, "malformed reference type", 1);
  expect_error({op::kRefNull, 0x00}, "malformed reference type", 1);
  expect_error({op::kRefNull, 0x6e}, "malformed reference type", 1);  // any: GC only
  d = decode_ok({op::kRefNull, 0x03}, with(Feature::FunctionReferences));
  EXPECT_TRUE(d.instr.heap.is_index());
  EXPECT_EQ(d.instr.heap.value, 3u);
  for (int64_t index : {63, 64, 100, 127, 128, 200, 100000}) {
    d = decode_ok(Bytes{op::kRefNull}.s33(index), with(Feature::FunctionReferences));
    EXPECT_EQ(d.instr.heap.value, uint32_t(index)) << index;
  }
  expect_error(Bytes{op::kRefNull}.s33(-100), "malformed reference type", 1,
               with(Feature::FunctionReferences));
  d = decode_ok({op::kRefNull, 0x6e}, with(Feature::Gc));
  EXPECT_TRUE(d.instr.heap.is(AbsHeap::Any));
}

TEST(InstrReaderImmediates, SimdLanesAndBytes) {
  Decoded d = decode_ok({0xfd, 0x15, 0x0f});
  EXPECT_EQ(d.instr.op, Opcode::I8x16ExtractLaneS);
  EXPECT_EQ(d.instr.lane, 15u);
  d = decode_ok({0xfd, 0x57, 0x03, 0x20, 0x01});
  EXPECT_EQ(d.instr.op, Opcode::V128Load64Lane);
  EXPECT_EQ(d.instr.mem.align, 3u);
  EXPECT_EQ(d.instr.mem.offset, 32u);
  EXPECT_EQ(d.instr.lane, 1u);
  Bytes shuffle = {0xfd, 0x0d};
  for (uint8_t i = 0; i < 16; ++i) shuffle.u8(uint8_t(31 - i));
  d = decode_ok(shuffle);
  EXPECT_EQ(d.instr.op, Opcode::I8x16Shuffle);
  EXPECT_EQ(d.instr.v128[0], 31u);
  EXPECT_EQ(d.instr.v128[15], 16u);
  expect_error({0xfd, 0x0c, 1, 2, 3}, "unexpected end of section or function", 2);
  expect_error({0xfd, 0x21}, "unexpected end of section or function", 2);
}

TEST(InstrReaderImmediates, BulkMemoryAndTables) {
  Decoded d = decode_ok({0xfc, 0x08, 0x07, 0x00}, Features());
  EXPECT_EQ(d.instr.op, Opcode::MemoryInit);
  EXPECT_EQ(d.instr.index, 7u);
  d = decode_ok({0xfc, 0x0c, 0x02, 0x01}, Features());
  EXPECT_EQ(d.instr.op, Opcode::TableInit);
  EXPECT_EQ(d.instr.index, 2u);
  EXPECT_EQ(d.instr.index2, 1u);
  d = decode_ok({0xfc, 0x0e, 0x03, 0x04}, Features());
  EXPECT_EQ(d.instr.op, Opcode::TableCopy);
  EXPECT_EQ(d.instr.index, 3u);
  EXPECT_EQ(d.instr.index2, 4u);
  d = decode_ok({0xfc, 0x09, 0x01}, Features());
  EXPECT_EQ(d.instr.op, Opcode::DataDrop);
  d = decode_ok({0xfc, 0x11, 0x00}, Features());
  EXPECT_EQ(d.instr.op, Opcode::TableFill);
}

// ---- Reserved zero bytes ----

TEST(InstrReaderZeroBytes, MemoryIndexMustBeZeroWithoutMultiMemory) {
  expect_error({0x3f, 0x01}, "zero byte expected", 1);              // memory.size
  expect_error({0x40, 0x80, 0x00}, "zero byte expected", 1);        // memory.grow, padded zero
  expect_error({0xfc, 0x0b, 0x01}, "zero byte expected", 2);        // memory.fill
  expect_error({0xfc, 0x08, 0x00, 0x01}, "zero byte expected", 3);  // memory.init
  expect_error({0xfc, 0x0a, 0x01, 0x00}, "zero byte expected", 2);  // memory.copy dest
  expect_error({0xfc, 0x0a, 0x00, 0x02}, "zero byte expected", 3);  // memory.copy source
  expect_error({0x3f}, "unexpected end of section or function", 1);

  Decoded d = decode_ok({0x3f, 0x00}, Features());
  EXPECT_EQ(d.instr.op, Opcode::MemorySize);
  d = decode_ok({0x40, 0x01}, with(Feature::MultiMemory));
  EXPECT_EQ(d.instr.op, Opcode::MemoryGrow);
  EXPECT_EQ(d.instr.index, 1u);
  d = decode_ok({0xfc, 0x0a, 0x02, 0x01}, with(Feature::MultiMemory));
  EXPECT_EQ(d.instr.index, 2u);
  EXPECT_EQ(d.instr.index2, 1u);
}

// ---- Streams ----

TEST(InstrReaderStream, OffsetsAcrossABody) {
  const Bytes code = Bytes{op::kBlock, kEmptyBlock}         // 0
                         .raw({op::kI32Const, 0x80, 0x01})  // 2
                         .raw({op::kBrIf, 0x00})            // 5
                         .raw({0xfd, 0x0c})                 // 7
                         .append(encode_immediates(ImmKind::V128Const))
                         .raw({op::kDrop})            // 25
                         .raw({op::kEnd, op::kEnd});  // 26, 27
  const Features features;
  InstrReader in(code.vec(), kBase, features);
  std::vector<std::pair<Opcode, size_t>> seen;
  Instr instr;
  while (!in.at_end()) {
    ASSERT_TRUE(in.next(instr)) << in.error().message;
    seen.emplace_back(instr.op, instr.offset - kBase);
  }
  const std::vector<std::pair<Opcode, size_t>> expected = {
      {Opcode::Block, 0}, {Opcode::I32Const, 2}, {Opcode::BrIf, 5}, {Opcode::V128Const, 7},
      {Opcode::Drop, 25}, {Opcode::End, 26},     {Opcode::End, 27}};
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(in.offset(), kBase + code.size());
}

TEST(InstrReaderStream, ErrorStopsTheStream) {
  const Bytes code = {op::kNop, 0xff, op::kNop};
  const Features features;
  InstrReader in(code.vec(), kBase, features);
  Instr instr;
  ASSERT_TRUE(in.next(instr));
  EXPECT_FALSE(in.next(instr));
  EXPECT_TRUE(in.failed());
  EXPECT_EQ(in.error().message, "illegal opcode 0xff");
  EXPECT_EQ(in.error().offset, kBase + 1);
}

}  // namespace
}  // namespace loom
