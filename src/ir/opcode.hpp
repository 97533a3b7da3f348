// Opcode enumeration and per-opcode facts, all generated from opcodes.def.
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

#include "ir/features.hpp"
#include "ir/types.hpp"

namespace loom {

// What follows an opcode in the binary format.
enum class ImmKind : uint8_t {
  None,
  BlockType,     // s33 block type
  LabelIdx,      // u32 relative depth
  BrTable,       // vec(u32) + u32 default
  FuncIdx,       // u32
  CallIndirect,  // u32 type index, u32 table index
  LocalIdx,
  GlobalIdx,
  TableIdx,
  MemArg,      // u32 align flags (bit 6: memory index follows), [u32 memidx], u32/u64 offset
  MemIdx,      // u32 memory index (a single zero byte in 2.0)
  I32Const,    // s32
  I64Const,    // s64
  F32Const,    // 4 bytes little endian
  F64Const,    // 8 bytes little endian
  SelectT,     // vec(valtype)
  HeapType,    // heap type (ref.null)
  MemoryInit,  // u32 data index, u32 memory index
  DataIdx,
  MemoryCopy,  // u32 dest memory, u32 source memory
  TableInit,   // u32 elem index, u32 table index
  ElemIdx,
  TableCopy,   // u32 dest table, u32 source table
  V128Const,   // 16 bytes
  Shuffle,     // 16 lane indices
  Lane,        // 1 lane byte
  MemArgLane,  // memarg then 1 lane byte
  TypeIdx,     // u32 type index (call_ref, struct.new, ...)
  TagIdx,      // u32 tag index (throw, legacy catch)
  TryTable,    // block type, vec(catch clause): kind byte, [u32 tag], u32 label
};

enum class Opcode : uint16_t {
#define LOOM_OP(Name, prefix, code, text, imm, r, p1, p2, p3, nat, feat) Name,
#include "ir/opcodes.def"
  Count_
};

inline constexpr size_t kOpcodeCount = static_cast<size_t>(Opcode::Count_);

struct OpInfo {
  std::string_view text;
  uint8_t prefix;  // 0, 0xFC or 0xFD
  uint32_t code;
  ImmKind imm;
  // Fixed signature for simple instructions; ValKind::Void marks an absent slot.
  ValKind result, param1, param2, param3;
  uint8_t natural;  // access size in bytes (memory ops) or lane count (lane ops)
  Feature feature;
  // True when the four type columns fully describe the instruction's typing.
  bool simple;
};

const OpInfo& op_info(Opcode op);
inline std::string_view op_text(Opcode op) {
  return op_info(op).text;
}

// Binary lookup: prefix 0 with a single byte code, or 0xFC/0xFD with the LEB sub-code.
std::optional<Opcode> opcode_from_binary(uint8_t prefix, uint32_t code);

}  // namespace loom
