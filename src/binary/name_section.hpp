// The "name" custom section: module, function and local names. Custom sections are not validated,
// so a damaged name section is never an error: decoding stops at the first problem and keeps what
// was read before it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

#include "ir/module.hpp"

namespace loom {

void decode_name_section(std::span<const uint8_t> payload, size_t base, Names& out);

}  // namespace loom
