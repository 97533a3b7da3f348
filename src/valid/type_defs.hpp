// Validation of the type section's 3.0 forms: references stay within what is defined up to the
// end of their rec group, supertypes come first, are not final and match (func parameters
// contravariant and results covariant, struct fields a prefix, immutable fields covariant and
// mutable ones invariant), and the limits rec-groups, subtype-depth and struct-fields hold.
#pragma once
#include <cstdint>
#include <string>

#include "ir/module.hpp"
#include "valid/subtyping.hpp"

namespace loom {

struct TypeDefError {
  uint32_t type = 0;  // index of the offending type
  std::string message;
};

// True when every type is valid; otherwise fills `error`.
bool check_type_defs(const Module& module, const TypeRelation& types, TypeDefError& error);

}  // namespace loom
