// Module -> WebAssembly text. Flat instructions by default; with `folded`, instructions are folded
// into s-expressions with their operands and blocks print as (block ...), (loop ...) and
// (if cond (then ...) (else ...)). Names come from Module::names ($ids for functions and
// locals when they are unique); everything else is printed by index with (;N;) comments.
// The output parses back (parse_wat) to the same module.
//
// The text is streamed to its output through one buffer (text_sink.hpp): memory stays bounded
// whatever the module's size (folded mode holds at most one function's pending expressions).
// Output is linear in the input: indentation stops growing at TextSink::kMaxIndentDepth levels,
// block types print as `(type N)` without repeating the signature, and declared locals print as
// declared, refusing more than the function-locals limit (ir/limits.def).
#pragma once
#include <cstdio>
#include <ostream>
#include <string>

#include "ir/features.hpp"
#include "ir/module.hpp"
#include "util/result.hpp"

namespace loom {

struct PrintOptions {
  bool folded = false;
  Features features = Features::all();  // what the instruction decoder accepts
};

// Fails when a function body or constant expression cannot be decoded or a function declares
// more locals than the function-locals limit: both are checked before anything is written, so a
// failure writes nothing. Otherwise fails only when writing to `out` fails.
Status print_module(const Module& module, std::ostream& out, const PrintOptions& options = {});
Status print_module(const Module& module, std::FILE* out, const PrintOptions& options = {});
// The whole text as a string (tests, small modules).
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
