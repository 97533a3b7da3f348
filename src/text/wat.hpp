// WebAssembly text format (WAT) -> Module.
//
// Function bodies and constant expressions are encoded to binary as they are parsed (DESIGN.md:
// code stays bytes), so the result is the same Module the binary decoder produces and
// encode_module() turns it into a .wasm file. Every abbreviation of the 2.0 text format is
// accepted. Errors carry Error::line/col and quote the offending token.
#pragma once
#include <string_view>

#include "ir/features.hpp"
#include "ir/module.hpp"
#include "text/lexer.hpp"
#include "util/result.hpp"

namespace loom {

// Accepts `(module $id? field*)` or a bare sequence of fields.
Result<Module> parse_wat(std::string_view text, const Features& features = Features());

namespace text {
// The same, for text that starts at `origin` in a larger file (positions are reported there).
Result<Module> parse_wat(std::string_view text, const Features& features, TextOrigin origin);
// Parses a module from tokens [begin, end) of an already tokenized file (a WAST script).
Result<Module> parse_wat_tokens(const TokenList& tokens, size_t begin, size_t end,
                                const Features& features);
}  // namespace text

}  // namespace loom
