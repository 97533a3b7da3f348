#include "text/instr_text.hpp"

#include <cstdio>

#include "text/printer.hpp"

namespace loom::text {

// ` (param ...) (result ...)`, with local names for parameters when given.
std::string signature_text(const FuncType& t, const IdMap& local_ids) {
  std::string s;
  std::string run;  // unnamed parameters are grouped
  for (size_t i = 0; i < t.params.size(); ++i) {
    auto it = local_ids.find(static_cast<uint32_t>(i));
    if (it != local_ids.end()) {
      if (!run.empty()) s += " (param" + run + ")", run.clear();
      s += " (param " + it->second + " " + to_string(t.params[i]) + ")";
    } else {
      run += " " + to_string(t.params[i]);
    }
  }
  if (!run.empty()) s += " (param" + run + ")";
  if (!t.results.empty()) {
    s += " (result";
    for (ValType v : t.results) s += " " + to_string(v);
    s += ")";
  }
  return s;
}

std::string InstrText::func_ref(uint32_t f) const {
  auto it = func_ids_.find(f);
  return it != func_ids_.end() ? it->second : std::to_string(f);
}

int InstrText::type_params(uint32_t type) const {
  return type < m_.types.size() ? static_cast<int>(m_.types[type].params.size()) : 0;
}
int InstrText::type_results(uint32_t type) const {
  return type < m_.types.size() ? static_cast<int>(m_.types[type].results.size()) : 0;
}

void InstrText::arity(const Instr& instr, int& params, int& results) const {
  const OpInfo& info = op_info(instr.op);
  params = results = 0;
  if (info.simple) {
    for (ValKind k : {info.param1, info.param2, info.param3}) params += k != ValKind::Void;
    results = info.result != ValKind::Void;
    return;
  }
  switch (instr.op) {
    case Opcode::LocalGet:
    case Opcode::GlobalGet:
    case Opcode::RefNull:
    case Opcode::RefFunc:
    case Opcode::MemorySize:
    case Opcode::TableSize:
      results = 1;
      break;
    case Opcode::LocalSet:
    case Opcode::GlobalSet:
    case Opcode::Drop:
      params = 1;
      break;
    case Opcode::LocalTee:
    case Opcode::RefIsNull:
    case Opcode::RefAsNonNull:
    case Opcode::MemoryGrow:
    case Opcode::TableGet:
      params = results = 1;
      break;
    case Opcode::TableSet:
      params = 2;
      break;
    case Opcode::TableGrow:
      params = 2, results = 1;
      break;
    case Opcode::Select:
    case Opcode::SelectT:
      params = 3, results = 1;
      break;
    case Opcode::MemoryFill:
    case Opcode::MemoryCopy:
    case Opcode::MemoryInit:
    case Opcode::TableFill:
    case Opcode::TableCopy:
    case Opcode::TableInit:
      params = 3;
      break;
    case Opcode::Call: {
      const uint32_t type = instr.index < m_.num_funcs() ? m_.func_type_index(instr.index) : ~0u;
      params = type_params(type);
      results = type_results(type);
      break;
    }
    case Opcode::CallIndirect:
    case Opcode::CallRef:
      params = type_params(instr.index) + 1;
      results = type_results(instr.index);
      break;
    case Opcode::ThrowRef:
      params = 1;
      break;
    case Opcode::Throw:
      if (instr.index < m_.num_tags()) params = type_params(m_.tag_type_index(instr.index));
      break;
    default:
      break;  // branches, return, unreachable, nop, drops of segments
  }
}

std::string InstrText::block_type(const BlockType& bt) const {
  switch (bt.kind) {
    case BlockType::Kind::Empty:
      return "";
    case BlockType::Kind::Value:
      return " (result " + to_string(bt.value) + ")";
    case BlockType::Kind::Index:
      // The type alone: its signature is at the top, and repeating it (up to 2,000 value types)
      // after every 3-byte block would make the output grow far faster than the input.
      return " (type " + std::to_string(bt.index) + ")";
  }
  return "";
}

std::string InstrText::memarg(const Instr& instr, const OpInfo& info) {
  std::string s;
  if (instr.mem.memory != 0) s += " " + std::to_string(instr.mem.memory);
  if (instr.mem.offset != 0) s += " offset=" + std::to_string(instr.mem.offset);
  if (instr.mem.align < 64 && (uint64_t{1} << instr.mem.align) != info.natural) {
    s += " align=" + std::to_string(uint64_t{1} << instr.mem.align);
  }
  return s;
}

std::string InstrText::text(const Instr& instr, const InstrReader& in,
                            const IdMap& local_ids) const {
  const OpInfo& info = op_info(instr.op);
  std::string s(info.text);
  auto num = [](uint64_t v) { return " " + std::to_string(v); };
  switch (info.imm) {
    case ImmKind::None:
      break;
    case ImmKind::BlockType:
      s += block_type(instr.block);
      break;
    case ImmKind::LabelIdx:
    case ImmKind::GlobalIdx:
    case ImmKind::DataIdx:
    case ImmKind::ElemIdx:
    case ImmKind::TypeIdx:
      s += num(instr.index);
      break;
    case ImmKind::TableIdx:
      s += num(instr.index);
      break;
    case ImmKind::BrTable:
      for (uint32_t t : in.br_table_targets()) s += num(t);
      s += num(instr.index);
      break;
    case ImmKind::FuncIdx:
      s += " " + func_ref(instr.index);
      break;
    case ImmKind::CallIndirect:
      if (instr.index2 != 0) s += num(instr.index2);
      s += " (type " + std::to_string(instr.index) + ")";
      break;
    case ImmKind::LocalIdx: {
      auto it = local_ids.find(instr.index);
      s += it != local_ids.end() ? " " + it->second : num(instr.index);
      break;
    }
    case ImmKind::MemArg:
      s += memarg(instr, info);
      break;
    case ImmKind::MemIdx:
      if (instr.index != 0) s += num(instr.index);
      break;
    case ImmKind::I32Const:
      s += " " + std::to_string(instr.i32);
      break;
    case ImmKind::I64Const:
      s += " " + std::to_string(instr.i64);
      break;
    case ImmKind::F32Const:
      s += " " + f32_literal(instr.f32_bits);
      break;
    case ImmKind::F64Const:
      s += " " + f64_literal(instr.f64_bits);
      break;
    case ImmKind::SelectT:
      s += " (result";
      for (ValType t : in.select_types()) s += " " + to_string(t);
      s += ")";
      break;
    case ImmKind::HeapType:
      s += " " + to_string(instr.heap);
      break;
    case ImmKind::MemoryInit:
    case ImmKind::TableInit:
      if (instr.index2 != 0) s += num(instr.index2);
      s += num(instr.index);
      break;
    case ImmKind::MemoryCopy:
    case ImmKind::TableCopy:
      if (instr.index != 0 || instr.index2 != 0) s += num(instr.index) + num(instr.index2);
      break;
    case ImmKind::V128Const: {
      s += " i32x4";
      for (int lane = 0; lane < 4; ++lane) {
        uint32_t v = 0;
        for (int b = 0; b < 4; ++b) v |= uint32_t(instr.v128[lane * 4 + b]) << (8 * b);
        char buf[16];
        std::snprintf(buf, sizeof buf, " 0x%08x", v);
        s += buf;
      }
      break;
    }
    case ImmKind::Shuffle:
      for (uint8_t lane : instr.v128) s += num(lane);
      break;
    case ImmKind::Lane:
      s += num(instr.lane);
      break;
    case ImmKind::MemArgLane:
      s += memarg(instr, info) + num(instr.lane);
      break;
    case ImmKind::TagIdx:
      s += num(instr.index);
      break;
    case ImmKind::TryTable:
      s += block_type(instr.block);
      for (const CatchClause& c : in.catches()) {
        static constexpr const char* kNames[] = {"catch", "catch_ref", "catch_all",
                                                 "catch_all_ref"};
        s += std::string(" (") + kNames[c.kind];
        if (c.has_tag()) s += num(c.tag);
        s += num(c.label) + ")";
      }
      break;
  }
  return s;
}

}  // namespace loom::text
