// libFuzzer target for the text format: any input must parse or fail cleanly. A module that parses
// must survive encode -> decode -> print (flat and folded) -> parse -> encode with the same
// bytes.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "binary/decoder.hpp"
#include "binary/encoder.hpp"
#include "text/printer.hpp"
#include "text/wast.hpp"
#include "text/wat.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)loom::text::parse_wast(text);
  auto module = loom::parse_wat(text, loom::Features::all());
  if (!module) return 0;
  const auto bytes = loom::encode_module(*module);
  auto decoded = loom::decode_module(bytes, loom::Features::all());
  if (!decoded) return 0;  // e.g. limits or offsets a binary cannot hold
  for (bool folded : {false, true}) {
    loom::PrintOptions options;
    options.folded = folded;
    auto printed = loom::print_module(*decoded, options);
    if (!printed) return 0;
    auto reparsed = loom::parse_wat(*printed, loom::Features::all());
    if (!reparsed || loom::encode_module(*reparsed) != bytes) std::abort();
  }
  return 0;
}
