// Memory and table instructions of the interpreter compiler (see compiler_impl.hpp): each picks
// the i32- or i64-address operation by the memory's or table's index type.
#include "interp/compiler_impl.hpp"

namespace loom::interp::compiler_detail {
namespace {

// memory.copy / table.copy by the index types of destination and source.
IOp copy_op(bool dst64, bool src64, IOp both32, IOp to64, IOp from64, IOp both64) {
  if (dst64) return src64 ? both64 : to64;
  return src64 ? from64 : both32;
}

}  // namespace

// Memory instructions with index operands. For memory64 the A64 variants read addresses, sizes
// and deltas as i64 and produce i64 results; memory.copy between an i32 and an i64 memory takes
// each address in its memory's type and an i32 length (the spec's min of the two).
void Compiler::translate_memory(const Instr& instr) {
  const bool is64 = memory_is64(instr.op == Opcode::MemoryInit ? instr.index2 : instr.index);
  const ValKind address = is64 ? ValKind::I64 : ValKind::I32;
  switch (instr.op) {
    case Opcode::MemorySize:
      emit_op(is64 ? IOp::MemorySizeA64 : IOp::MemorySizeOp);
      emit_u32(push(address));
      emit_u32(instr.index);
      return;
    case Opcode::MemoryGrow: {
      const Operand delta = pop();
      emit_op(is64 ? IOp::MemoryGrowA64 : IOp::MemoryGrowOp);
      emit_u32(push(address));
      emit_u32(delta.source());
      emit_u32(instr.index);
      return;
    }
    default:
      break;
  }
  IOp op = is64 ? IOp::MemoryFillA64 : IOp::MemoryFillOp;
  if (instr.op == Opcode::MemoryInit) op = is64 ? IOp::MemoryInitA64 : IOp::MemoryInitOp;
  if (instr.op == Opcode::MemoryCopy) {
    op = copy_op(is64, memory_is64(instr.index2), IOp::MemoryCopyOp, IOp::MemoryCopyToA64,
                 IOp::MemoryCopyFromA64, IOp::MemoryCopyA64);
  }
  emit_bulk(op, instr);
}

// Table instructions, chosen like translate_memory's by the table's index type.
void Compiler::translate_table(const Instr& instr) {
  const uint32_t table = instr.op == Opcode::TableInit ? instr.index2 : instr.index;
  const bool is64 = table_is64(table);
  const ValKind index_kind = is64 ? ValKind::I64 : ValKind::I32;
  switch (instr.op) {
    case Opcode::TableGet: {
      const Operand index = pop();
      emit_op(is64 ? IOp::TableGetA64 : IOp::TableGetOp);
      emit_u32(push(module_.table_type(table).elem));
      emit_u32(index.source());
      emit_u32(table);
      return;
    }
    case Opcode::TableSet: {
      const Operand value = pop();
      const Operand index = pop();
      emit_op(is64 ? IOp::TableSetA64 : IOp::TableSetOp);
      emit_u32(index.source());
      emit_u32(value.source());
      emit_u32(table);
      return;
    }
    case Opcode::TableSize:
      emit_op(is64 ? IOp::TableSizeA64 : IOp::TableSizeOp);
      emit_u32(push(index_kind));
      emit_u32(table);
      return;
    case Opcode::TableGrow: {
      const Operand delta = pop();
      const Operand init = pop();
      emit_op(is64 ? IOp::TableGrowA64 : IOp::TableGrowOp);
      emit_u32(push(index_kind));
      emit_u32(init.source());
      emit_u32(delta.source());
      emit_u32(table);
      return;
    }
    default:
      break;
  }
  IOp op = is64 ? IOp::TableFillA64 : IOp::TableFillOp;
  if (instr.op == Opcode::TableInit) op = is64 ? IOp::TableInitA64 : IOp::TableInitOp;
  if (instr.op == Opcode::TableCopy) {
    op = copy_op(is64, table_is64(instr.index2), IOp::TableCopyOp, IOp::TableCopyToA64,
                 IOp::TableCopyFromA64, IOp::TableCopyA64);
  }
  emit_bulk(op, instr);
}

// fill, init and copy of memories and tables: three operands (destination, value or source,
// length), then the memory or table index and, for init and copy, the second index.
void Compiler::emit_bulk(IOp op, const Instr& instr) {
  const Operand n = pop();
  const Operand b = pop();
  const Operand a = pop();
  emit_op(op);
  emit_u32(a.source());
  emit_u32(b.source());
  emit_u32(n.source());
  emit_u32(instr.index);
  if (instr.op != Opcode::MemoryFill && instr.op != Opcode::TableFill) emit_u32(instr.index2);
}

}  // namespace loom::interp::compiler_detail
