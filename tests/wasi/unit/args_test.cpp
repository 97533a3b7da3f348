// args_*, environ_*, clocks, random, proc_exit, and import resolution.
#include "wasi_fixture.hpp"

namespace loom::wasi::testing {
namespace {

using ArgsTest = WasiFixture;

TEST_F(ArgsTest, ArgsSizesAndValues) {
  EXPECT_EQ(call("args_sizes_get", {0, 4}), Errno::Success);
  EXPECT_EQ(load<uint32_t>(0), 2u);
  EXPECT_EQ(load<uint32_t>(4), 10u);  // "prog\0arg1\0"
  EXPECT_EQ(call("args_get", {100, 200}), Errno::Success);
  EXPECT_EQ(load<uint32_t>(100), 200u);
  EXPECT_EQ(load<uint32_t>(104), 205u);
  EXPECT_STREQ(reinterpret_cast<const char*>(mem() + 205), "arg1");
}

TEST_F(ArgsTest, EnvironValues) {
  EXPECT_EQ(call("environ_sizes_get", {0, 4}), Errno::Success);
  EXPECT_EQ(load<uint32_t>(0), 1u);
  EXPECT_EQ(load<uint32_t>(4), 4u);
  EXPECT_EQ(call("environ_get", {100, 200}), Errno::Success);
  EXPECT_STREQ(reinterpret_cast<const char*>(mem() + 200), "A=1");
}

TEST_F(ArgsTest, WildPointersFault) {
  EXPECT_EQ(call("args_sizes_get", {mem_size() - 2, 0}), Errno::Fault);
  EXPECT_EQ(call("args_get", {0, mem_size() - 3}), Errno::Fault);
  EXPECT_EQ(call("args_get", {0xffffffff, 0}), Errno::Fault);
  EXPECT_EQ(call("environ_get", {mem_size(), 0}), Errno::Fault);
  EXPECT_EQ(call("clock_time_get", {0, 0, mem_size() - 4}), Errno::Fault);
  EXPECT_EQ(call("random_get", {mem_size() - 4, 5}), Errno::Fault);
}

TEST_F(ArgsTest, Clocks) {
  for (uint32_t id : {kClockRealtime, kClockMonotonic, kClockProcessCputime, kClockThreadCputime}) {
    EXPECT_EQ(call("clock_res_get", {id, 0}), Errno::Success) << id;
    EXPECT_GT(load<uint64_t>(0), 0u);
    EXPECT_EQ(call("clock_time_get", {id, 1, 8}), Errno::Success) << id;
  }
  EXPECT_EQ(call("clock_time_get", {kClockMonotonic, 0, 8}), Errno::Success);
  const uint64_t first = load<uint64_t>(8);
  EXPECT_EQ(call("clock_time_get", {kClockMonotonic, 0, 8}), Errno::Success);
  EXPECT_GE(load<uint64_t>(8), first);
  EXPECT_EQ(call("clock_res_get", {4, 0}), Errno::Inval);
  EXPECT_EQ(call("clock_time_get", {99, 0, 0}), Errno::Inval);
}

TEST_F(ArgsTest, RandomFillsBuffer) {
  EXPECT_EQ(call("random_get", {0, 64}), Errno::Success);
  bool any = false;
  for (int i = 0; i < 64; ++i) any |= mem()[i] != 0;
  EXPECT_TRUE(any);
  EXPECT_EQ(call("random_get", {mem_size(), 0}), Errno::Success);  // empty at the very end
}

TEST_F(ArgsTest, ProcExitUnwindsWithCode) {
  FunctionInst* exit = context_->function(store_, "proc_exit");
  Value code = default_value();
  code.u32 = 42;
  const std::string trap = exit->host(std::span<const Value>(&code, 1), {});
  EXPECT_FALSE(trap.empty());
  EXPECT_EQ(context_->exit_code(), 42u);
}

TEST_F(ArgsTest, ProcRaiseAndYield) {
  EXPECT_EQ(call("proc_raise", {6}), Errno::NoSys);
  EXPECT_EQ(call("sched_yield", {}), Errno::Success);
}

TEST_F(ArgsTest, UnknownFunctionIsNotProvided) {
  EXPECT_EQ(context_->function(store_, "fd_frobnicate"), nullptr);
}

}  // namespace
}  // namespace loom::wasi::testing
