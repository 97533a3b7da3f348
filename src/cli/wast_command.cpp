// `loom wast FILE.wast...`: run spec-testsuite scripts; exit 1 on any failure.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "wast/runner.hpp"

namespace loom::cli {
namespace {

struct WastOptions {
  std::vector<std::string> files;
  wast::RunOptions run;
};

int run_scripts(const WastOptions& options) {
  wast::RunSummary total;
  for (const std::string& file : options.files) {
    const wast::RunSummary s = wast::run_wast_file(file, options.run, stdout);
    total.passed += s.passed;
    total.failed += s.failed;
  }
  std::printf("%zu passed, %zu failed\n", total.passed, total.failed);
  return total.failed ? 1 : 0;
}

}  // namespace

void add_wast_command(CLI::App& app) {
  auto options = std::make_shared<WastOptions>();
  CLI::App* command = app.add_subcommand("wast", "Run WAST scripts (spec testsuite format)");
  command->add_option("files", options->files, "Scripts (.wast)")->required();
  command->add_flag("-v,--verbose", options->run.verbose, "Print every failure");
  add_feature_flags(*command, options->run.features, FeatureUse::Execute);
  command->callback([options] { set_exit_code(run_scripts(*options)); });
}

}  // namespace loom::cli
