// Streaming instruction decoder over a function body or constant expression (DESIGN.md: code stays
// bytes). One InstrReader serves the validator, the printer and the interpreter's compiler.
//
//   InstrReader in(module.slice(body.code), body.code.begin, features);
//   Instr instr;
//   while (!in.at_end()) { if (!in.next(instr)) return in.error(); ... }
//
// next() decodes one instruction and its immediates; malformed encodings (unknown opcodes, bad
// LEB128, truncated immediates, disabled features) are errors with the absolute byte offset.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "binary/reader.hpp"
#include "binary/type_reader.hpp"
#include "ir/features.hpp"
#include "ir/opcode.hpp"

namespace loom {

struct MemArg {
  uint32_t align = 0;   // log2 of the alignment hint, as encoded (memory-index bit removed)
  uint32_t memory = 0;  // memory index (multi-memory), else 0
  uint64_t offset = 0;
};

// One catch clause of try_table.
struct CatchClause {
  enum Kind : uint8_t { Catch = 0, CatchRef = 1, CatchAll = 2, CatchAllRef = 3 } kind = Catch;
  uint32_t tag = 0;  // Catch / CatchRef
  uint32_t label = 0;
  bool has_tag() const { return kind == Catch || kind == CatchRef; }
  bool has_ref() const { return kind == CatchRef || kind == CatchAllRef; }
};

struct Instr {
  Opcode op = Opcode::Nop;
  size_t offset = 0;  // absolute offset of the first opcode byte
  // Immediates; which are set depends on op_info(op).imm.
  uint32_t index = 0;   // label, function, local, global, table, memory, type, data or elem index;
                        // br_table: the default label; call_indirect: type index;
                        // memory.init / table.init: data / elem index; copies: destination
  uint32_t index2 = 0;  // call_indirect: table; memory.init / table.init: memory / table;
                        // copies: source
  BlockType block;      // block, loop, if
  MemArg mem;           // loads, stores, lane loads/stores
  uint8_t lane = 0;     // lane instructions
  int32_t i32 = 0;
  int64_t i64 = 0;
  uint32_t f32_bits = 0;
  uint64_t f64_bits = 0;
  std::array<uint8_t, 16> v128{};  // v128.const bytes or i8x16.shuffle lanes
  HeapType heap;                   // ref.null
};

class InstrReader {
 public:
  InstrReader(std::span<const uint8_t> code, size_t base, const Features& features)
      : reader_(code, base), features_(features) {
    reader_.set_eof_message("unexpected end of section or function");
  }

  bool at_end() const { return reader_.at_end(); }
  size_t offset() const { return reader_.offset(); }
  bool next(Instr& out);

  // Targets of the last br_table (the default is Instr::index).
  const std::vector<uint32_t>& br_table_targets() const { return br_targets_; }
  // Types of the last typed `select`.
  const std::vector<ValType>& select_types() const { return select_types_; }
  // Catch clauses of the last try_table.
  const std::vector<CatchClause>& catches() const { return catches_; }

  const Error& error() const { return reader_.error(); }
  bool failed() const { return reader_.failed(); }
  Reader& reader() { return reader_; }

 private:
  bool read_memarg(MemArg& out);
  bool read_memory_index(uint32_t& out);
  bool read_immediates(Instr& out, ImmKind imm);

  Reader reader_;
  Features features_;  // a copy (one word), so a temporary Features argument cannot dangle
  std::vector<uint32_t> br_targets_;
  std::vector<ValType> select_types_;
  std::vector<CatchClause> catches_;
};

}  // namespace loom
