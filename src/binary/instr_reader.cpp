#include "binary/instr_reader.hpp"

#include <cstdio>
#include <string>

namespace loom {
namespace {

std::string opcode_hex(uint8_t prefix, uint32_t code) {
  char buf[32];
  if (prefix) std::snprintf(buf, sizeof buf, "0x%02x 0x%x", prefix, code);
  else std::snprintf(buf, sizeof buf, "0x%02x", code);
  return buf;
}

}  // namespace

bool InstrReader::read_memory_index(uint32_t& out) {
  // 2.0 reserves a zero byte here; multi-memory turns it into a memory index.
  if (features_.has(Feature::MultiMemory)) return reader_.read_u32(out);
  uint8_t byte;
  if (!reader_.read_u8(byte)) return false;
  if (byte != 0) return reader_.fail_at(reader_.offset() - 1, "zero byte expected");
  out = 0;
  return true;
}

bool InstrReader::read_memarg(MemArg& out) {
  uint32_t flags;
  if (!reader_.read_u32(flags)) return false;
  out.memory = 0;
  if (features_.has(Feature::MultiMemory) && (flags & 0x40)) {
    flags &= ~0x40u;
    if (!reader_.read_u32(out.memory)) return false;
  }
  out.align = flags;
  if (features_.has(Feature::Memory64)) return reader_.read_u64(out.offset);
  uint32_t offset;
  if (!reader_.read_u32(offset)) return false;
  out.offset = offset;
  return true;
}

bool InstrReader::read_immediates(Instr& out, const OpInfo& info) {
  Reader& r = reader_;
  switch (info.imm) {
    case ImmKind::None: return true;
    case ImmKind::BlockType: return read_block_type(r, features_, out.block);
    case ImmKind::LabelIdx:
    case ImmKind::FuncIdx:
    case ImmKind::LocalIdx:
    case ImmKind::GlobalIdx:
    case ImmKind::TableIdx:
    case ImmKind::DataIdx:
    case ImmKind::ElemIdx: return r.read_u32(out.index);
    case ImmKind::BrTable: {
      uint32_t count;
      if (!r.read_count(count)) return false;
      br_targets_.resize(count);
      for (uint32_t& target : br_targets_) {
        if (!r.read_u32(target)) return false;
      }
      return r.read_u32(out.index);
    }
    case ImmKind::CallIndirect: return r.read_u32(out.index) && r.read_u32(out.index2);
    case ImmKind::MemArg: return read_memarg(out.mem);
    case ImmKind::MemIdx: return read_memory_index(out.index);
    case ImmKind::I32Const: return r.read_s32(out.i32);
    case ImmKind::I64Const: return r.read_s64(out.i64);
    case ImmKind::F32Const: return r.read_fixed_u32(out.f32_bits);
    case ImmKind::F64Const: return r.read_fixed_u64(out.f64_bits);
    case ImmKind::SelectT: {
      uint32_t count;
      if (!r.read_count(count)) return false;
      select_types_.resize(count);
      for (ValType& t : select_types_) {
        if (!read_val_type(r, features_, t)) return false;
      }
      return true;
    }
    case ImmKind::HeapType: return read_heap_type(r, features_, out.heap);
    case ImmKind::MemoryInit: return r.read_u32(out.index) && read_memory_index(out.index2);
    case ImmKind::MemoryCopy: return read_memory_index(out.index) && read_memory_index(out.index2);
    case ImmKind::TableInit:
    case ImmKind::TableCopy: return r.read_u32(out.index) && r.read_u32(out.index2);
    case ImmKind::V128Const:
    case ImmKind::Shuffle: {
      std::span<const uint8_t> bytes;
      if (!r.read_bytes(16, bytes)) return false;
      std::copy(bytes.begin(), bytes.end(), out.v128.begin());
      return true;
    }
    case ImmKind::Lane: return r.read_u8(out.lane);
    case ImmKind::MemArgLane: return read_memarg(out.mem) && r.read_u8(out.lane);
  }
  return r.fail("unhandled immediate kind");
}

bool InstrReader::next(Instr& out) {
  Reader& r = reader_;
  out.offset = r.offset();
  uint8_t prefix;
  if (!r.read_u8(prefix)) return false;
  uint32_t code = prefix;
  std::optional<Opcode> op;
  if (prefix == 0xfc || prefix == 0xfd) {
    if (!r.read_u32(code)) return false;
    op = opcode_from_binary(prefix, code);
  } else {
    op = opcode_from_binary(0, prefix);
    prefix = 0;
  }
  if (!op) return r.fail_at(out.offset, "illegal opcode " + opcode_hex(prefix, code));
  const OpInfo& info = op_info(*op);
  if (!features_.has(info.feature)) {
    return r.fail_at(out.offset, "illegal opcode " + opcode_hex(prefix, code) + " (" +
                                     std::string(info.text) + " needs --enable-" +
                                     std::string(feature_flag(info.feature)) + ")");
  }
  out.op = *op;
  return read_immediates(out, info);
}

}  // namespace loom
