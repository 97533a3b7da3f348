// Execution tiers: the one switch that picks how wasm code runs (DESIGN.md "Tiers share
// everything above them"). Every caller that runs wasm (the CLI, the WAST runner, the embedding
// API, tests) gets its Executor from make_executor, so adding a tier changes no caller.
#pragma once
#include <cstdio>
#include <memory>
#include <optional>
#include <string_view>

#include "interp/interpreter.hpp"
#include "ir/features.hpp"
#include "runtime/store.hpp"

namespace loom::jit {

enum class Tier : uint8_t {
  Interp,  // the interpreter (src/interp), on every machine
  Jit,     // the x86-64 compiler (src/jit); functions it cannot compile run in the interpreter
};

// "interp" / "jit"; nullopt for anything else.
std::optional<Tier> parse_tier(std::string_view name);
std::string_view tier_name(Tier tier);
// True when this build and machine can run JIT code (x86-64 Linux with SSE4.1).
bool jit_available();
// Jit where jit_available(), else Interp.
Tier default_tier();

struct ExecutorOptions {
  // Stack size, call depth and the interruption checks; the JIT honours the same fields.
  interp::InterpreterLimits limits;
  // When set, the JIT writes one line per function it leaves to the interpreter, with the
  // reason ("func 12 $name: runs in the interpreter: <reason>"); never silent.
  std::FILE* report_fallbacks = nullptr;
};

// An executor of `tier` (Tier::Jit falls back to Interp where !jit_available()).
std::unique_ptr<Executor> make_executor(Tier tier, const Features& features,
                                        const ExecutorOptions& options = {});

}  // namespace loom::jit
