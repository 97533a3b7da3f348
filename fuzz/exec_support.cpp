#include "exec_support.hpp"

#include <string>

#include "binary/decoder.hpp"
#include "valid/validator.hpp"

namespace loom::fuzz {
namespace {

std::string zero_results(std::span<const Value>, std::span<Value> results) {
  for (Value& result : results) result = default_value();
  return {};
}

}  // namespace

Result<std::vector<Extern>> stub_imports(Store& store, const Module& module,
                                         const HostProvider& provider) {
  std::vector<Extern> externs;
  externs.reserve(module.imports.size());
  for (const Import& import : module.imports) {
    switch (import.kind) {
      case ExternKind::Func: {
        const FuncType& type = module.types[import.func_type];
        HostCallback callback = provider ? provider(import, type) : HostCallback();
        if (!callback) callback = zero_results;
        externs.push_back({ExternKind::Func, store.create_host_function(type, callback)});
        break;
      }
      case ExternKind::Table: {
        auto table = store.create_table(import.table, nullptr);
        if (!table) return table.error();
        externs.push_back({ExternKind::Table, *table});
        break;
      }
      case ExternKind::Memory: {
        auto memory = store.create_memory(import.memory);
        if (!memory) return memory.error();
        externs.push_back({ExternKind::Memory, *memory});
        break;
      }
      case ExternKind::Global:
        externs.push_back(
            {ExternKind::Global, store.create_global(import.global, default_value())});
        break;
      case ExternKind::Tag:
        return Error{"cannot stub a tag import"};
    }
  }
  return externs;
}

std::shared_ptr<const Module> decode_valid(std::span<const uint8_t> bytes,
                                           const Features& features) {
  Result<Module> decoded = decode_module(bytes, features);
  if (!decoded || !validate_module(*decoded, features)) return nullptr;
  return std::make_shared<const Module>(std::move(*decoded));
}

Sandbox::Sandbox(jit::Tier tier, const Features& features) {
  StoreLimits limits;
  limits.max_memory_bytes = kMaxMemoryBytes;
  limits.max_table_elements = kMaxTableElements;
  limits.max_instances = 4;
  limits.max_memories = 8;
  limits.max_tables = 16;
  store.set_limits(limits);
  interp::InterpreterLimits executor_limits;
  executor_limits.stack_bytes = size_t{4} << 20;
  executor_limits.max_call_depth = 2'000;
  executor_limits.consume_fuel = true;
  executor = jit::make_executor(tier, features, {.limits = executor_limits});
  store.set_executor(executor.get());
  store.set_fuel(kFuelPerCall);
}

}  // namespace loom::fuzz
