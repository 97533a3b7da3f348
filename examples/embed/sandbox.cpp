// Running untrusted code: a fuel budget bounds how long it runs, a store limit how much memory
// it may take; either failure is an error value, the host carries on.
//   sandbox [FUEL]
#include <cstdio>
#include <cstdlib>

#include <loom/loom.hpp>

constexpr std::string_view kUntrusted = R"((module
  (memory (export "memory") 1)
  (func (export "hog") (result i32) (memory.grow (i32.const 100)))
  (func (export "spin") (result i32) (local $i i32)
    (loop $again
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.ne (local.get $i) (i32.const 1000000))))
    (local.get $i))))";

int main(int argc, char** argv) {
  const uint64_t fuel = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000;
  loom::Engine engine;
  auto module = loom::Module::compile_wat(engine, kUntrusted);
  if (!module) return 1;

  loom::Store store(engine);
  loom::StoreLimits limits;
  limits.max_memory_bytes = 16 * 65536;  // 1 MiB of linear memory in all
  limits.max_instances = 1;
  store.set_limits(limits);
  if (!store.set_fuel(fuel)) return 1;

  auto instance = loom::Instance::create(store, *module, {});
  if (!instance) return std::fprintf(stderr, "%s\n", instance.error().message().c_str()), 1;

  // memory.grow past the limit fails inside wasm (-1) instead of taking host memory.
  auto hog = instance->get_func("hog")->typed<int32_t()>();
  std::printf("hog: memory.grow(100) = %d\n", *hog->call());

  auto spin = instance->get_func("spin")->typed<int32_t()>();
  auto result = spin->call();
  if (!result) {
    const loom::Trap* trap = result.error().trap();
    std::printf("spin: stopped: %s\n", result.error().message().c_str());
    return trap && trap->kind() == loom::TrapKind::OutOfFuel ? 0 : 1;
  }
  std::printf("spin: finished with %d, fuel left %llu\n", *result,
              static_cast<unsigned long long>(*store.fuel()));
  return 0;
}
