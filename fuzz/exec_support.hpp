// Shared by the execution fuzzer and the differential runner: imports satisfied by stubs of the
// right type, so any module can be instantiated without a real host.
#pragma once
#include <cstdint>
#include <cstring>
#include <functional>
#include <iterator>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "ir/module.hpp"
#include "jit/tier.hpp"
#include "runtime/instance.hpp"
#include "runtime/store.hpp"
#include "runtime/value.hpp"
#include "util/result.hpp"

namespace loom::fuzz {

// Budgets (the store's limits are what a hostile module meets): small enough that one input
// runs in milliseconds, large enough for loops to matter.
constexpr uint64_t kFuelPerCall = 200'000;
constexpr uint64_t kMaxMemoryBytes = uint64_t{64} << 20;
constexpr uint64_t kMaxTableElements = 100'000;
constexpr size_t kMaxExportCalls = 64;

// The module `bytes` decode to, when it is valid under `features`; else null.
std::shared_ptr<const Module> decode_valid(std::span<const uint8_t> bytes,
                                           const Features& features);

// A store under those limits with an executor of `tier` attached and kFuelPerCall fuel (the
// start function's budget); a 4 MiB wasm stack and 2,000 frames.
struct Sandbox {
  Sandbox(jit::Tier tier, const Features& features);
  Store store;
  std::unique_ptr<Executor> executor;
};

// Chooses the host function for a function import; an empty callback means "use the default
// stub", which writes zero values to all results.
using HostProvider = std::function<HostCallback(const Import& import, const FuncType& type)>;

// One Extern per import of `module`, in import order: functions from `provider` (or returning
// zeros), memories and tables of exactly the imported limits, globals of the imported type holding
// zero (null). Fails for imports that cannot be stubbed (tags) or that the store refuses to create.
Result<std::vector<Extern>> stub_imports(Store& store, const Module& module,
                                         const HostProvider& provider = {});

// Argument values for export calls, derived from the fuzz input (so a reproducer replays them):
// mostly the edge cases of each type, sometimes raw bits from the input hash.
class ArgumentSource {
 public:
  explicit ArgumentSource(std::span<const uint8_t> bytes) {
    state_ = 0xcbf29ce484222325u;  // FNV-1a
    for (uint8_t b : bytes) state_ = (state_ ^ b) * 0x100000001b3u;
  }

  Value next(ValType type) {
    Value v = default_value();
    const uint64_t r = random();
    const bool raw = (r & 3) == 0;
    const uint64_t pick = r >> 2;
    switch (type.kind) {
      case ValKind::I32: {
        static constexpr uint32_t kEdges[] = {
            0, 1, 2, 7, 0xff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe};
        v.u32 = raw ? static_cast<uint32_t>(random()) : kEdges[pick % std::size(kEdges)];
        break;
      }
      case ValKind::I64: {
        static constexpr uint64_t kEdges[] = {
            0, 1, 42, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff, 0x100000000};
        v.u64 = raw ? random() : kEdges[pick % std::size(kEdges)];
        break;
      }
      case ValKind::F32: {
        static constexpr float kEdges[] = {0.0f,
                                           -0.0f,
                                           1.0f,
                                           -1.5f,
                                           3.4e38f,
                                           1e-45f,
                                           std::numeric_limits<float>::infinity(),
                                           std::numeric_limits<float>::quiet_NaN(),
                                           2147483648.0f};
        if (raw) {
          const uint32_t bits = static_cast<uint32_t>(random());
          std::memcpy(&v.f32, &bits, sizeof bits);
        } else {
          v.f32 = kEdges[pick % std::size(kEdges)];
        }
        break;
      }
      case ValKind::F64: {
        static constexpr double kEdges[] = {0.0,
                                            -0.0,
                                            1.0,
                                            -1.5,
                                            1.7e308,
                                            5e-324,
                                            -std::numeric_limits<double>::infinity(),
                                            std::numeric_limits<double>::quiet_NaN(),
                                            9223372036854775808.0};
        if (raw) {
          const uint64_t bits = random();
          std::memcpy(&v.f64, &bits, sizeof bits);
        } else {
          v.f64 = kEdges[pick % std::size(kEdges)];
        }
        break;
      }
      case ValKind::V128:
        for (uint8_t& byte : v.v128.bytes) byte = static_cast<uint8_t>(random());
        break;
      default:
        v.ref = nullptr;  // the only reference a harness can make up safely
        break;
    }
    return v;
  }

 private:
  uint64_t random() {  // splitmix64
    uint64_t z = (state_ += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
  }
  uint64_t state_;
};

}  // namespace loom::fuzz
