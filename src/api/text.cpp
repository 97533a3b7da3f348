// Input files and the text format: read_input, wat_to_wasm, print_wasm, wasm_to_text.
#include "loom/text.hpp"

#include <memory>

#include "api/state.hpp"
#include "binary/decoder.hpp"
#include "binary/encoder.hpp"
#include "text/input_file.hpp"
#include "text/printer.hpp"
#include "text/wat.hpp"
#include "valid/validator.hpp"

namespace loom::api {
namespace {

// `error` as the public kind `kind`, whatever the internal kind was.
Error with_kind(ErrorKind kind, const loom::Error& error) {
  Error converted = detail::to_public(error);
  return Error(kind, converted.message(), converted.location());
}

Error write_error() {
  return Error(ErrorKind::Io, "cannot write output");
}

loom::PrintOptions print_options(const Engine& engine, const PrintOptions& options) {
  loom::PrintOptions print;
  print.folded = options.folded;
  print.features = engine.state().features;
  return print;
}

Status print_decoded(const loom::Module& module, std::FILE* out, const loom::PrintOptions& print) {
  loom::Status printed = print_module(module, out, print);
  if (printed && std::fflush(out) != 0) return write_error();
  if (!printed) {
    if (printed.error().kind == loom::ErrorKind::Io) return write_error();
    return detail::to_public(printed.error());
  }
  return Ok{};
}

}  // namespace

Result<std::vector<uint8_t>> read_input(const std::string& path) {
  auto bytes = read_input_file(path);
  if (!bytes) return detail::to_public(bytes.error());
  return std::move(*bytes);
}

Result<std::vector<uint8_t>> wat_to_wasm(const Engine& engine, std::string_view text,
                                         const WatOptions& options) {
  const Features& features = engine.state().features;
  auto module = parse_wat(text, features);
  if (!module) return with_kind(ErrorKind::Malformed, module.error());
  if (options.validate) {
    if (loom::Status valid = validate_module(*module, features); !valid) {
      return with_kind(ErrorKind::Invalid, valid.error());
    }
  }
  EncodeOptions encode;
  encode.write_names = options.write_names;
  return encode_module(*module, encode);
}

Status print_wasm(const Engine& engine, std::span<const uint8_t> binary, std::FILE* out,
                  const PrintOptions& options) {
  auto module = decode_module(binary, engine.state().features);
  if (!module) return detail::to_public(module.error());
  return print_decoded(*module, out, print_options(engine, options));
}

Status print_wasm_file(const Engine& engine, std::span<const uint8_t> binary,
                       const std::string& path, const PrintOptions& options) {
  if (path == "-") return print_wasm(engine, binary, stdout, options);
  // Decoded first: a module that does not decode leaves an existing file alone.
  auto module = decode_module(binary, engine.state().features);
  if (!module) return detail::to_public(module.error());
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (!file) return write_error();
  Status printed = print_decoded(*module, file.get(), print_options(engine, options));
  if (printed && std::fclose(file.release()) != 0) printed = write_error();
  if (!printed) {
    file.reset();
    std::remove(path.c_str());  // no partial or empty output file
  }
  return printed;
}

Result<std::string> wasm_to_text(const Engine& engine, std::span<const uint8_t> binary,
                                 const PrintOptions& options) {
  auto module = decode_module(binary, engine.state().features);
  if (!module) return detail::to_public(module.error());
  auto text = print_module(*module, print_options(engine, options));
  if (!text) return detail::to_public(text.error());
  return std::move(*text);
}

}  // namespace loom::api
