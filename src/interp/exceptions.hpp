// The interpreter's exception unwinding helpers (exceptions.cpp), used by the dispatch loop.
#pragma once
#include <cstdint>

#include "interp/code.hpp"
#include "runtime/instance.hpp"

namespace loom::interp {

// The catch that takes `exception` thrown at code offset `at` of `code` (a frame of `instance`):
// the innermost handler whose range holds `at`, then its parents. nullptr: leave the frame.
const CatchEntry* find_catch(const CompiledFunction& code, uint32_t at, const Instance& instance,
                             const ExceptionInst& exception);

// Hands `exception` to `c` in the frame at `fp`: the tag's values (and the exnref) to the
// label's slots, or the legacy catch's values and exn slot.
void land_exception(const CatchEntry& c, ExceptionInst* exception, uint8_t* fp);

}  // namespace loom::interp
