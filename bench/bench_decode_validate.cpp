// Decode and decode+validate throughput (MB/s) over a large, deterministic, realistic module:
// tens of thousands of functions with locals, mixed i32/i64/f64 arithmetic, loads and stores,
// nested blocks/loops/ifs, br_if, direct and indirect calls.
//
//   bench_decode_validate [--benchmark_filter=...] [--module_mb=N]
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "binary/decoder.hpp"
#include "binary/instr_reader.hpp"
#include "support/wasm_builder.hpp"
#include "valid/validator.hpp"

namespace loom {
namespace {

using namespace loom::test;  // NOLINT

// SplitMix64: small, deterministic, good enough to vary the generated code.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(next() % n); }
  bool chance(uint32_t percent) { return below(100) < percent; }

 private:
  uint64_t state_;
};

// Every generated function has type 0: (i32, i32) -> i32, and the locals below.
// Locals: 0-1 params (i32), 2-5 i32, 6-7 i64, 8-9 f64.
constexpr uint32_t kFirstI32Local = 0, kI32Locals = 6;
constexpr uint32_t kFirstI64Local = 6, kI64Locals = 2;
constexpr uint32_t kFirstF64Local = 8, kF64Locals = 2;
constexpr uint32_t kTableSize = 64;

class BodyGenerator {
 public:
  BodyGenerator(Rng& rng, uint32_t function_count) : rng_(rng), function_count_(function_count) {}

  Bytes function_body() {
    Bytes code;
    const uint32_t statements = 8 + rng_.below(24);
    for (uint32_t i = 0; i < statements; ++i) statement(code, 0);
    code.u8(op::kLocalGet).uleb(kFirstI32Local + rng_.below(kI32Locals));
    code.u8(op::kEnd);
    return body({{4, kI32}, {2, kI64}, {2, kF64}}, code);
  }

 private:
  // The mix leans the way compiled C does: mostly local.get, small constants, i32 arithmetic and
  // loads at constant offsets from a local, some calls; few indirect calls and conversions.
  void i32_expr(Bytes& out, int depth) {
    const uint32_t pick = depth > 3 ? rng_.below(6) : rng_.below(24);
    switch (pick) {
      case 0:
      case 1:
        out.u8(op::kI32Const).sleb(int32_t(rng_.next() % 2000) - 1000);
        break;
      case 2:
      case 3:
      case 4:
      case 5:
        out.u8(op::kLocalGet).uleb(kFirstI32Local + rng_.below(kI32Locals));
        break;
      case 6:
      case 7:
      case 8:
      case 9:
      case 10:
      case 11: {
        static constexpr uint8_t kBinary[] = {op::kI32Add, op::kI32Add, op::kI32Sub, op::kI32Mul,
                                              op::kI32And, op::kI32Xor, op::kI32Shl, op::kI32ShrU,
                                              op::kI32LtS, op::kI32Ne};
        i32_expr(out, depth + 1);
        i32_expr(out, depth + 1);
        out.u8(kBinary[rng_.below(sizeof kBinary)]);
        break;
      }
      case 12:
      case 13:
      case 14:  // i32.load from a local base or a masked address
        address(out, depth);
        out.u8(op::kI32Load).uleb(2).uleb(rng_.below(256) * 4);
        break;
      case 15:  // local.tee: compiled code keeps a value and its copy in a local
        i32_expr(out, depth + 1);
        out.u8(op::kLocalTee).uleb(kFirstI32Local + rng_.below(kI32Locals));
        break;
      case 16:
        i64_expr(out, depth + 1);
        out.u8(op::kI32WrapI64);
        break;
      case 17:
        i32_expr(out, depth + 1);
        out.u8(op::kI32Eqz);
        break;
      case 18:
        out.u8(op::kGlobalGet).uleb(rng_.below(2));
        break;
      case 19:
      case 20:
      case 21:  // direct call
        i32_expr(out, depth + 1);
        i32_expr(out, depth + 1);
        out.u8(op::kCall).uleb(rng_.below(function_count_));
        break;
      case 22:  // indirect call through the table
        i32_expr(out, depth + 1);
        i32_expr(out, depth + 1);
        out.u8(op::kI32Const).sleb(int32_t(rng_.below(kTableSize)));
        out.u8(op::kCallIndirect).uleb(0).uleb(0);
        break;
      default:  // i32 comparison of a loaded value against a constant
        address(out, depth);
        out.u8(op::kI32Load8U).uleb(0).uleb(rng_.below(256));
        out.u8(op::kI32Const).sleb(int32_t(rng_.below(64)));
        out.u8(op::kI32Eq);
        break;
    }
  }

  void i64_expr(Bytes& out, int depth) {
    const uint32_t pick = depth > 3 ? rng_.below(2) : rng_.below(6);
    switch (pick) {
      case 0:
        out.u8(op::kI64Const).sleb(int64_t(rng_.next() >> 20) - (int64_t{1} << 43));
        break;
      case 1:
        out.u8(op::kLocalGet).uleb(kFirstI64Local + rng_.below(kI64Locals));
        break;
      case 2:
      case 3:
        i64_expr(out, depth + 1);
        i64_expr(out, depth + 1);
        out.u8(rng_.chance(50) ? op::kI64Add : op::kI64Mul);
        break;
      case 4:
        i32_expr(out, depth + 1);
        out.u8(op::kI64ExtendI32U);
        break;
      default:
        address(out, depth);
        out.u8(op::kI64Load).uleb(3).uleb(rng_.below(128) * 8);
        break;
    }
  }

  void f64_expr(Bytes& out, int depth) {
    const uint32_t pick = depth > 3 ? rng_.below(2) : rng_.below(5);
    switch (pick) {
      case 0:
        out.u8(op::kF64Const).f64(double(rng_.below(100000)) / 64.0);
        break;
      case 1:
        out.u8(op::kLocalGet).uleb(kFirstF64Local + rng_.below(kF64Locals));
        break;
      case 2:
      case 3:
        f64_expr(out, depth + 1);
        f64_expr(out, depth + 1);
        out.u8(rng_.chance(50) ? op::kF64Add : op::kF64Mul);
        break;
      default:
        i32_expr(out, depth + 1);
        out.u8(op::kF64ConvertI32S);
        break;
    }
  }

  // A base pointer in a local (the usual case in compiled code) or a computed, masked address.
  void address(Bytes& out, int depth) {
    if (rng_.chance(70)) {
      out.u8(op::kLocalGet).uleb(kFirstI32Local + rng_.below(kI32Locals));
      return;
    }
    i32_expr(out, depth + 1);
    out.u8(op::kI32Const).sleb(0xfff).u8(op::kI32And);
  }

  void statements(Bytes& out, int depth, uint32_t max_count) {
    const uint32_t count = 1 + rng_.below(max_count);
    for (uint32_t i = 0; i < count; ++i) statement(out, depth);
  }

  // A statement leaves the operand stack as it found it.
  void statement(Bytes& out, int depth) {
    const uint32_t pick = depth >= 4 ? rng_.below(6) : rng_.below(10);
    switch (pick) {
      case 0:
      case 1:
        i32_expr(out, 0);
        out.u8(op::kLocalSet).uleb(kFirstI32Local + rng_.below(kI32Locals));
        break;
      case 2:
        i64_expr(out, 0);
        out.u8(op::kLocalSet).uleb(kFirstI64Local + rng_.below(kI64Locals));
        break;
      case 3:
        f64_expr(out, 0);
        out.u8(op::kLocalSet).uleb(kFirstF64Local + rng_.below(kF64Locals));
        break;
      case 4:
        address(out, 0);
        i32_expr(out, 1);
        out.u8(op::kI32Store).uleb(2).uleb(rng_.below(256) * 4);
        break;
      case 5:
        i32_expr(out, 0);
        out.u8(op::kGlobalSet).uleb(rng_.below(2));
        break;
      case 6:  // block { ...; br_if 0 (cond); ... }
        out.u8(op::kBlock).u8(kEmptyBlock);
        statements(out, depth + 1, 3);
        i32_expr(out, 1);
        out.u8(op::kBrIf).uleb(0);
        statements(out, depth + 1, 3);
        out.u8(op::kEnd);
        break;
      case 7:  // block { loop { ...; br_if 1 (cond); ...; br_if 0 (cond) } }
        out.u8(op::kBlock).u8(kEmptyBlock).u8(op::kLoop).u8(kEmptyBlock);
        statements(out, depth + 2, 3);
        i32_expr(out, 1);
        out.u8(op::kBrIf).uleb(1);
        statements(out, depth + 2, 2);
        i32_expr(out, 1);
        out.u8(op::kBrIf).uleb(0);
        out.u8(op::kEnd).u8(op::kEnd);
        break;
      case 8:  // if (cond) { ... } else { ... }
        i32_expr(out, 1);
        out.u8(op::kIf).u8(kEmptyBlock);
        statements(out, depth + 1, 3);
        out.u8(op::kElse);
        statements(out, depth + 1, 2);
        out.u8(op::kEnd);
        break;
      default:  // a value-producing block: block (result i32) ... end, stored to a local
        out.u8(op::kBlock).u8(kI32);
        statements(out, depth + 1, 2);
        i32_expr(out, 1);
        out.u8(op::kEnd);
        out.u8(op::kLocalSet).uleb(kFirstI32Local + rng_.below(kI32Locals));
        break;
    }
  }

  Rng& rng_;
  uint32_t function_count_;
};

std::vector<uint8_t> generate_module(size_t target_bytes) {
  Rng rng(0x1005eed);
  // Estimate the function count from a sample so the module lands near the target size.
  uint32_t function_count = 1000;
  {
    Rng sample_rng(0x1005eed);
    BodyGenerator sample(sample_rng, function_count);
    size_t sample_bytes = 0;
    for (int i = 0; i < 200; ++i) sample_bytes += sample.function_body().size();
    function_count = static_cast<uint32_t>(target_bytes / (sample_bytes / 200) + 1);
  }
  BodyGenerator generator(rng, function_count);

  ModuleBuilder mb;
  mb.section(kTypeSection, vec({func_type({kI32, kI32}, {kI32}), func_type({}, {})}));
  Bytes functions;
  functions.uleb(function_count);
  for (uint32_t i = 0; i < function_count; ++i) functions.u8(0);
  mb.section(kFunctionSection, functions);
  mb.section(kTableSection, vec({Bytes{kFuncRef}.append(limits(kTableSize))}));
  mb.section(kMemorySection, vec({limits(1, 16)}));
  mb.section(kGlobalSection, vec({global_entry(kI32, true, i32_const_expr(0)),
                                  global_entry(kI32, true, i32_const_expr(7))}));
  mb.section(kExportSection,
             vec({export_entry("main", kExternFunc, 0), export_entry("memory", kExternMemory, 0)}));
  std::vector<uint32_t> table_funcs;
  for (uint32_t i = 0; i < kTableSize; ++i) table_funcs.push_back(i % function_count);
  mb.section(kElementSection,
             vec({Bytes{0x00}.append(i32_const_expr(0)).append(vec_u32(table_funcs))}));
  Bytes code;
  code.uleb(function_count);
  for (uint32_t i = 0; i < function_count; ++i) code.append(generator.function_body());
  mb.section(kCodeSection, code);
  mb.section(kDataSection, vec({data_active(i32_const_expr(16), "loom benchmark data")}));
  return mb.bytes();
}

size_t g_module_mb = 32;

const std::vector<uint8_t>& bench_module() {
  static const std::vector<uint8_t> module = [] {
    std::vector<uint8_t> bytes = generate_module(g_module_mb << 20);
    Result<Module> decoded = decode_module(bytes);
    bench::require_ok(decoded, "decode");
    bench::require_ok(validate_module(decoded.value()), "validate");
    return bytes;
  }();
  return module;
}

void report(benchmark::State& state, size_t bytes) {
  bench::report_bytes(state, bytes, "module_MB");
}

void BM_Decode(benchmark::State& state) {
  const std::vector<uint8_t>& bytes = bench_module();
  for (auto _ : state) {
    Result<Module> decoded = decode_module(std::span<const uint8_t>(bytes));
    if (!decoded.ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(decoded);
  }
  report(state, bytes.size());
}

// The same, for a caller that hands over its buffer (decode_module(std::vector&&)): the copy of
// the input, which dominates BM_Decode, is made outside the timed region.
void BM_DecodeOwnedBuffer(benchmark::State& state) {
  const std::vector<uint8_t>& bytes = bench_module();
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<uint8_t> owned = bytes;
    state.ResumeTiming();
    Result<Module> decoded = decode_module(std::move(owned));
    if (!decoded.ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(decoded);
    state.PauseTiming();
    decoded = Error{};  // free outside the timed region too
    state.ResumeTiming();
  }
  report(state, bytes.size());
}

// Decode (of a handed-over buffer) plus one InstrReader pass over every body: the
// instruction-decoding cost alone.
void BM_DecodeAndReadInstructions(benchmark::State& state) {
  const std::vector<uint8_t>& bytes = bench_module();
  const Features features;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<uint8_t> owned = bytes;
    state.ResumeTiming();
    Result<Module> decoded = decode_module(std::move(owned));
    if (!decoded.ok()) state.SkipWithError("decode failed");
    const Module& m = decoded.value();
    size_t instructions = 0;
    Instr instr;
    for (const FunctionBody& body : m.bodies) {
      InstrReader in(m.slice(body.code), body.code.begin, features);
      while (!in.at_end()) {
        if (!in.next(instr)) state.SkipWithError("instruction decode failed");
        ++instructions;
      }
    }
    benchmark::DoNotOptimize(instructions);
    state.counters["instructions"] = double(instructions);
    state.PauseTiming();
    decoded = Error{};
    state.ResumeTiming();
  }
  report(state, bytes.size());
}

// What `loom validate` does: the file's buffer is moved into decode_module (no copy), then the
// module is validated. Copying the input and freeing the module happen outside the timed region.
void BM_DecodeValidate(benchmark::State& state) {
  const std::vector<uint8_t>& bytes = bench_module();
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<uint8_t> owned = bytes;
    state.ResumeTiming();
    Result<Module> decoded = decode_module(std::move(owned));
    if (!decoded.ok()) state.SkipWithError("decode failed");
    Status valid = validate_module(decoded.value());
    if (!valid.ok()) state.SkipWithError("validate failed");
    benchmark::DoNotOptimize(valid);
    state.PauseTiming();
    decoded = Error{};
    state.ResumeTiming();
  }
  report(state, bytes.size());
}

// The same through the span overload, which copies the input (and frees the module) inside the
// timed region: the copy's page faults are a large share of this one.
void BM_DecodeValidateCopyingInput(benchmark::State& state) {
  const std::vector<uint8_t>& bytes = bench_module();
  for (auto _ : state) {
    Result<Module> decoded = decode_module(std::span<const uint8_t>(bytes));
    if (!decoded.ok()) state.SkipWithError("decode failed");
    Status valid = validate_module(decoded.value());
    if (!valid.ok()) state.SkipWithError("validate failed");
    benchmark::DoNotOptimize(valid);
  }
  report(state, bytes.size());
}

BENCHMARK(BM_Decode)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_DecodeOwnedBuffer)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_DecodeAndReadInstructions)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_DecodeValidate)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_DecodeValidateCopyingInput)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
}  // namespace loom

int main(int argc, char** argv) {
  // Our own flag first, so Google Benchmark does not reject it.
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--module_mb=", 12) == 0) {
      loom::g_module_mb = std::strtoul(argv[i] + 12, nullptr, 10);
    } else {
      args.push_back(argv[i]);
    }
  }
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;
  std::printf("module size: %zu bytes\n", loom::bench_module().size());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
