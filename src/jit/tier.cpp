#include "jit/tier.hpp"

#include <xbyak/xbyak_util.h>

#include "jit/jit_executor.hpp"

namespace loom::jit {

std::optional<Tier> parse_tier(std::string_view name) {
  if (name == "interp") return Tier::Interp;
  if (name == "jit") return Tier::Jit;
  return std::nullopt;
}

std::string_view tier_name(Tier tier) {
  return tier == Tier::Jit ? "jit" : "interp";
}

bool jit_available() {
#if defined(__x86_64__) && defined(__linux__)
  static const bool available = Xbyak::util::Cpu().has(Xbyak::util::Cpu::tSSE41);
  return available;
#else
  return false;
#endif
}

Tier default_tier() {
  return jit_available() ? Tier::Jit : Tier::Interp;
}

std::unique_ptr<Executor> make_executor(Tier tier, const Features& features,
                                        const ExecutorOptions& options) {
  if (tier == Tier::Jit && !jit_available() && options.report_fallbacks) {
    std::fputs(
        "loom: the JIT tier is not available on this machine: every function runs in the "
        "interpreter\n",
        options.report_fallbacks);
  }
  if (tier == Tier::Jit && jit_available()) {
    auto jit = std::make_unique<JitExecutor>(features, options);
    if (jit->ok()) return jit;
  }
  return std::make_unique<interp::Interpreter>(features, options.limits);
}

}  // namespace loom::jit
