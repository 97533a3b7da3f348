#include "interp/interpreter.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "binary/decoder.hpp"
#include "interp/handlers.hpp"
#include "runtime/instance.hpp"
#include "valid/validator.hpp"

namespace loom::interp {
namespace {

std::shared_ptr<const Module> load_example(const char* name) {
  std::ifstream file(std::string(LOOM_SOURCE_DIR "/examples/") + name, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)), {});
  auto module = decode_module(std::move(bytes));
  EXPECT_TRUE(module) << module.error().to_string();
  auto valid = validate_module(*module);
  EXPECT_TRUE(valid) << valid.error().to_string();
  return std::make_shared<const Module>(std::move(*module));
}

struct Fixture {
  Store store;
  Interpreter interpreter{Features()};
  Instance* instance = nullptr;
  explicit Fixture(const char* example) {
    store.set_executor(&interpreter);
    auto inst = instantiate(store, load_example(example), {});
    EXPECT_TRUE(inst) << inst.error().message;
    instance = *inst;
  }
  Value call(const char* name, std::vector<Value> args, std::optional<Trap>* trap = nullptr) {
    auto ext = instance->find_export(name);
    EXPECT_TRUE(ext.has_value());
    Value result = default_value();
    auto t = interpreter.call(*ext->func(), args, std::span<Value>(&result, 1));
    if (trap)
      *trap = t;
    else
      EXPECT_FALSE(t.has_value()) << t->message;
    return result;
  }
};

Value i32(int32_t v) {
  Value x = default_value();
  x.i32 = v;
  return x;
}

TEST(InterpreterTest, IterativeFibonacci) {
  Fixture f("fib.wasm");
  EXPECT_EQ(f.call("fib", {i32(0)}).i64, 0);
  EXPECT_EQ(f.call("fib", {i32(1)}).i64, 1);
  EXPECT_EQ(f.call("fib", {i32(10)}).i64, 55);
  EXPECT_EQ(f.call("fib", {i32(90)}).i64, 2880067194370816120ll);
}

TEST(InterpreterTest, RecursiveFibonacci) {
  Fixture f("fib.wasm");
  EXPECT_EQ(f.call("fib_recursive", {i32(0)}).i32, 0);
  EXPECT_EQ(f.call("fib_recursive", {i32(2)}).i32, 1);
  EXPECT_EQ(f.call("fib_recursive", {i32(20)}).i32, 6765);
}

}  // namespace
}  // namespace loom::interp

namespace loom::interp {
namespace {

// Every instruction the validator types from the opcode table must have a handler; a new table
// row without one would otherwise only fail when a program reaches it.
TEST(InterpreterTest, EverySimpleInstructionHasAHandler) {
  for (size_t i = 0; i < kOpcodeCount; ++i) {
    const auto op = static_cast<Opcode>(i);
    if (op_info(op).simple) {
      EXPECT_TRUE(has_handler(iop_from(op))) << op_text(op);
    }
  }
}

}  // namespace
}  // namespace loom::interp
