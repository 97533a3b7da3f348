// Translates one validated function body into interpreter code (code.hpp), validating it in the
// same pass with FuncValidator (DESIGN.md: validation and compilation in one pass). Linear in the
// size of the body.
#pragma once
#include "interp/code.hpp"
#include "ir/features.hpp"
#include "ir/module.hpp"
#include "util/result.hpp"

namespace loom::interp {

// Interruption checks compiled into function entries and loop headers (DESIGN.md "Limits and
// interruption"); code without them pays nothing.
struct CompileOptions {
  // ConsumeFuel: charges the wasm instructions of the function body or loop body it starts
  // (those not inside a nested loop), so fuel tracks instructions executed closely.
  bool consume_fuel = false;
  bool epoch_interruption = false;  // CheckEpoch
};

// `func_index` is in the function index space (imports first) and must name a defined function.
Result<CompiledFunction> compile_function(const Module& module, const Features& features,
                                          uint32_t func_index, CompileOptions options = {});

}  // namespace loom::interp
