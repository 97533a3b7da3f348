// The code map (docs/runtime-abi.md "Traps"): for every compiled function, where its code is,
// the wasm byte offset of each call site (by return address) and of each memory access that may
// fault on the guard region. Backtraces read the call sites; the SIGSEGV/SIGBUS handler reads the
// fault sites to turn a guard-page fault into the trap "out of bounds memory access".
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "runtime/store.hpp"

namespace loom::jit {

struct CodeSite {
  uint32_t pc;           // code offset from the function's start (a call site's return address)
  uint32_t wasm_offset;  // module byte offset of the instruction
};

struct JitCode {
  FunctionInst* func = nullptr;
  const uint8_t* begin = nullptr;
  uint32_t size = 0;
  std::vector<CodeSite> call_sites;   // sorted by pc
  std::vector<CodeSite> fault_sites;  // sorted by pc
};

// The functions of one executor, in address order (code memory hands out increasing addresses).
class CodeMap {
 public:
  void add(std::unique_ptr<JitCode> code) { codes_.push_back(std::move(code)); }
  const JitCode* find(const void* pc) const;
  // The wasm offset of the call whose return address is `pc`, or of the access at `pc`.
  std::optional<uint32_t> call_site(const void* pc) const;
  std::optional<uint32_t> fault_site(const void* pc) const;

 private:
  std::vector<std::unique_ptr<JitCode>> codes_;
};

// The process-wide list the signal handler searches: code ranges with their map and the stub
// that raises a memory trap (entered with edi = TrapKind, esi = wasm offset). Registered before
// any code of the range runs, removed after none can run any more.
bool register_code_range(const void* begin, const void* end, const CodeMap* map,
                         const void* memory_trap_entry);
void unregister_code_range(const CodeMap* map);
// Installs the SIGSEGV/SIGBUS handler once; faults outside registered code go to the handler
// that was installed before (or the default action).
void install_fault_handler();

}  // namespace loom::jit
