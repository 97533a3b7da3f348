#include <cstdlib>
#include <memory>
#include <string>

#include "cli/commands.hpp"

namespace loom::cli {
namespace {
int g_exit_code = 0;
}

void set_exit_code(int code) {
  g_exit_code = code;
}
int exit_code() {
  return g_exit_code;
}

void add_feature_flags(CLI::App& command, Features& features, FeatureUse use) {
  const bool execute = use == FeatureUse::Execute;
  for (unsigned i = 1; i < static_cast<unsigned>(Feature::Count_); ++i) {
    const auto feature = static_cast<Feature>(i);
    const std::string flag(feature_flag(feature));
    const std::string enable = "--enable-" + flag;
    const bool refused = execute && !feature_interpreted(feature);
    command
        .add_flag_callback(
            enable,
            [&features, feature, refused, enable, flag] {
              // Refused up front: a module using it would validate, then fail as it runs.
              if (refused) {
                throw CLI::ValidationError(enable,
                                           flag + " is not supported by the interpreter yet");
              }
              features.set(feature, true);
            },
            "Enable the " + flag + " proposal" +
                (refused ? std::string(" (not supported by the interpreter yet)") : ""))
        ->group("Features");
    command
        .add_flag_callback(
            "--disable-" + flag, [&features, feature] { features.set(feature, false); },
            "Disable the " + flag + " proposal")
        ->group("Features");
  }
  command
      .add_flag_callback(
          "--enable-all",
          [&features, execute] { features = execute ? Features::interpreted() : Features::all(); },
          execute ? "Enable every proposal the interpreter supports" : "Enable every proposal")
      ->group("Features");
}

void add_tier_options(CLI::App& command, TierOptions& options) {
  const char* group = "Execution";
  command
      .add_option("--tier", options.tier,
                  "Execution tier: jit (compile to native code; the default where the machine "
                  "runs it) or interp. Default: $LOOM_TIER, else " +
                      std::string(jit::tier_name(jit::default_tier())))
      ->check(CLI::IsMember({"interp", "jit"}))
      ->group(group);
  command
      .add_flag("--jit-fallbacks", options.report_fallbacks,
                "Report on stderr each function the JIT leaves to the interpreter, and why")
      ->group(group);
}

Result<jit::Tier> resolve_tier(const TierOptions& options) {
  if (!options.tier.empty()) return *jit::parse_tier(options.tier);  // checked by --tier
  if (const char* env = std::getenv("LOOM_TIER"); env && *env) {
    if (auto tier = jit::parse_tier(env)) return *tier;
    Error error;
    error.message = "LOOM_TIER=" + std::string(env) + " is not a tier (expected interp or jit)";
    return error;
  }
  return jit::default_tier();
}

}  // namespace loom::cli
