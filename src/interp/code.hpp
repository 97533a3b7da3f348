// The interpreter's internal code: what a validated function body is translated into once,
// before it runs (see compiler.hpp for the translation, interpreter.cpp for execution).
//
// Operation naming and layout (read this before interpreter.cpp):
// - Every wasm function gets a frame of 8-byte slots addressed by byte offset from the frame
//   pointer `fp`: [params][declared locals][operand stack temporaries]. A v128 takes two slots.
//   Each operand stack height has a fixed slot, so instructions name their operands and result
//   as slots ("register style") instead of pushing and popping.
// - Code is a byte stream of instructions: an 8-byte handler address (computed-goto dispatch),
//   then 4-byte operands. For an IOp that mirrors a wasm Opcode (all "simple" numeric, memory and
//   SIMD instructions) the operands are: result slot (if any), then operand slots in wasm order,
//   then immediates (u64 memory offset, u32 lane index, or the constant's bytes).
// - The internal-only IOps after the wasm ones are named for what they do: Copy64 / Copy128 move a
//   slot, Br / BrIf / BrUnless / BrTable jump to a code offset, Call* switch frames, Return copies
//   results to the frame base. Branch targets are code offsets (u32) from the function's start.
// - local.get produces no code: the operand simply names the local's slot until something could
//   change the local, then it is copied to its temporary (see compiler.cpp "aliases").
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "ir/opcode.hpp"

namespace loom::interp {

enum class IOp : uint16_t {
#define LOOM_OP(Name, prefix, code, text, imm, r, p1, p2, p3, nat, feat) Name,
#include "ir/opcodes.def"
#define LOOM_IOP(Name) Name,
#include "interp/iops.def"
// memory64: every instruction with a memarg once more as Name##A64, the same operands but an i64
// address. The compiler picks these for i64-indexed memories, so the i32 path stays as it is.
#define LOOM_A64(Name) Name##A64,
#include "interp/a64_ops.def"
  Count_
};

inline constexpr size_t kIOpCount = static_cast<size_t>(IOp::Count_);
inline IOp iop_from(Opcode op) {
  return static_cast<IOp>(op);
}
// The i64-address twin of a memarg instruction's IOp (Opcode::I32Load -> IOp::I32LoadA64), or
// IOp::Count_ for an instruction without a memarg.
inline IOp iop_a64_from(Opcode op) {
  switch (op) {
#define LOOM_A64(Name) \
  case Opcode::Name:   \
    return IOp::Name##A64;
#include "interp/a64_ops.def"
    default:
      return IOp::Count_;
  }
}

// Where a (module byte offset) instruction starts in the code, for trap locations.
struct SourceMapEntry {
  uint32_t code_offset;
  uint32_t module_offset;
};

// Exception handlers (docs/runtime-abi.md "Wasm exceptions"): each try_table, legacy try and
// try-delegate protects the code range [begin, end) of its body. When an exception unwinds
// through a frame, the innermost handler whose range holds the pc (the highest index: handlers
// are numbered in the order their bodies begin) is consulted, then its `parent`, until a catch
// matches or the chain ends and the frame is left.
constexpr uint32_t kNoHandler = UINT32_MAX;
constexpr uint32_t kCatchAllTag = UINT32_MAX;
struct CatchEntry {
  uint32_t tag = kCatchAllTag;  // the module's tag index, or any exception
  uint32_t pad = 0;             // code offset to continue at
  uint32_t dst = 0;             // slot of the first value handed over (the tag's, then exnref)
  uint32_t exn_slot = 0;        // legacy catch: where rethrow finds the exception
  bool with_ref = false;        // catch_ref / catch_all_ref: the exnref follows the values
  bool legacy = false;          // legacy catch: the exception goes to exn_slot
};
struct HandlerEntry {
  uint32_t begin = 0, end = UINT32_MAX;
  uint32_t parent = kNoHandler;  // enclosing handler, or a delegate's target
  std::vector<CatchEntry> catches;
};

struct CompiledFunction {
  std::vector<uint8_t> code;
  uint32_t param_bytes = 0;                // slots of the parameters
  uint32_t locals_end = 0;                 // end of declared locals (zeroed on entry)
  uint32_t frame_bytes = 0;                // whole frame: params, locals, temporaries
  std::vector<SourceMapEntry> source_map;  // sorted by code_offset
  std::vector<HandlerEntry> handlers;       // in the order their ranges begin
};

}  // namespace loom::interp
