// Binary encoder: Module -> bytes, the inverse of decode_module. Bodies, constant expressions and
// data are copied from Module::bytes as they are; segment `flags` choose the segment encodings.
#pragma once
#include <cstdint>
#include <vector>

#include "ir/module.hpp"

namespace loom {

struct EncodeOptions {
  // Write custom sections (including "name") at their recorded positions.
  bool write_customs = true;
  // When the module has no "name" custom section of its own, write one from Module::names.
  bool write_names = true;
};

std::vector<uint8_t> encode_module(const Module& module, const EncodeOptions& options);
inline std::vector<uint8_t> encode_module(const Module& module) {
  return encode_module(module, EncodeOptions{});
}

// The payload of a "name" custom section for `names` (module, function and local subsections).
std::vector<uint8_t> encode_name_section(const Names& names);

}  // namespace loom
