// Running WAST scripts (the spec testsuite format): every command and assertion kind, with the
// spectest host module and `register`.
#pragma once
#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

#include "loom/result.hpp"
#include "loom/runtime.hpp"

namespace loom::api {

struct WastOptions {
  // The tier, the features and EngineConfig::jit_fallback_report; the other fields are unused.
  EngineConfig engine;
  bool verbose = false;         // print every failure (by default up to 50 per script)
  std::FILE* output = nullptr;  // failures and the summary line; nullptr is stdout
};

struct WastSummary {
  size_t passed = 0;
  size_t failed = 0;
};

// Runs one script file; prints each failure and "FILE: N passed, N failed" to the output. A file
// that cannot be read or parsed counts as one failure. Fails (Usage) only on a bad `engine`
// config (an unknown feature, or one the tiers do not run).
LOOM_API Result<WastSummary> run_wast_file(const std::string& path,
                                           const WastOptions& options = {});
// The same for a script in memory; `name` stands for the file name in what is printed.
LOOM_API Result<WastSummary> run_wast(std::string_view source, const std::string& name,
                                      const WastOptions& options = {});

}  // namespace loom::api

#ifndef LOOM_BUILDING_LIBRARY
namespace loom {
using namespace ::loom::api;
}  // namespace loom
#endif
