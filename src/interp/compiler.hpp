// Translates one validated function body into interpreter code (code.hpp), validating it in the
// same pass with FuncValidator (DESIGN.md: validation and compilation in one pass). Linear in the
// size of the body.
#pragma once
#include "interp/code.hpp"
#include "ir/features.hpp"
#include "ir/module.hpp"
#include "util/result.hpp"

namespace loom::interp {

// `func_index` is in the function index space (imports first) and must name a defined function.
Result<CompiledFunction> compile_function(const Module& module, const Features& features,
                                          uint32_t func_index);

}  // namespace loom::interp
