// Module input and the text format: reading input files, WAT to binary, binary to WAT.
// Each takes an Engine for its feature set; an engine made with EngineConfig::execute = false
// accepts every feature, as a translator should.
#pragma once
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "loom/result.hpp"
#include "loom/runtime.hpp"

namespace loom::api {

// A whole input file (.wasm, .wat or .wast), at most the module-bytes limit whatever it is (a
// huge file, a pipe, /dev/zero). Errors: Io ("cannot open: ...", "read error: ...") and Limit
// ("file too large: implementation limit exceeded: ...").
LOOM_API Result<std::vector<uint8_t>> read_input(const std::string& path);

struct WatOptions {
  bool validate = true;     // fail (Invalid) on a module that parses but does not validate
  bool write_names = true;  // write a name section for the text's $ids
};
// A text module's binary encoding. A text that does not parse fails Malformed (message
// "LINE:COL: ..."); one that does not validate fails Invalid.
LOOM_API Result<std::vector<uint8_t>> wat_to_wasm(const Engine& engine, std::string_view text,
                                                  const WatOptions& options = {});

struct PrintOptions {
  bool folded = false;  // blocks and instructions in folded (S-expression) form
};
// Decodes `binary` (without validating it) and prints it in the text format, streamed to `out`
// (the text is never held whole). Decoding errors are checked before anything is written; an Io
// error "cannot write output" means writing (or flushing) `out` failed.
LOOM_API Status print_wasm(const Engine& engine, std::span<const uint8_t> binary, std::FILE* out,
                           const PrintOptions& options = {});
// The same into the file `path` ("-" is stdout); on failure no partial file is left behind.
LOOM_API Status print_wasm_file(const Engine& engine, std::span<const uint8_t> binary,
                                const std::string& path, const PrintOptions& options = {});
// The whole text as a string (small modules, tests).
LOOM_API Result<std::string> wasm_to_text(const Engine& engine, std::span<const uint8_t> binary,
                                          const PrintOptions& options = {});

}  // namespace loom::api

#ifndef LOOM_BUILDING_LIBRARY
namespace loom {
using namespace ::loom::api;
}  // namespace loom
#endif
