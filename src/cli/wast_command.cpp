// `loom wast FILE.wast...`: run spec-testsuite scripts; exit 1 on any failure.
#include <loom/wast.hpp>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"

namespace loom::cli {
namespace {

struct WastCommandOptions {
  std::vector<std::string> files;
  WastOptions run;
  TierOptions tier;
};

int run_scripts(WastCommandOptions& options) {
  auto tier = resolve_tier(options.tier);
  if (!tier) {
    std::fprintf(stderr, "loom wast: %s\n", tier.error().message().c_str());
    return 1;
  }
  options.run.engine.tier = *tier;
  options.run.engine.jit_fallback_report = options.tier.report_fallbacks ? stderr : nullptr;
  options.run.output = stdout;
  WastSummary total;
  for (const std::string& file : options.files) {
    const Result<WastSummary> s = run_wast_file(file, options.run);
    if (!s) {
      std::fprintf(stderr, "loom wast: %s\n", s.error().message().c_str());
      return 1;
    }
    total.passed += s->passed;
    total.failed += s->failed;
  }
  std::printf("%zu passed, %zu failed\n", total.passed, total.failed);
  return total.failed ? 1 : 0;
}

}  // namespace

void add_wast_command(CLI::App& app) {
  auto options = std::make_shared<WastCommandOptions>();
  CLI::App* command = app.add_subcommand("wast", "Run WAST scripts (spec testsuite format)");
  command->add_option("files", options->files, "Scripts (.wast)")->required();
  command->add_flag("-v,--verbose", options->run.verbose, "Print every failure");
  add_feature_flags(*command, options->run.engine, FeatureUse::Execute);
  add_tier_options(*command, options->tier);
  command->callback([options] { set_exit_code(run_scripts(*options)); });
}

}  // namespace loom::cli
