// Loom's public C++ API: everything an embedder needs, in namespace loom (loom::Engine, ...).
// See docs/embedding.md. The C API is in wasm.h, wasi.h and loom.h.
#pragma once
#include "loom/linker.hpp"
#include "loom/result.hpp"
#include "loom/runtime.hpp"
#include "loom/types.hpp"
