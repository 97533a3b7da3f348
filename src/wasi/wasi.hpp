// WASI preview 1 (`wasi_snapshot_preview1`): the public header of the stage.
//
// A WasiContext holds one guest's view of the system: arguments, environment, and a descriptor
// table whose directories are the preopens. Every path the guest names is resolved by Loom
// beneath one of those directories (sandbox.hpp), so nothing outside them is reachable.
//
// Use: create a context, let it provide the module's imports, instantiate without the start
// function (instantiate_without_start), bind the instance's exported memory, then run the start
// function (run_start) and call `_start`, so that WASI calls from the start function work too.
// When the guest calls proc_exit, the call unwinds as a trap and exit_code() says with which code.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ir/module.hpp"
#include "runtime/store.hpp"
#include "util/result.hpp"
#include "wasi/fd_table.hpp"

namespace loom::wasi {

inline constexpr std::string_view kModuleName = "wasi_snapshot_preview1";

struct Preopen {
  std::string host_path;   // a host directory
  std::string guest_path;  // the name the guest sees (fd_prestat_dir_name)
  bool read_only = false;  // no right that modifies the file system is ever granted beneath it
};

struct WasiConfig {
  std::vector<std::string> args;  // argv, argv[0] included
  std::vector<std::string> env;   // "KEY=VALUE"
  std::vector<Preopen> preopens;  // become fds 3, 4, ... in this order
  // Sockets handed to the guest after the preopens (listening or connected); the context owns
  // and closes them. WASI preview 1 has no call that opens a socket.
  std::vector<int> sockets;
  // Host descriptors, borrowed. Their open file descriptions are shared with other processes, so
  // Loom never changes their status flags (the guest's live in its table, see shared_io.hpp).
  int stdin_fd = 0, stdout_fd = 1, stderr_fd = 2;
};

class GuestMemory;

class WasiContext {
 public:
  // Opens the preopened directories; an Io error names one that cannot be opened.
  static Result<std::unique_ptr<WasiContext>> create(WasiConfig config);

  // Host functions for `module`'s imports, in import order. Each import must be a function of
  // wasi_snapshot_preview1 with its exact type; anything else is a Link error naming it.
  Result<std::vector<Extern>> resolve_imports(Store& store, const Module& module);
  // The host function for one WASI function, or nullptr when `field` is not one.
  FunctionInst* function(Store& store, std::string_view field);

  // The memory the guest's pointers refer to (the instance's export "memory").
  void bind_memory(const MemoryInst* memory) { memory_ = memory; }

  // Set once the guest called proc_exit.
  std::optional<uint32_t> exit_code() const { return exit_code_; }

  // State the WASI functions work on.
  const WasiConfig& config() const { return config_; }
  FdTable& fds() { return fds_; }
  GuestMemory memory() const;
  void set_exit_code(uint32_t code) { exit_code_ = code; }

 private:
  struct CreateTag {};  // only create() constructs, yet std::make_unique works

 public:
  WasiContext(CreateTag, WasiConfig config) : config_(std::move(config)) {}
  WasiContext(const WasiContext&) = delete;
  WasiContext& operator=(const WasiContext&) = delete;

 private:
  WasiConfig config_;
  FdTable fds_;
  const MemoryInst* memory_ = nullptr;
  std::optional<uint32_t> exit_code_;
  std::vector<std::pair<std::string_view, FunctionInst*>> functions_;  // made on first import
  Store* store_ = nullptr;  // the store functions_ live in
};

}  // namespace loom::wasi
