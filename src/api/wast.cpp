// WAST scripts through the public API: run_wast_file and run_wast on the spec-test runner.
#include "loom/wast.hpp"

#include "api/state.hpp"
#include "wast/runner.hpp"

namespace loom::api {
namespace {

Result<wast::RunOptions> runner_options(const WastOptions& options) {
  Result<Engine> engine = Engine::create(options.engine);
  if (!engine) return engine.error();
  wast::RunOptions run;
  run.features = engine->state().features;
  run.tier = engine->state().tier;
  run.verbose = options.verbose;
  run.report_fallbacks = options.engine.jit_fallback_report;
  return run;
}

}  // namespace

Result<WastSummary> run_wast_file(const std::string& path, const WastOptions& options) {
  auto run = runner_options(options);
  if (!run) return run.error();
  const wast::RunSummary s =
      wast::run_wast_file(path, *run, options.output ? options.output : stdout);
  return WastSummary{s.passed, s.failed};
}

Result<WastSummary> run_wast(std::string_view source, const std::string& name,
                             const WastOptions& options) {
  auto run = runner_options(options);
  if (!run) return run.error();
  const wast::RunSummary s =
      wast::run_wast_source(source, name, *run, options.output ? options.output : stdout);
  return WastSummary{s.passed, s.failed};
}

}  // namespace loom::api
