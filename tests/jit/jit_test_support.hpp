// Runs the same module on both tiers, so tests can compare results, traps and fuel.
#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jit/jit_executor.hpp"
#include "jit/tier.hpp"
#include "runtime/instance.hpp"
#include "text/wat.hpp"
#include "valid/validator.hpp"

namespace loom::jit::test {

inline std::shared_ptr<const Module> parse(const std::string& wat) {
  auto module = parse_wat(wat);
  EXPECT_TRUE(module) << module.error().to_string();
  auto valid = validate_module(*module);
  EXPECT_TRUE(valid) << valid.error().to_string();
  return std::make_shared<const Module>(std::move(*module));
}

inline Value i32(int32_t v) {
  Value x = default_value();
  x.i32 = v;
  return x;
}
inline Value i64(int64_t v) {
  Value x = default_value();
  x.i64 = v;
  return x;
}

// One store, executor and instance of `wat` on `tier`.
struct TierRun {
  Store store;
  std::unique_ptr<Executor> executor;
  Instance* instance = nullptr;

  TierRun(Tier tier, const std::string& wat, ExecutorOptions options = {},
          std::vector<Extern> imports = {}) {
    executor = make_executor(tier, Features(), options);
    store.set_executor(executor.get());
    auto result = instantiate(store, parse(wat), imports);
    EXPECT_TRUE(result) << result.error().message;
    if (result) instance = *result;
  }
  ~TierRun() { store.set_executor(nullptr); }
  JitExecutor* jit() { return dynamic_cast<JitExecutor*>(executor.get()); }
  FunctionInst& func(const std::string& name) { return *instance->find_export(name)->func(); }
  std::optional<Trap> call(const std::string& name, std::vector<Value> args,
                           std::vector<Value>& results) {
    FunctionInst& f = func(name);
    results.assign(f.type->results.size(), default_value());
    return executor->call(f, args, results);
  }
};

inline void expect_same_trap(const std::optional<Trap>& a, const std::optional<Trap>& b) {
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(a->kind, b->kind);
  EXPECT_EQ(a->message, b->message);
  ASSERT_EQ(a->backtrace.size(), b->backtrace.size());
  for (size_t i = 0; i < a->backtrace.size(); ++i) {
    EXPECT_EQ(a->backtrace[i].func_index, b->backtrace[i].func_index) << "frame " << i;
    EXPECT_EQ(a->backtrace[i].func_name, b->backtrace[i].func_name) << "frame " << i;
    EXPECT_EQ(a->backtrace[i].offset, b->backtrace[i].offset) << "frame " << i;
  }
}

}  // namespace loom::jit::test
