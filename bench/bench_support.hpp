// Shared pieces of the Google Benchmark programs.
#pragma once
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "util/result.hpp"

namespace loom::bench {

// A generated input that fails to decode, parse or validate is a bug in the generator: stop.
template <typename T>
void require_ok(const Result<T>& result, const char* what) {
  if (result.ok()) return;
  std::fprintf(stderr, "generated input does not %s: %s\n", what,
               result.error().to_string().c_str());
  std::exit(1);
}

// Bytes per second over `bytes` of input per iteration, and the input's size in MiB.
inline void report_bytes(benchmark::State& state, size_t bytes, const std::string& size_counter) {
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(bytes));
  state.counters[size_counter] = double(bytes) / (1 << 20);
}

}  // namespace loom::bench
