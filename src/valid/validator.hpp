// Validator: the full WebAssembly 2.0 validation algorithm over a decoded Module (types of every
// instruction with operand and control stacks, constant expressions, limits, alignment, lanes,
// declared function references, segments, start function, unique export names).
//
// The function validator is incremental (one instruction at a time) so the interpreter's compiler
// can validate and translate in the same pass (DESIGN.md).
#pragma once
#include "ir/features.hpp"
#include "ir/module.hpp"
#include "util/result.hpp"

namespace loom {

// Validates the whole module; the first error carries the byte offset (and function index when it
// is inside a body), e.g. "type mismatch: expected i32, got f64 (i32.add)".
Status validate_module(const Module& module, const Features& features = Features());

}  // namespace loom
