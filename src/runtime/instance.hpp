// A module instance: the module plus the runtime objects its index spaces resolve to.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "ir/module.hpp"
#include "runtime/store.hpp"
#include "runtime/trap.hpp"

namespace loom {

class Instance {
 public:
  explicit Instance(std::shared_ptr<const Module> module) : module_(std::move(module)) {}

  const Module& module() const { return *module_; }
  std::optional<Extern> find_export(std::string_view name) const;

  // Index spaces (imports first).
  std::vector<FunctionInst*> funcs;
  std::vector<TableInst*> tables;
  std::vector<MemoryInst*> memories;
  std::vector<GlobalInst*> globals;
  std::vector<TagInst*> tags;
  std::vector<uint32_t> type_ids;  // canonical id of each of the module's types
  // Element segments as references (empty once dropped); data segments (empty once dropped).
  std::vector<std::vector<Ref>> elems;
  std::vector<std::span<const uint8_t>> datas;

 private:
  std::shared_ptr<const Module> module_;
};

// Instantiates `module` (already validated) with `imports` in import order, per the spec:
// import matching (ErrorKind::Link), allocation, segment initialisation in order (a trap there is
// ErrorKind::Trap and leaves earlier writes in place), then the start function.
Result<Instance*> instantiate(Store& store, std::shared_ptr<const Module> module,
                              std::span<const Extern> imports);

// The same in two steps, for an embedder whose host functions need the instance before its start
// function runs (WASI binds the exported memory): everything but the start function, then
// run_start, which returns the start function's trap (nullopt when it returns or there is none).
Result<Instance*> instantiate_without_start(Store& store, std::shared_ptr<const Module> module,
                                            std::span<const Extern> imports);
std::optional<Trap> run_start(Store& store, const Instance& instance);

// Import matching rules, exposed for the linker and tests. Returns an empty string on match,
// else why it does not match ("incompatible import type", ...). `type_ids` are the importing
// module's canonical type ids (Store::intern_module_types); without them function types are
// compared structurally, which is right for types without concrete references.
std::string match_import(const Import& import, const Module& module, const Store& store,
                         const Extern& provided, std::span<const uint32_t> type_ids = {});

}  // namespace loom
