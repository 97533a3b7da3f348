// One engine and one module shared by threads, each with its own stores: thousands of
// instantiations and calls, with host functions. Run under ThreadSanitizer too (tests/api/README).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "loom/loom.hpp"

namespace {

TEST(ApiThreads, StorePerThreadSharedModule) {
  loom::Engine engine;
  auto module = loom::Module::compile_wat(engine, R"((module
    (import "host" "id" (func $id (result i32)))
    (global $g (mut i32) (i32.const 0))
    (table 1 funcref)
    (func (export "run") (param i32) (result i32)
      (global.set $g (i32.add (global.get $g) (local.get 0)))
      (i32.add (global.get $g) (call $id)))))");
  ASSERT_TRUE(module) << module.error().message();
  loom::Linker linker(engine);
  constexpr int kThreads = 4, kStoresPerThread = 10, kInstancesPerStore = 100;
  std::atomic<int> host_calls{0};
  ASSERT_TRUE(linker.func_wrap("host", "id", [&] {
    host_calls.fetch_add(1, std::memory_order_relaxed);
    return int32_t{1000};
  }));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int s = 0; s < kStoresPerThread; ++s) {
        loom::Store store(engine);
        for (int i = 0; i < kInstancesPerStore; ++i) {
          auto instance = linker.instantiate(store, *module);
          if (!instance) {
            failures.fetch_add(1);
            continue;
          }
          auto run = instance->get_func("run")->typed<int32_t(int32_t)>();
          auto r = run->call(t);
          if (!r || *r != t + 1000) failures.fetch_add(1);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(host_calls.load(), kThreads * kStoresPerThread * kInstancesPerStore);
}

}  // namespace
