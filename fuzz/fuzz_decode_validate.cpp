// libFuzzer target: decode arbitrary bytes, and validate whatever decodes, under the default (2.0)
// features and under every feature. Any crash, sanitizer report, hang or leak is a bug; decode
// and validation errors are expected outcomes. Each error must carry a message and, for binary
// input, a byte offset inside (or just past) the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "binary/decoder.hpp"
#include "valid/validator.hpp"

namespace {

void check_error(const loom::Error& error, size_t input_size) {
  if (error.message.empty()) std::abort();
  if (error.offset && *error.offset > input_size) std::abort();
}

void decode_and_validate(std::span<const uint8_t> bytes, const loom::Features& features) {
  loom::Result<loom::Module> decoded = loom::decode_module(bytes, features);
  if (!decoded.ok()) {
    check_error(decoded.error(), bytes.size());
    return;
  }
  loom::Status valid = loom::validate_module(decoded.value(), features);
  if (!valid.ok()) check_error(valid.error(), bytes.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  decode_and_validate(bytes, loom::Features());
  decode_and_validate(bytes, loom::Features::all());
  return 0;
}
