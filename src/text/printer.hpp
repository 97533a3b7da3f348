// Module -> WebAssembly text. Flat instructions by default; with `folded`, instructions are folded
// into s-expressions with their operands and blocks print as (block ...), (loop ...) and
// (if cond (then ...) (else ...)). Names come from Module::names ($ids for functions and
// locals when they are unique); everything else is printed by index with (;N;) comments.
// The output parses back (parse_wat) to the same module.
#pragma once
#include <string>

#include "ir/features.hpp"
#include "ir/module.hpp"
#include "util/result.hpp"

namespace loom {

struct PrintOptions {
  bool folded = false;
  Features features = Features::all();  // what the instruction decoder accepts
};

// Fails only when a function body or constant expression cannot be decoded.
Result<std::string> print_module(const Module& module, const PrintOptions& options = {});

namespace text {
// Text-format spellings shared by the printer: a string literal with escapes, an $id for a name
// (quoted `$"..."` when it has characters an id cannot), and exact float literals.
std::string quote_string(std::string_view bytes);
std::string id_for_name(std::string_view name);
std::string f32_literal(uint32_t bits);
std::string f64_literal(uint64_t bits);
}  // namespace text

}  // namespace loom
