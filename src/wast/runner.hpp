// Runs WAST scripts (the spec testsuite format) against Loom: every command and assertion kind,
// with the spectest host module and `register`. Used by `loom wast` and the spec tests.
#pragma once
#include <cstdio>
#include <string>
#include <string_view>

#include "ir/features.hpp"
#include "jit/tier.hpp"

namespace loom::wast {

struct RunSummary {
  size_t passed = 0;
  size_t failed = 0;
};

struct RunOptions {
  Features features;
  bool verbose = false;  // print every failure (the default prints up to 50 per file)
  jit::Tier tier = jit::default_tier();
  std::FILE* report_fallbacks = nullptr;  // see jit::ExecutorOptions
};

// Runs one script file; prints each failure and the line "FILE: N passed, N failed" to `out`.
RunSummary run_wast_file(const std::string& path, const RunOptions& options, FILE* out);
// The same for a script in memory, `path` naming it in what is printed.
RunSummary run_wast_source(std::string_view source, const std::string& path,
                           const RunOptions& options, FILE* out);

}  // namespace loom::wast
