#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "commands.hpp"

namespace loom::cli {
namespace {
int g_exit_code = 0;

std::string tier_name(Tier tier) {
  return tier == Tier::Jit ? "jit" : "interp";
}
}  // namespace

void set_exit_code(int code) {
  g_exit_code = code;
}
int exit_code() {
  return g_exit_code;
}

void add_feature_flags(CLI::App& command, EngineConfig& config, FeatureUse use) {
  const bool execute = use == FeatureUse::Execute;
  config.execute = execute;
  const std::vector<FeatureInfo> features = all_features();
  for (const FeatureInfo& feature : features) {
    const std::string flag = feature.name;
    const std::string enable = "--enable-" + flag;
    const bool refused = execute && !feature.interpreted;
    command
        .add_flag_callback(
            enable,
            [&config, refused, enable, flag] {
              // Refused up front: a module using it would validate, then fail as it runs.
              if (refused) {
                throw CLI::ValidationError(enable,
                                           flag + " is not supported by the interpreter yet");
              }
              config.enable(flag, true);
            },
            "Enable the " + flag + " proposal" +
                (refused ? std::string(" (not supported by the interpreter yet)") : ""))
        ->group("Features");
    command
        .add_flag_callback(
            "--disable-" + flag, [&config, flag] { config.enable(flag, false); },
            "Disable the " + flag + " proposal")
        ->group("Features");
  }
  command
      .add_flag_callback(
          "--enable-all",
          [&config, execute, features] {
            for (const FeatureInfo& feature : features) {
              config.enable(feature.name, !execute || feature.interpreted);
            }
          },
          execute ? "Enable every proposal the interpreter supports" : "Enable every proposal")
      ->group("Features");
}

std::optional<Engine> make_engine(const EngineConfig& config) {
  Result<Engine> engine = Engine::create(config);
  if (!engine) {
    std::fprintf(stderr, "loom: %s\n", engine.error().message().c_str());
    return std::nullopt;
  }
  return std::move(*engine);
}

void add_tier_options(CLI::App& command, TierOptions& options) {
  const char* group = "Execution";
  command
      .add_option("--tier", options.tier,
                  "Execution tier: jit (compile to native code; the default where the machine "
                  "runs it) or interp. Default: $LOOM_TIER, else " +
                      tier_name(default_tier()))
      ->check(CLI::IsMember({"interp", "jit"}))
      ->group(group);
  command
      .add_flag("--jit-fallbacks", options.report_fallbacks,
                "Report on stderr each function the JIT leaves to the interpreter, and why")
      ->group(group);
}

Result<Tier> resolve_tier(const TierOptions& options) {
  std::string name = options.tier;  // checked by --tier
  if (name.empty()) {
    const char* env = std::getenv("LOOM_TIER");
    if (!env || !*env) return default_tier();
    name = env;
    if (name != "interp" && name != "jit") {
      return Error(ErrorKind::Usage,
                   "LOOM_TIER=" + name + " is not a tier (expected interp or jit)");
    }
  }
  // jit where this machine cannot run it means the interpreter, as the JIT would fall back.
  if (name == "jit" && default_tier() == Tier::Jit) return Tier::Jit;
  return Tier::Interp;
}

}  // namespace loom::cli
