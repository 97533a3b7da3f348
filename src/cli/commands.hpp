// Registration functions of the CLI subcommands; each sets the process exit code through
// set_exit_code when its callback runs.
#pragma once
#include <CLI/CLI.hpp>

#include <string>

#include "ir/features.hpp"
#include "jit/tier.hpp"
#include "util/result.hpp"

namespace loom::cli {

void add_validate_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_wast_command(CLI::App& app);
void add_wat2wasm_command(CLI::App& app);
void add_print_command(CLI::App& app);

// Whether a command executes modules (run, wast) or only decodes, validates and converts them.
enum class FeatureUse { Translate, Execute };

// --enable-<feature> / --disable-<feature> flags for every entry of features.def. For Execute,
// enabling a feature the interpreter does not run is an error that names it, and --enable-all
// enables only the interpreted ones (features.def).
void add_feature_flags(CLI::App& command, Features& features,
                       FeatureUse use = FeatureUse::Translate);

// --tier interp|jit and --jit-fallbacks, for the commands that execute modules.
struct TierOptions {
  std::string tier;  // empty: $LOOM_TIER if set, else jit::default_tier()
  bool report_fallbacks = false;
};
void add_tier_options(CLI::App& command, TierOptions& options);
// The tier to run on: --tier, else $LOOM_TIER (so a whole test suite switches tiers with one
// variable), else the machine's default. An unknown $LOOM_TIER is an error.
Result<jit::Tier> resolve_tier(const TierOptions& options);

// CLI11 cannot stop parsing at `loom run`'s FILE, so main() calls this first: it keeps the
// arguments after FILE (or after `--` FILE) for the guest and returns the argc left to parse.
int split_run_arguments(int argc, char** argv);

void set_exit_code(int code);
int exit_code();

}  // namespace loom::cli
