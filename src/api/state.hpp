// What the public API's handles point to, and the conversions between public and runtime types.
// Only src/api includes this (with LOOM_BUILDING_LIBRARY, so the public names stay in loom::api).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "jit/tier.hpp"
#include "loom/linker.hpp"
#include "runtime/epoch_timer.hpp"
#include "runtime/instance.hpp"
#include "runtime/store.hpp"
#include "wasi/wasi.hpp"

namespace loom::api::detail {

struct EngineState {
  EngineConfig config;
  Features features;
  jit::Tier tier = jit::Tier::Interp;
};

struct ModuleState {
  std::shared_ptr<const loom::Module> module;
  std::shared_ptr<const EngineState> engine;
};

struct StoreState {
  explicit StoreState(const Engine& e) : engine(e) {}
  Engine engine;
  loom::Store store;
  StoreLimits limits;
  // Created on first use, so fuel / timeout set before then compile their checks in.
  std::unique_ptr<loom::Executor> executor;
  bool fuel_checks = false, epoch_checks = false;
  std::optional<EpochTimer> timer;  // after `store`: it bumps the store's epoch
  std::vector<std::unique_ptr<wasi::WasiContext>> wasi;
  std::unordered_map<const loom::Instance*, wasi::WasiContext*> wasi_of;
  // The importing instance of a Linker's host functions, filled in once it exists.
  std::vector<std::unique_ptr<Instance>> caller_cells;

  loom::Executor& exec();
  Trap convert(const loom::Trap& trap) const;
  loom::FunctionInst* make_host(const FuncType& type, RawHostFunc host, const Instance* caller);
  // Instantiation shared by Instance::create and Linker: everything, then `bind` (caller cells,
  // WASI memory), then the start function.
  Result<Instance> instantiate(const Module& module, std::span<const loom::Extern> imports,
                               const std::function<void(const Instance&)>& bind);
};

struct LinkerState;

// Type conversions.
loom::ValType to_internal(ValKind kind);
ValKind to_public(const loom::ValType& type);
loom::FuncType to_internal(const FuncType& type);
FuncType to_public(const loom::FuncType& type);
loom::Limits to_internal(const Limits& limits, bool is64);
Limits to_public(const loom::Limits& limits);
MemoryType to_public(const loom::MemoryType& type);
TableType to_public(const loom::TableType& type);
GlobalType to_public(const loom::GlobalType& type);
Error to_public(const loom::Error& error);
// A value as the runtime stores it (a funcref's function object, an externref's pointer).
inline loom::Value to_value(const Val& v) {
  loom::Value out = loom::default_value();
  static_assert(sizeof(loom::Value) == sizeof(RawVal) && alignof(loom::Value) == alignof(RawVal));
  std::memcpy(&out, &v.raw(), sizeof out);
  return out;
}
inline Val to_val(ValKind kind, const loom::Value& value, StoreState* store) {
  RawVal raw;
  std::memcpy(&raw, &value, sizeof raw);
  return Val::from_raw(kind, raw, store);
}
// Extern conversions; from_internal needs the store the object lives in.
Extern from_internal(StoreState* store, const loom::Extern& ext);
inline loom::Extern to_internal(const Extern& ext) {
  return loom::Extern{static_cast<loom::ExternKind>(ext.kind()), ext.object()};
}

}  // namespace loom::api::detail
