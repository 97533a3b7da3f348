// The interpreter's handler addresses, indexed by IOp (computed-goto dispatch). Entries without an
// implementation point at a handler that traps; has_handler() tells the compiler which are real.
#pragma once
#include "interp/code.hpp"

namespace loom::interp {

const void* const* handler_table();
bool has_handler(IOp op);

}  // namespace loom::interp
