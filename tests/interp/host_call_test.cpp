// Host functions that throw: no C++ exception may unwind through the dispatch loop (its frame
// bookkeeping would be left behind, docs/runtime-abi.md), so the call traps and the interpreter
// stays usable.
#include <gtest/gtest.h>

#include <new>
#include <stdexcept>

#include "binary/decoder.hpp"
#include "interp/interpreter.hpp"
#include "runtime/instance.hpp"
#include "support/wasm_builder.hpp"
#include "valid/validator.hpp"

namespace loom::interp {
namespace {

using namespace loom::test;

// Imports "host" "f" ([] -> []); exports "outer", which calls it from wasm.
std::shared_ptr<const Module> calling_module() {
  ModuleBuilder mb;
  mb.section(kTypeSection, vec({func_type({}, {})}));
  mb.section(kImportSection, vec({import_func("host", "f", 0)}));
  mb.section(kFunctionSection, vec_u32({0}));
  mb.section(kExportSection, vec({export_entry("outer", kExternFunc, 1)}));
  mb.section(kCodeSection, vec({body({}, Bytes{op::kCall, 0, op::kEnd})}));
  const std::vector<uint8_t> bytes = mb.bytes();
  auto module = decode_module(std::span<const uint8_t>(bytes));
  EXPECT_TRUE(module) << module.error().to_string();
  EXPECT_TRUE(validate_module(*module));
  return std::make_shared<const Module>(std::move(*module));
}

TEST(HostCall, ExceptionsFromHostFunctionsBecomeTraps) {
  Store store;
  Interpreter interpreter{Features()};
  store.set_executor(&interpreter);
  int mode = 0;  // 0: returns normally, 1: throws bad_alloc, 2: throws runtime_error, 3: throws int
  FunctionInst* host = store.create_host_function(
      FuncType{}, [&mode](std::span<const Value>, std::span<Value>) -> std::string {
        if (mode == 1) throw std::bad_alloc();
        if (mode == 2) throw std::runtime_error("boom");
        if (mode == 3) throw 42;
        return {};
      });
  auto instance =
      instantiate(store, calling_module(), std::vector<Extern>{{ExternKind::Func, host}});
  ASSERT_TRUE(instance) << instance.error().message;
  FunctionInst& outer = *(*instance)->find_export("outer")->func();
  const char* expected[] = {"", "out of memory in a host function", "host function threw: boom",
                            "host function threw an exception"};
  for (int round = 0; round < 2; ++round) {
    for (mode = 0; mode < 4; ++mode) {
      std::optional<Trap> trap = interpreter.call(outer, {}, {});
      if (mode == 0) {
        EXPECT_FALSE(trap) << trap->message;
        continue;
      }
      ASSERT_TRUE(trap);
      EXPECT_EQ(trap->kind, TrapKind::HostError);
      EXPECT_EQ(trap->message, expected[mode]);
      ASSERT_EQ(trap->backtrace.size(), 1u);  // outer's frame, and nothing left of earlier calls
    }
  }
}

}  // namespace
}  // namespace loom::interp
