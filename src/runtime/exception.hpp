// Wasm exceptions (the exception-handling proposal, docs/runtime-abi.md "Wasm exceptions"): tag
// instances and exception objects. Both live in the store; the guest sees an exception only as an
// opaque exnref (a Ref to its ExceptionInst), which it can catch, rethrow and compare with null.
#pragma once
#include <cstdint>
#include <vector>

#include "ir/types.hpp"
#include "runtime/value.hpp"

namespace loom {

// A tag: its identity is the object (each definition is a fresh tag; imports alias it).
struct TagInst {
  const FuncType* type = nullptr;  // interned in the store; results are empty
  uint32_t type_id = 0;
};

// A thrown exception: the tag and its argument values (in the tag's parameter order).
struct ExceptionInst {
  TagInst* tag = nullptr;
  std::vector<Value> fields;
  // Set once the exception may be referenced from anywhere but the unwinder: an exnref was
  // handed to the guest (catch_ref, catch_all_ref, a legacy catch that may rethrow it) or to the
  // host (an uncaught exception). Until then a plain catch can recycle the object.
  bool referenced = false;
};

}  // namespace loom
