// One instruction's name and immediates -> bytes, driven by the opcode table (ir/opcodes.def):
// the text name selects the opcode, its ImmKind says which immediates to parse.
#include <bit>
#include <cstring>
#include <unordered_map>

#include "text/literals.hpp"
#include "text/wat_parser.hpp"

namespace loom::text {
namespace {

using OpcodeMap = std::unordered_map<std::string_view, Opcode, IdHash>;

const OpcodeMap& opcodes_by_name() {
  static const OpcodeMap table = [] {
    OpcodeMap map;
    for (size_t i = 0; i < kOpcodeCount; ++i) {
      const auto op = static_cast<Opcode>(i);
      map.emplace(op_text(op), op);  // the first entry wins: `select` maps to untyped select
    }
    return map;
  }();
  return table;
}

void write_opcode(std::vector<uint8_t>& out, const OpInfo& info) {
  if (info.prefix == 0) {
    out.push_back(static_cast<uint8_t>(info.code));
  } else {
    out.push_back(info.prefix);
    append_uleb(out, info.code);
  }
}

}  // namespace

bool WatParser::parse_plain_op(const Token& op_token, std::vector<uint8_t>& out) {
  const auto& names = opcodes_by_name();
  auto it = names.find(op_token.text);
  if (it == names.end()) return fail(op_token, "unknown operator");
  Opcode op = it->second;
  if (op == Opcode::Select && is_lparen_kw("result")) op = Opcode::SelectT;
  const OpInfo& info = op_info(op);
  if (!features_.has(info.feature)) {
    return fail(op_token, "unknown operator (feature " + std::string(feature_flag(info.feature)) +
                              " is not enabled)");
  }
  if (info.imm == ImmKind::BlockType) return fail(op_token, "unexpected block instruction");
  // The legacy handler keywords only appear inside a `try` (wat_instr.cpp).
  if (op == Opcode::Catch || op == Opcode::CatchAll || op == Opcode::Delegate) {
    return fail(op_token, "unexpected token");
  }
  return parse_immediates(op, op_token, out);
}

bool WatParser::parse_label_index(uint32_t& out) {
  if (cur().kind == TokenKind::Number) return parse_u32(out);
  if (cur().kind != TokenKind::Id) return fail("unexpected token, expected a label");
  const auto depth = labels_.depth_of(t_.id_name(cur()));
  if (!depth) return fail("unknown label");
  out = *depth;
  ++pos_;
  return true;
}

bool WatParser::parse_local_index(uint32_t& out) {
  if (cur().kind == TokenKind::Number) return parse_u32(out);
  if (cur().kind != TokenKind::Id) return fail("unexpected token, expected a local");
  auto it = locals_.find(t_.id_name(cur()));
  if (it == locals_.end()) return fail("unknown local");
  out = it->second;
  ++pos_;
  return true;
}

// memarg: `offset=N`? `align=N`? (align defaults to the natural alignment).
bool WatParser::parse_memarg(const OpInfo& info, std::vector<uint8_t>& out) {
  uint32_t memory = 0;
  if (is_index_token() && features_.has(Feature::MultiMemory) && memory_index_first(info)) {
    if (!parse_index(Space::Memory, memory)) return false;
  }
  uint64_t offset = 0;
  uint64_t align = info.natural;
  if (cur().kind == TokenKind::Keyword && cur().text.starts_with("offset=")) {
    const LiteralStatus s = parse_unsigned(cur().text.substr(7), 64, offset);
    // Too large for a 32-bit memory is a validation error ("offset out of range"), not a syntax
    // one.
    if (s != LiteralStatus::Ok) return fail("malformed memory offset");
    ++pos_;
  }
  if (cur().kind == TokenKind::Keyword && cur().text.starts_with("align=")) {
    const LiteralStatus s = parse_unsigned(cur().text.substr(6), 32, align);
    if (s != LiteralStatus::Ok) return fail("malformed memory alignment");
    if (align == 0 || !std::has_single_bit(align)) return fail("alignment must be a power of two");
    ++pos_;
  }
  uint32_t flags = static_cast<uint32_t>(std::countr_zero(align));
  if (memory != 0) flags |= 0x40;
  append_uleb(out, flags);
  if (memory != 0) append_uleb(out, memory);
  append_uleb(out, offset);
  return true;
}

// Whether the index token at the cursor is a memory index. Lane accesses end in a lane index, so
// there a number is the memory only when a memarg keyword or the lane index follows it:
// `v128.load8_lane 1 2` is memory 1 lane 2, `v128.load8_lane 1` is lane 1.
bool WatParser::memory_index_first(const OpInfo& info) const {
  if (info.imm != ImmKind::MemArgLane || cur().kind == TokenKind::Id) return true;
  const Token& next = tok(pos_ + 1);
  if (next.kind == TokenKind::Number) return true;
  return next.kind == TokenKind::Keyword &&
         (next.text.starts_with("offset=") || next.text.starts_with("align="));
}

// A lane index is a u8; whether it is in range for the shape is the validator's question.
bool WatParser::parse_lane(std::vector<uint8_t>& out) {
  uint64_t lane = 0;
  if (cur().kind != TokenKind::Number) return fail("unexpected token, expected a lane index");
  if (parse_unsigned(cur().text, 8, lane) != LiteralStatus::Ok) return fail("malformed lane index");
  ++pos_;
  out.push_back(static_cast<uint8_t>(lane));
  return true;
}

bool WatParser::parse_v128_const(std::vector<uint8_t>& out) {
  if (cur().kind != TokenKind::Keyword) return fail("unexpected token, expected a v128 shape");
  const std::string_view shape = cur().text;
  unsigned lane_bits = 0;
  bool is_float = false;
  if (shape == "i8x16")
    lane_bits = 8;
  else if (shape == "i16x8")
    lane_bits = 16;
  else if (shape == "i32x4")
    lane_bits = 32;
  else if (shape == "i64x2")
    lane_bits = 64;
  else if (shape == "f32x4")
    lane_bits = 32, is_float = true;
  else if (shape == "f64x2")
    lane_bits = 64, is_float = true;
  else
    return fail("unexpected token, expected a v128 shape");
  ++pos_;
  for (unsigned lane = 0; lane < 128 / lane_bits; ++lane) {
    uint64_t bits = 0;
    if (is_float ? !parse_float_literal(lane_bits == 64, bits)
                 : !parse_int_literal(lane_bits, bits)) {
      return false;
    }
    for (unsigned b = 0; b < lane_bits / 8; ++b)
      out.push_back(static_cast<uint8_t>(bits >> (8 * b)));
  }
  return true;
}

bool WatParser::parse_immediates(Opcode op, const Token& op_token, std::vector<uint8_t>& out) {
  const OpInfo& info = op_info(op);
  write_opcode(out, info);
  uint32_t a = 0, b = 0;
  switch (info.imm) {
    case ImmKind::None:
    case ImmKind::BlockType:
      return true;
    case ImmKind::LabelIdx:
      if (!parse_label_index(a)) return false;
      append_uleb(out, a);
      return true;
    case ImmKind::BrTable: {
      std::vector<uint32_t> targets;
      while (is_index_token()) {
        if (!parse_label_index(a)) return false;
        targets.push_back(a);
      }
      if (targets.empty()) return fail("unexpected token, expected a label");
      append_uleb(out, targets.size() - 1);
      for (uint32_t target : targets) append_uleb(out, target);
      return true;
    }
    case ImmKind::FuncIdx:
      if (!parse_index(Space::Func, a)) return false;
      append_uleb(out, a);
      return true;
    case ImmKind::TypeIdx:
      if (!parse_index(Space::Type, a)) return false;
      append_uleb(out, a);
      return true;
    case ImmKind::CallIndirect: {
      if (!parse_opt_index(Space::Table, b)) return false;
      const Token& at = cur();
      TypeUse use;
      if (!parse_typeuse(use, /*allow_names=*/false)) return false;
      if (!resolve_typeuse(use, at, a)) return false;
      append_uleb(out, a);
      append_uleb(out, b);
      return true;
    }
    case ImmKind::LocalIdx:
      if (!parse_local_index(a)) return false;
      append_uleb(out, a);
      return true;
    case ImmKind::GlobalIdx:
      if (!parse_index(Space::Global, a)) return false;
      append_uleb(out, a);
      return true;
    case ImmKind::TableIdx:
      if (!parse_opt_index(Space::Table, a)) return false;
      append_uleb(out, a);
      return true;
    case ImmKind::MemArg:
      return parse_memarg(info, out);
    case ImmKind::MemIdx:
      if (!parse_opt_index(Space::Memory, a)) return false;
      append_uleb(out, a);
      return true;
    case ImmKind::I32Const: {
      uint64_t v = 0;
      if (!parse_int_literal(32, v)) return false;
      append_sleb(out, static_cast<int32_t>(static_cast<uint32_t>(v)));
      return true;
    }
    case ImmKind::I64Const: {
      uint64_t v = 0;
      if (!parse_int_literal(64, v)) return false;
      append_sleb(out, static_cast<int64_t>(v));
      return true;
    }
    case ImmKind::F32Const:
    case ImmKind::F64Const: {
      const bool is64 = info.imm == ImmKind::F64Const;
      uint64_t v = 0;
      if (!parse_float_literal(is64, v)) return false;
      for (unsigned i = 0; i < (is64 ? 8u : 4u); ++i)
        out.push_back(static_cast<uint8_t>(v >> (8 * i)));
      return true;
    }
    case ImmKind::SelectT: {
      TypeUse use;
      const Token& at = cur();
      if (!parse_param_results(use, false)) return false;
      if (!use.sig.params.empty()) return fail(at, "unexpected token, select takes no params");
      append_uleb(out, use.sig.results.size());
      ByteWriter w(out);
      for (ValType t : use.sig.results) w.val_type(t);
      return true;
    }
    case ImmKind::HeapType: {
      HeapType h;
      if (!parse_heap_type(h)) return false;
      ByteWriter(out).heap_type(h);
      return true;
    }
    case ImmKind::MemoryInit:
    case ImmKind::TableInit: {
      if (info.imm == ImmKind::MemoryInit) uses_data_index_ = true;
      // `x y` names the memory/table then the segment; a single index is the segment.
      const bool is_memory = info.imm == ImmKind::MemoryInit;
      const Space target = is_memory ? Space::Memory : Space::Table;
      const Space segment = is_memory ? Space::Data : Space::Elem;
      const TokenKind next = tok(pos_ + 1).kind;
      if (is_index_token() && (next == TokenKind::Number || next == TokenKind::Id)) {
        if (!parse_index(target, b)) return false;
      }
      if (!parse_index(segment, a)) return false;
      append_uleb(out, a);
      append_uleb(out, b);
      return true;
    }
    case ImmKind::DataIdx:
      uses_data_index_ = true;
      if (!parse_index(Space::Data, a)) return false;
      append_uleb(out, a);
      return true;
    case ImmKind::ElemIdx:
      if (!parse_index(Space::Elem, a)) return false;
      append_uleb(out, a);
      return true;
    case ImmKind::MemoryCopy:
    case ImmKind::TableCopy: {
      const Space s = info.imm == ImmKind::MemoryCopy ? Space::Memory : Space::Table;
      if (is_index_token()) {
        if (!parse_index(s, a) || !parse_index(s, b)) return false;
      }
      append_uleb(out, a);
      append_uleb(out, b);
      return true;
    }
    case ImmKind::V128Const:
      return parse_v128_const(out);
    case ImmKind::Shuffle:
      for (int i = 0; i < 16; ++i) {
        if (!parse_lane(out)) return false;
      }
      return true;
    case ImmKind::Lane:
      return parse_lane(out);
    case ImmKind::MemArgLane: {
      if (!parse_memarg(info, out)) return false;
      return parse_lane(out);
    }
    case ImmKind::TagIdx:
      if (!parse_index(Space::Tag, a)) return false;
      append_uleb(out, a);
      return true;
    case ImmKind::TryTable:
      return fail(op_token, "unexpected block instruction");
  }
  return fail(op_token, "unsupported instruction");
}

}  // namespace loom::text
