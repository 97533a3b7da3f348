// Bad input never crashes the host: every WASI function (but poll_oneoff, whose clock
// subscriptions could sleep for as long as a random timeout says) is called many times with random
// descriptors, pointers, lengths and flags over a memory full of path-like bytes. Each call must
// return an errno; the scratch directory's siblings must stay untouched.
#include <fcntl.h>

#include <random>

#include "wasi_fixture.hpp"

namespace loom::wasi::testing {
namespace {

class RandomCallsTest : public WasiFixture {
 protected:
  // Guest stdio on /dev/null, so no call can block on a terminal or write into the test log.
  void use_null_stdio() {
    null_ = UniqueFd(::open("/dev/null", O_RDWR | O_CLOEXEC));
    WasiConfig config;
    config.args = {"prog"};
    config.preopens.push_back(Preopen{sandbox_.string(), "/sandbox", false});
    config.stdin_fd = config.stdout_fd = config.stderr_fd = null_.get();
    context_ = std::move(*WasiContext::create(std::move(config)));
    context_->bind_memory(memory_);
  }

  UniqueFd null_;
};

struct Signature {
  const char* name;
  const char* params;
};
constexpr Signature kFunctions[] = {
#define WASI_FUNCTION(name, params, results) {#name, params},
#include "wasi/functions.def"
#undef WASI_FUNCTION
};

TEST_F(RandomCallsTest, EveryFunctionSurvivesRandomArguments) {
  use_null_stdio();
  std::mt19937_64 rng(20261125);
  // Memory: short path-like strings ("a/../b", ".", "..", "x/") and small numbers.
  const char alphabet[] = "ab./";
  for (uint32_t i = 0; i < mem_size(); ++i) mem()[i] = static_cast<uint8_t>(alphabet[rng() % 4]);
  auto value = [&](char kind) -> uint64_t {
    switch (rng() % 8) {
      case 6:
      case 7:
        return 3;  // the preopen, so that paths get resolved
      case 0:
        return rng() % 8;  // a descriptor, a small length or flag
      case 1:
        return rng() % 64;  // a short length
      case 2:
        return rng() % mem_size();  // a pointer inside memory
      case 3:
        return mem_size() - rng() % 16;  // a pointer at the very end
      case 4:
        return kind == 'I' ? rng() : rng() & 0xffffffff;  // anything at all
      default:
        return rng() & 0xff;  // flags
    }
  };
  size_t calls = 0;
  for (int round = 0; round < 100000; ++round) {
    if (round % 500 == 0) use_null_stdio();  // the guest may have closed or renumbered the preopen
    const Signature& f = kFunctions[rng() % std::size(kFunctions)];
    const std::string_view name = f.name;
    if (name == "poll_oneoff" || name == "proc_exit") continue;
    std::vector<Value> args;
    for (const char* p = f.params; *p; ++p) {
      Value v = default_value();
      v.u64 = *p == 'I' ? value('I') : static_cast<uint32_t>(value('i'));
      args.push_back(v);
    }
    FunctionInst* func = context_->function(store_, name);
    ASSERT_NE(func, nullptr);
    std::vector<Value> results(func->type->results.size());
    ASSERT_TRUE(func->host(args, results).empty()) << name;
    ASSERT_LE(results[0].u32, static_cast<uint32_t>(Errno::NotCapable)) << name;
    ++calls;
  }
  EXPECT_GT(calls, 90000u);
  // Nothing escaped: the sibling directory is still empty.
  EXPECT_TRUE(std::filesystem::is_empty(outside_));
}

}  // namespace
}  // namespace loom::wasi::testing
