// WAT parse and parse+encode throughput (MB/s of input text) over a large, deterministic,
// realistic .wat file generated in memory: thousands of functions with named params and locals,
// folded and flat instructions, blocks/loops/ifs with labels and br_if, calls (direct and
// indirect), loads and stores with offsets, i32/i64/f32/f64 constants in decimal, hex and float
// notation, line and block comments.
//
//   bench_wat_parse [--benchmark_filter=...] [--text_mb=N]
#include <benchmark/benchmark.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "binary/encoder.hpp"
#include "text/wat.hpp"
#include "valid/validator.hpp"

namespace loom {
namespace {

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

// Every generated function has type $binop: (param i32 i32) (result i32), named params $a $b and
// locals $i0..$i3 (i32), $l0 $l1 (i64), $d0 $d1 (f64), $s0 (f32).
constexpr const char* kI32Locals[] = {"$a", "$b", "$i0", "$i1", "$i2", "$i3"};
constexpr const char* kI64Locals[] = {"$l0", "$l1"};
constexpr const char* kF64Locals[] = {"$d0", "$d1"};
constexpr uint32_t kTableSize = 64;

class WatGenerator {
 public:
  WatGenerator(Rng& rng, uint32_t function_count, std::string& out)
      : rng_(rng), function_count_(function_count), out_(out) {}

  void function(uint32_t index) {
    out_ += "  (func $f";
    number(index);
    if (index % 7 == 0) {
      out_ += " (export \"f";
      number(index);
      out_ += "\")";
    }
    out_ += " (type $binop) (param $a i32) (param $b i32) (result i32)\n";
    out_ += "    (local $i0 i32) (local $i1 i32) (local $i2 i32) (local $i3 i32)\n";
    out_ += "    (local $l0 i64) (local $l1 i64) (local $d0 f64) (local $d1 f64) (local $s0 f32)\n";
    if (rng_.chance(30)) out_ += "    ;; a line comment about this function\n";
    const uint32_t statements = 6 + rng_.below(20);
    for (uint32_t i = 0; i < statements; ++i) statement(2);
    indent(2);
    out_ += "local.get ";
    out_ += pick(kI32Locals);
    out_ += ")\n";
  }

 private:
  template <size_t N>
  const char* pick(const char* const (&names)[N]) {
    return names[rng_.below(N)];
  }
  void number(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%" PRIu64, v);
    out_ += buf;
  }
  void signed_number(int64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%" PRId64, v);
    out_ += buf;
  }
  void indent(int depth) { out_.append(size_t(depth) * 2, ' '); }
  void label(int depth) {
    out_ += "$L";
    number(uint64_t(depth));
  }

  void i32_const() {
    out_ += "i32.const ";
    switch (rng_.below(4)) {
      case 0: {
        char buf[16];
        std::snprintf(buf, sizeof buf, "0x%x", rng_.below(0x10000));
        out_ += buf;
        break;
      }
      case 1:
        signed_number(int64_t(rng_.below(2000)) - 1000);
        break;
      default:
        number(rng_.below(100));
        break;
    }
  }

  // Folded expressions: `(i32.add (local.get $a) (i32.const 1))`.
  void i32_expr(int depth) {
    const uint32_t choice = depth > 3 ? rng_.below(3) : rng_.below(11);
    out_ += '(';
    switch (choice) {
      case 0:
        i32_const();
        break;
      case 1:
      case 2:
        out_ += "local.get ";
        out_ += pick(kI32Locals);
        break;
      case 3:
      case 4:
      case 5: {
        static constexpr const char* kBinary[] = {"i32.add",  "i32.sub", "i32.mul",   "i32.and",
                                                  "i32.xor",  "i32.shl", "i32.shr_u", "i32.lt_s",
                                                  "i32.rotl", "i32.ne"};
        out_ += pick(kBinary);
        out_ += ' ';
        i32_expr(depth + 1);
        out_ += ' ';
        i32_expr(depth + 1);
        break;
      }
      case 6:
        out_ += "i32.load offset=";
        number(rng_.below(256) * 4);
        out_ += ' ';
        address(depth);
        break;
      case 7:
        out_ += "i32.wrap_i64 ";
        i64_expr(depth + 1);
        break;
      case 8:
        out_ += "global.get $g";
        number(rng_.below(2));
        break;
      case 9:
        out_ += "call $f";
        number(rng_.below(function_count_));
        out_ += ' ';
        i32_expr(depth + 1);
        out_ += ' ';
        i32_expr(depth + 1);
        break;
      default:
        out_ += "call_indirect (type $binop) ";
        i32_expr(depth + 1);
        out_ += ' ';
        i32_expr(depth + 1);
        out_ += " (i32.const ";
        number(rng_.below(kTableSize));
        out_ += ')';
        break;
    }
    out_ += ')';
  }

  void i64_expr(int depth) {
    const uint32_t choice = depth > 3 ? rng_.below(2) : rng_.below(6);
    out_ += '(';
    switch (choice) {
      case 0:
        out_ += "i64.const ";
        if (rng_.chance(50)) {
          char buf[24];
          std::snprintf(buf, sizeof buf, "0x%" PRIx64, rng_.next() >> 12);
          out_ += buf;
        } else {
          signed_number(int64_t(rng_.next() >> 20) - (int64_t{1} << 43));
        }
        break;
      case 1:
        out_ += "local.get ";
        out_ += pick(kI64Locals);
        break;
      case 2:
      case 3:
        out_ += rng_.chance(50) ? "i64.add " : "i64.mul ";
        i64_expr(depth + 1);
        out_ += ' ';
        i64_expr(depth + 1);
        break;
      case 4:
        out_ += "i64.extend_i32_u ";
        i32_expr(depth + 1);
        break;
      default:
        out_ += "i64.load offset=";
        number(rng_.below(128) * 8);
        out_ += " align=8 ";
        address(depth);
        break;
    }
    out_ += ')';
  }

  void f64_expr(int depth) {
    const uint32_t choice = depth > 3 ? rng_.below(2) : rng_.below(6);
    out_ += '(';
    switch (choice) {
      case 0: {
        out_ += "f64.const ";
        char buf[32];
        if (rng_.chance(25)) {
          std::snprintf(buf, sizeof buf, "%a", double(rng_.below(100000)) / 64.0);
        } else {
          std::snprintf(buf, sizeof buf, "%.4f", double(rng_.below(1000000)) / 128.0);
        }
        out_ += buf;
        break;
      }
      case 1:
        out_ += "local.get ";
        out_ += pick(kF64Locals);
        break;
      case 2:
      case 3:
        out_ += rng_.chance(50) ? "f64.add " : "f64.mul ";
        f64_expr(depth + 1);
        out_ += ' ';
        f64_expr(depth + 1);
        break;
      case 4:
        out_ += "f64.promote_f32 (f32.const ";
        number(rng_.below(1000));
        out_ += ".5)";
        break;
      default:
        out_ += "f64.convert_i32_s ";
        i32_expr(depth + 1);
        break;
    }
    out_ += ')';
  }

  void address(int depth) {
    out_ += "(i32.and ";
    i32_expr(depth + 1);
    out_ += " (i32.const 0xfff))";
  }

  void statements(int depth, uint32_t max_count) {
    const uint32_t count = 1 + rng_.below(max_count);
    for (uint32_t i = 0; i < count; ++i) statement(depth);
  }

  // A statement leaves the operand stack as it found it. Statements at even depths are folded,
  // the others are written flat (operands first), to mix both forms.
  void statement(int depth) {
    const uint32_t choice = depth >= 6 ? rng_.below(6) : rng_.below(11);
    indent(depth);
    switch (choice) {
      case 0:
      case 1:
        if (rng_.chance(50)) {
          out_ += "(local.set ";
          out_ += pick(kI32Locals);
          out_ += ' ';
          i32_expr(0);
          out_ += ")\n";
        } else {  // flat form
          i32_expr(0);
          out_ += " local.set ";
          out_ += pick(kI32Locals);
          out_ += '\n';
        }
        break;
      case 2:
        out_ += "(local.set ";
        out_ += pick(kI64Locals);
        out_ += ' ';
        i64_expr(0);
        out_ += ")\n";
        break;
      case 3:
        f64_expr(0);
        out_ += "\n";
        indent(depth);
        out_ += "local.set ";
        out_ += pick(kF64Locals);
        out_ += '\n';
        break;
      case 4:
        out_ += "(i32.store offset=";
        number(rng_.below(256) * 4);
        out_ += ' ';
        address(0);
        out_ += ' ';
        i32_expr(1);
        out_ += ")\n";
        break;
      case 5:
        out_ += "(global.set $g";
        number(rng_.below(2));
        out_ += ' ';
        i32_expr(0);
        out_ += ")  ;; update a global\n";
        break;
      case 6:  // block $L { ...; br_if $L (cond); ... }
        out_ += "(block ";
        label(depth);
        out_ += '\n';
        statements(depth + 1, 3);
        indent(depth + 1);
        out_ += "(br_if ";
        label(depth);
        out_ += ' ';
        i32_expr(1);
        out_ += ")\n";
        statements(depth + 1, 3);
        indent(depth);
        out_ += ")\n";
        break;
      case 7:  // flat: block loop ... br_if 1 ... br_if 0 end end
        out_ += "block (; outer ;)\n";
        indent(depth + 1);
        out_ += "loop ";
        label(depth);
        out_ += '\n';
        statements(depth + 2, 3);
        indent(depth + 2);
        i32_expr(1);
        out_ += "\n";
        indent(depth + 2);
        out_ += "br_if 1\n";
        statements(depth + 2, 2);
        indent(depth + 2);
        i32_expr(1);
        out_ += " br_if ";
        label(depth);
        out_ += '\n';
        indent(depth + 1);
        out_ += "end\n";
        indent(depth);
        out_ += "end\n";
        break;
      case 8:  // (if (cond) (then ...) (else ...))
        out_ += "(if ";
        i32_expr(1);
        out_ += '\n';
        indent(depth + 1);
        out_ += "(then\n";
        statements(depth + 2, 3);
        indent(depth + 1);
        out_ += ")\n";
        indent(depth + 1);
        out_ += "(else\n";
        statements(depth + 2, 2);
        indent(depth + 1);
        out_ += "))\n";
        break;
      case 9:  // a value-producing block stored to a local
        out_ += "(local.set ";
        out_ += pick(kI32Locals);
        out_ += " (block (result i32)\n";
        statements(depth + 1, 2);
        indent(depth + 1);
        i32_expr(1);
        out_ += "))\n";
        break;
      default:  // f32 arithmetic, flat
        out_ += "f32.const -0x1.8p3 f32.const 2.5e-1 f32.add local.get $s0 f32.mul ";
        out_ += "local.set $s0\n";
        break;
    }
  }

  Rng& rng_;
  uint32_t function_count_;
  std::string& out_;
};

std::string generate_wat(size_t target_bytes) {
  // Estimate the function count from a sample so the text lands near the target size.
  uint32_t function_count = 1000;
  {
    Rng sample_rng(0x7e47);
    std::string sample;
    WatGenerator generator(sample_rng, function_count, sample);
    for (uint32_t i = 0; i < 200; ++i) generator.function(i);
    function_count = static_cast<uint32_t>(target_bytes / (sample.size() / 200) + 1);
  }
  std::string text;
  text.reserve(target_bytes + target_bytes / 8);
  text += "(module $bench\n";
  text += "  (type $binop (func (param i32 i32) (result i32)))\n";
  text += "  (type $void (func))\n";
  text += "  (import \"env\" \"log\" (func $log (param i32)))\n";
  text += "  (table $tab " + std::to_string(kTableSize) + " funcref)\n";
  text += "  (memory $mem (export \"memory\") 1 16)\n";
  text += "  (global $g0 (mut i32) (i32.const 0))\n";
  text += "  (global $g1 (mut i32) (i32.const 7))\n";
  text += "  (export \"main\" (func $f0))\n";
  text += "  (elem (table $tab) (i32.const 0) func";
  for (uint32_t i = 0; i < kTableSize; ++i) text += " $f" + std::to_string(i % function_count);
  text += ")\n";
  text += "  (data (memory $mem) (i32.const 16) \"loom benchmark\\00data\\n\")\n";
  text += "  (; the functions ;)\n";
  Rng rng(0x7e47);
  WatGenerator generator(rng, function_count, text);
  for (uint32_t i = 0; i < function_count; ++i) generator.function(i);
  text += ")\n";
  return text;
}

size_t g_text_mb = 24;

const std::string& bench_text() {
  static const std::string text = [] {
    std::string wat = generate_wat(g_text_mb << 20);
    Result<Module> parsed = parse_wat(wat);
    bench::require_ok(parsed, "parse");
    bench::require_ok(validate_module(parsed.value()), "validate");
    return wat;
  }();
  return text;
}

void report(benchmark::State& state, size_t bytes) {
  bench::report_bytes(state, bytes, "text_MB");
}

void BM_ParseWat(benchmark::State& state) {
  const std::string& text = bench_text();
  for (auto _ : state) {
    Result<Module> parsed = parse_wat(text);
    if (!parsed.ok()) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(parsed);
  }
  report(state, text.size());
}

void BM_ParseWatAndEncode(benchmark::State& state) {
  const std::string& text = bench_text();
  size_t binary_size = 0;
  for (auto _ : state) {
    Result<Module> parsed = parse_wat(text);
    if (!parsed.ok()) {
      state.SkipWithError("parse failed");
      break;
    }
    std::vector<uint8_t> binary = encode_module(parsed.value());
    binary_size = binary.size();
    benchmark::DoNotOptimize(binary);
  }
  report(state, text.size());
  state.counters["binary_MB"] = double(binary_size) / (1 << 20);
}

BENCHMARK(BM_ParseWat)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_ParseWatAndEncode)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
}  // namespace loom

int main(int argc, char** argv) {
  // Our own flag first, so Google Benchmark does not reject it.
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--text_mb=", 10) == 0) {
      loom::g_text_mb = std::strtoul(argv[i] + 10, nullptr, 10);
    } else {
      args.push_back(argv[i]);
    }
  }
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;
  std::printf("text size: %zu bytes\n", loom::bench_text().size());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
