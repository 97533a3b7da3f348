// Registration functions of the CLI subcommands; each sets the process exit code through
// set_exit_code when its callback runs.
#pragma once
#include <CLI/CLI.hpp>

#include <loom/result.hpp>
#include <loom/runtime.hpp>
#include <optional>
#include <string>

namespace loom::cli {

void add_validate_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_wast_command(CLI::App& app);
void add_wat2wasm_command(CLI::App& app);
void add_print_command(CLI::App& app);

// Whether a command executes modules (run, wast) or only decodes, validates and converts them.
enum class FeatureUse { Translate, Execute };

// --enable-<feature> / --disable-<feature> flags for every optional feature (loom::all_features),
// recorded in order in config.features. For Execute, enabling a feature the interpreter does not
// run is an error that names it, and --enable-all enables only the interpreted ones; for
// Translate, the config is one of an engine that does not execute (EngineConfig::execute).
void add_feature_flags(CLI::App& command, EngineConfig& config,
                       FeatureUse use = FeatureUse::Translate);
// The engine of `config`, or nullopt after printing why it cannot be made ("loom: ...").
std::optional<Engine> make_engine(const EngineConfig& config);

// --tier interp|jit and --jit-fallbacks, for the commands that execute modules.
struct TierOptions {
  std::string tier;  // empty: $LOOM_TIER if set, else loom::default_tier()
  bool report_fallbacks = false;
};
void add_tier_options(CLI::App& command, TierOptions& options);
// The tier to run on: --tier, else $LOOM_TIER (so a whole test suite switches tiers with one
// variable), else the machine's default. An unknown $LOOM_TIER is an error.
Result<Tier> resolve_tier(const TierOptions& options);

// CLI11 cannot stop parsing at `loom run`'s FILE, so main() calls this first: it keeps the
// arguments after FILE (or after `--` FILE) for the guest and returns the argc left to parse.
int split_run_arguments(int argc, char** argv);

void set_exit_code(int code);
int exit_code();

}  // namespace loom::cli
