// A WASI context over a scratch directory and a one-page memory, for calling WASI functions
// directly: call("fd_write", {fd, iovs, n, out}) returns the errno the guest would see.
#pragma once
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <vector>

#include "runtime/instance.hpp"
#include "runtime/store.hpp"
#include "wasi/abi.hpp"
#include "wasi/wasi.hpp"

namespace loom::wasi::testing {

class WasiFixture : public ::testing::Test {
 protected:
  // The sandbox is fd 3, preopened as "/sandbox"; `outside` is a sibling directory the guest must
  // never reach.
  void SetUp() override {
    char pattern[] = "/tmp/loom-wasi-XXXXXX";
    root_ = mkdtemp(pattern);
    sandbox_ = root_ / "sandbox";
    outside_ = root_ / "outside";
    std::filesystem::create_directories(sandbox_);
    std::filesystem::create_directories(outside_);
    MemoryType type;
    type.limits.min = 1;
    memory_ = *store_.create_memory(type);
    make_context(false);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  void make_context(bool read_only) {
    WasiConfig config;
    config.args = {"prog", "arg1"};
    config.env = {"A=1"};
    config.preopens.push_back(Preopen{sandbox_.string(), "/sandbox", read_only});
    context_ = std::move(*WasiContext::create(std::move(config)));
    context_->bind_memory(memory_);
  }

  // Calls the WASI function `name` with i32/i64 arguments in functions.def order.
  Errno call(std::string_view name, std::initializer_list<uint64_t> args) {
    FunctionInst* func = context_->function(store_, name);
    EXPECT_NE(func, nullptr) << name;
    if (!func) return Errno::NoSys;
    std::vector<Value> values;
    for (uint64_t a : args) {
      Value v = default_value();
      v.u64 = a;
      values.push_back(v);
    }
    std::vector<Value> results(func->type->results.size());
    const std::string trap = func->host(values, results);
    EXPECT_TRUE(trap.empty()) << trap;
    return results.empty() ? Errno::Success : static_cast<Errno>(results[0].u32);
  }

  // Guest memory helpers.
  uint8_t* mem() { return memory_->base(); }
  uint32_t mem_size() const { return static_cast<uint32_t>(memory_->size_bytes()); }
  uint32_t put_string(uint32_t at, std::string_view s) {
    std::memcpy(mem() + at, s.data(), s.size());
    return static_cast<uint32_t>(s.size());
  }
  template <typename T>
  T load(uint32_t at) {
    T v;
    std::memcpy(&v, mem() + at, sizeof v);
    return v;
  }
  template <typename T>
  void store(uint32_t at, T v) {
    std::memcpy(mem() + at, &v, sizeof v);
  }

  static constexpr uint32_t kSandboxFd = 3;

  Store store_;
  MemoryInst* memory_ = nullptr;
  std::unique_ptr<WasiContext> context_;
  std::filesystem::path root_, sandbox_, outside_;
};

}  // namespace loom::wasi::testing
