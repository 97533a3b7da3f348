#include "jit/tier.hpp"

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
  // Until src/jit compiles code, the JIT tier is the interpreter.
  return false;
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
  return std::make_unique<interp::Interpreter>(features, options.limits);
}

}  // namespace loom::jit
