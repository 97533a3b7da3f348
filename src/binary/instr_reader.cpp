#include "binary/instr_reader.hpp"

#include <array>
#include <cstdio>
#include <string>

namespace loom {
namespace {

// The decoder's own expansion of opcodes.def: opcode, immediate kind and feature by binary code,
// in flat tables the hot loop indexes directly (no optional<> return, no OpInfo indirection).
struct OpEntry {
  uint16_t op;
  ImmKind imm;
  Feature feature;
};
constexpr uint16_t kNoOp = 0xffff;

struct OpTables {
  std::array<OpEntry, 256> single{};
  std::array<OpEntry, 256> misc{};  // 0xFC sub-codes
  std::array<OpEntry, 512> simd{};  // 0xFD sub-codes
  constexpr OpTables() {
    const OpEntry none{kNoOp, ImmKind::None, Feature::Core};
    single.fill(none);
    misc.fill(none);
    simd.fill(none);
#define LOOM_OP(Name, prefix, code, text, imm, r, p1, p2, p3, nat, feat) \
  add(prefix, code, Opcode::Name, ImmKind::imm, Feature::feat);
#include "ir/opcodes.def"
  }
  constexpr void add(unsigned prefix, uint32_t code, Opcode op, ImmKind imm, Feature feature) {
    const OpEntry entry{static_cast<uint16_t>(op), imm, feature};
    if (prefix == 0)
      single[code] = entry;
    else if (prefix == 0xfc)
      misc[code] = entry;
    else
      simd[code] = entry;
  }
  const OpEntry* find(uint8_t prefix, uint32_t code) const {
    if (prefix == 0xfc) return code < misc.size() ? &misc[code] : nullptr;
    return code < simd.size() ? &simd[code] : nullptr;
  }
};
constexpr OpTables kOpTables;

std::string opcode_hex(uint8_t prefix, uint32_t code) {
  char buf[32];
  if (prefix)
    std::snprintf(buf, sizeof buf, "0x%02x 0x%x", prefix, code);
  else
    std::snprintf(buf, sizeof buf, "0x%02x", code);
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

bool InstrReader::read_immediates(Instr& out, ImmKind imm) {
  Reader& r = reader_;
  switch (imm) {
    case ImmKind::None:
      return true;
    case ImmKind::BlockType:
      return read_block_type(r, features_, out.block);
    case ImmKind::LabelIdx:
    case ImmKind::FuncIdx:
    case ImmKind::LocalIdx:
    case ImmKind::GlobalIdx:
    case ImmKind::TableIdx:
    case ImmKind::DataIdx:
    case ImmKind::ElemIdx:
    case ImmKind::TypeIdx:
      return r.read_u32(out.index);
    case ImmKind::BrTable: {
      uint32_t count;
      if (!r.read_count(count)) return false;
      br_targets_.resize(count);
      for (uint32_t& target : br_targets_) {
        if (!r.read_u32(target)) return false;
      }
      return r.read_u32(out.index);
    }
    case ImmKind::CallIndirect:
      return r.read_u32(out.index) && r.read_u32(out.index2);
    case ImmKind::MemArg:
      return read_memarg(out.mem);
    case ImmKind::MemIdx:
      return read_memory_index(out.index);
    case ImmKind::I32Const:
      return r.read_s32(out.i32);
    case ImmKind::I64Const:
      return r.read_s64(out.i64);
    case ImmKind::F32Const:
      return r.read_fixed_u32(out.f32_bits);
    case ImmKind::F64Const:
      return r.read_fixed_u64(out.f64_bits);
    case ImmKind::SelectT: {
      uint32_t count;
      if (!r.read_count(count)) return false;
      select_types_.resize(count);
      for (ValType& t : select_types_) {
        if (!read_val_type(r, features_, t)) return false;
      }
      return true;
    }
    case ImmKind::HeapType:
      return read_heap_type(r, features_, out.heap);
    case ImmKind::MemoryInit:
      return r.read_u32(out.index) && read_memory_index(out.index2);
    case ImmKind::MemoryCopy:
      return read_memory_index(out.index) && read_memory_index(out.index2);
    case ImmKind::TableInit:
    case ImmKind::TableCopy:
      return r.read_u32(out.index) && r.read_u32(out.index2);
    case ImmKind::V128Const:
    case ImmKind::Shuffle: {
      std::span<const uint8_t> bytes;
      if (!r.read_bytes(16, bytes)) return false;
      std::copy(bytes.begin(), bytes.end(), out.v128.begin());
      return true;
    }
    case ImmKind::Lane:
      return r.read_u8(out.lane);
    case ImmKind::MemArgLane:
      return read_memarg(out.mem) && r.read_u8(out.lane);
    case ImmKind::TagIdx:
      return r.read_u32(out.index);
    case ImmKind::TryTable: {
      if (!read_block_type(r, features_, out.block)) return false;
      uint32_t count;
      if (!r.read_count(count, 2)) return false;
      catches_.resize(count);
      for (CatchClause& clause : catches_) {
        uint8_t kind;
        if (!r.read_u8(kind)) return false;
        if (kind > 3) return r.fail_at(r.offset() - 1, "malformed catch clause");
        clause.kind = static_cast<CatchClause::Kind>(kind);
        if (clause.has_tag() && !r.read_u32(clause.tag)) return false;
        if (!r.read_u32(clause.label)) return false;
      }
      return true;
    }
  }
  return r.fail("unhandled immediate kind");
}

bool InstrReader::next(Instr& out) {
  Reader& r = reader_;
  out.offset = r.offset();
  // Fast path: a single-byte opcode with no immediate or a one-byte index / i32 constant (most
  // instructions in real code), decoded from a local pointer with one position update.
  if (r.remaining() >= 2) {
    const uint8_t* p = r.cursor();
    const OpEntry& entry = kOpTables.single[p[0]];  // 0xFC / 0xFD have no single-byte entry
    if (entry.op != kNoOp && features_.has(entry.feature)) {
      switch (entry.imm) {
        case ImmKind::None:
          out.op = static_cast<Opcode>(entry.op);
          r.advance(1);
          return true;
        case ImmKind::LocalIdx:
        case ImmKind::LabelIdx:
        case ImmKind::GlobalIdx:
        case ImmKind::FuncIdx:
          if (p[1] >= 0x80) break;
          out.op = static_cast<Opcode>(entry.op);
          out.index = p[1];
          r.advance(2);
          return true;
        case ImmKind::I32Const:
          if (p[1] >= 0x80) break;
          out.op = static_cast<Opcode>(entry.op);
          out.i32 = static_cast<int8_t>(p[1] << 1) >> 1;
          r.advance(2);
          return true;
        default:
          break;
      }
    }
  }
  uint8_t prefix;
  if (!r.read_u8(prefix)) return false;
  uint32_t code = prefix;
  const OpEntry* entry;
  if (prefix == 0xfc || prefix == 0xfd) {
    if (!r.read_u32(code)) return false;
    entry = kOpTables.find(prefix, code);
  } else {
    entry = &kOpTables.single[prefix];
    prefix = 0;
  }
  if (!entry || entry->op == kNoOp) {
    return r.fail_at(out.offset, "illegal opcode " + opcode_hex(prefix, code));
  }
  const auto op = static_cast<Opcode>(entry->op);
  if (!features_.has(entry->feature)) {
    return r.fail_at(out.offset, "illegal opcode " + opcode_hex(prefix, code) + " (" +
                                     std::string(op_text(op)) + " needs --enable-" +
                                     std::string(feature_flag(entry->feature)) + ")");
  }
  out.op = op;
  // The commonest immediates inline; the rest through the general switch.
  switch (entry->imm) {
    case ImmKind::None:
      return true;
    case ImmKind::LocalIdx:
    case ImmKind::LabelIdx:
    case ImmKind::GlobalIdx:
    case ImmKind::FuncIdx:
      return r.read_u32(out.index);
    case ImmKind::I32Const:
      return r.read_s32(out.i32);
    default:
      return read_immediates(out, entry->imm);
  }
}

}  // namespace loom
