#include "cli/load_module.hpp"

#include <cstring>

#include "binary/decoder.hpp"
#include "cli/file_util.hpp"
#include "text/wat.hpp"
#include "valid/validator.hpp"

namespace loom::cli {
namespace {

// The error with its position folded into the message, for printing after "FILE: ".
Error printable(const Error& error) {
  Error result{error.to_string()};
  result.kind = error.kind;
  return result;
}

}  // namespace

Result<Module> load_module(const std::string& path, const Features& features) {
  auto bytes = read_file(path);
  if (!bytes) return bytes.error();
  static constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6d};
  const bool binary = bytes->size() >= 4 && std::memcmp(bytes->data(), kMagic, 4) == 0;
  Result<Module> module = [&]() -> Result<Module> {
    if (binary) return decode_module(std::move(*bytes), features);
    const std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
    return parse_wat(text, features);
  }();
  if (!module) return printable(module.error());
  if (Status valid = validate_module(*module, features); !valid) return printable(valid.error());
  return module;
}

}  // namespace loom::cli
