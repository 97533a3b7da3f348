// Binary decoder: bytes -> Module. Checks everything the binary format makes malformed (magic,
// version, section order and sizes, LEB128, counts, UTF-8 names, function/code count agreement,
// data count); validation (typing) is src/valid's job. Function bodies are not decoded here beyond
// their locals: InstrReader walks them later.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "ir/features.hpp"
#include "ir/module.hpp"
#include "util/result.hpp"

namespace loom {

Result<Module> decode_module(std::vector<uint8_t> bytes, const Features& features = Features());
// Copies the bytes (after checking the module-bytes limit, so an oversized input is not copied).
Result<Module> decode_module(std::span<const uint8_t> bytes, const Features& features = Features());

}  // namespace loom
