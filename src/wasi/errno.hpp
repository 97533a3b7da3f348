// Host errno values to WASI errno values.
#pragma once
#include "wasi/abi.hpp"

namespace loom::wasi {

// The WASI errno for a host `errno` value; Io for anything without a counterpart.
Errno errno_from_host(int host_errno);

}  // namespace loom::wasi
