#include "jit/code_map.hpp"

#include <signal.h>
#include <ucontext.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>

#include "runtime/trap.hpp"

namespace loom::jit {

const JitCode* CodeMap::find(const void* pc) const {
  const auto* p = static_cast<const uint8_t*>(pc);
  auto it = std::upper_bound(codes_.begin(), codes_.end(), p,
                             [](const uint8_t* v, const auto& c) { return v < c->begin; });
  if (it == codes_.begin()) return nullptr;
  const JitCode* code = std::prev(it)->get();
  return p < code->begin + code->size ? code : nullptr;
}

namespace {

std::optional<uint32_t> site_at(const std::vector<CodeSite>& sites, uint32_t pc) {
  auto it = std::lower_bound(sites.begin(), sites.end(), pc,
                             [](const CodeSite& s, uint32_t v) { return s.pc < v; });
  if (it == sites.end() || it->pc != pc) return std::nullopt;
  return it->wasm_offset;
}

}  // namespace

std::optional<uint32_t> CodeMap::call_site(const void* pc) const {
  const JitCode* code = find(pc);
  if (!code) return std::nullopt;
  return site_at(code->call_sites,
                 static_cast<uint32_t>(static_cast<const uint8_t*>(pc) - code->begin));
}

std::optional<uint32_t> CodeMap::fault_site(const void* pc) const {
  const JitCode* code = find(pc);
  if (!code) return std::nullopt;
  return site_at(code->fault_sites,
                 static_cast<uint32_t>(static_cast<const uint8_t*>(pc) - code->begin));
}

namespace {

// A fixed table, so the handler never sees a container being reallocated: an entry is live
// while `map` is non-null (published last, cleared first).
struct Range {
  std::atomic<const uint8_t*> begin{nullptr};
  std::atomic<const uint8_t*> end{nullptr};
  std::atomic<const void*> trap_entry{nullptr};
  std::atomic<const CodeMap*> map{nullptr};
};
constexpr size_t kMaxRanges = 1024;
Range g_ranges[kMaxRanges];
std::mutex g_ranges_mutex;  // writers only

struct sigaction g_previous_segv;
struct sigaction g_previous_bus;

void chain(int sig, siginfo_t* info, void* context) {
  const struct sigaction& prev = sig == SIGSEGV ? g_previous_segv : g_previous_bus;
  if (prev.sa_flags & SA_SIGINFO) {
    if (prev.sa_sigaction) {
      prev.sa_sigaction(sig, info, context);
      return;
    }
  } else if (prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN) {
    prev.sa_handler(sig);
    return;
  }
  // Default action: uninstall ourselves for this signal and return; the faulting instruction
  // runs again and the process dies as it would have without us.
  signal(sig, SIG_DFL);
}

void on_fault(int sig, siginfo_t* info, void* context) {
  auto* uc = static_cast<ucontext_t*>(context);
  const auto* pc = reinterpret_cast<const uint8_t*>(uc->uc_mcontext.gregs[REG_RIP]);
  for (Range& r : g_ranges) {
    const CodeMap* map = r.map.load(std::memory_order_acquire);
    if (!map || pc < r.begin.load() || pc >= r.end.load()) continue;
    if (auto offset = map->fault_site(pc)) {
      uc->uc_mcontext.gregs[REG_RDI] = static_cast<greg_t>(TrapKind::OutOfBoundsMemoryAccess);
      uc->uc_mcontext.gregs[REG_RSI] = static_cast<greg_t>(*offset);
      uc->uc_mcontext.gregs[REG_RIP] = reinterpret_cast<greg_t>(r.trap_entry.load());
      return;
    }
    break;  // JIT code, but not a guarded access: a real crash
  }
  chain(sig, info, context);
}

}  // namespace

bool register_code_range(const void* begin, const void* end, const CodeMap* map,
                         const void* memory_trap_entry) {
  std::lock_guard lock(g_ranges_mutex);
  for (Range& r : g_ranges) {
    if (r.map.load() != nullptr) continue;
    r.begin.store(static_cast<const uint8_t*>(begin));
    r.end.store(static_cast<const uint8_t*>(end));
    r.trap_entry.store(memory_trap_entry);
    r.map.store(map, std::memory_order_release);
    return true;
  }
  return false;
}

void unregister_code_range(const CodeMap* map) {
  std::lock_guard lock(g_ranges_mutex);
  for (Range& r : g_ranges) {
    if (r.map.load() == map) r.map.store(nullptr, std::memory_order_release);
  }
}

void install_fault_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &g_previous_segv);
    sigaction(SIGBUS, &sa, &g_previous_bus);
  });
}

}  // namespace loom::jit
