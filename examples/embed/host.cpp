// A C++ host: a typed host function that reads the guest's memory through its Caller, and a
// typed call into the guest. Build: see CMakeLists.txt (find_package(Loom)) or
//   c++ -std=c++20 host.cpp $(pkg-config --cflags --libs loom)
#include <cstdio>
#include <string>

#include <loom/loom.hpp>

constexpr std::string_view kGuest = R"((module
  (import "host" "log" (func $log (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello from wasm")
  (func (export "run") (param $n i32) (result i32)
    (call $log (i32.const 16) (i32.const 15))
    (i32.mul (local.get $n) (local.get $n)))))";

int main() {
  loom::Engine engine;
  auto module = loom::Module::compile_wat(engine, kGuest);
  if (!module) return std::fprintf(stderr, "compile: %s\n", module.error().message().c_str()), 1;

  loom::Linker linker(engine);
  // (i32, i32) -> () from the C++ types; Caller reaches the calling instance's memory.
  auto defined = linker.func_wrap(
      "host", "log", [](loom::Caller& caller, int32_t ptr, int32_t len) -> loom::Status {
        std::string text(static_cast<size_t>(len), '\0');
        auto read = caller.memory()->read(static_cast<uint32_t>(ptr),
                                          {reinterpret_cast<uint8_t*>(text.data()), text.size()});
        if (!read) return read.error();  // traps the guest
        std::printf("guest says: %s\n", text.c_str());
        return loom::Ok{};
      });
  if (!defined) return 1;

  loom::Store store(engine);
  auto instance = linker.instantiate(store, *module);
  if (!instance) return std::fprintf(stderr, "%s\n", instance.error().message().c_str()), 1;
  auto run = instance->get_func("run")->typed<int32_t(int32_t)>();
  auto result = run->call(12);
  if (!result) return std::fprintf(stderr, "trap: %s\n", result.error().message().c_str()), 1;
  std::printf("run(12) = %d\n", *result);
  return *result == 144 ? 0 : 1;
}
