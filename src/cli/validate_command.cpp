// `loom validate FILE.wasm...`: decode and validate each file; one line per invalid file.
#include <loom/text.hpp>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"

namespace loom::cli {
namespace {

struct ValidateOptions {
  std::vector<std::string> files;
  EngineConfig engine;
};

int run_validate(const ValidateOptions& options) {
  const std::optional<Engine> engine = make_engine(options.engine);
  if (!engine) return 1;
  int failures = 0;
  for (const std::string& path : options.files) {
    auto bytes = read_input(path);
    Status status = bytes ? Module::validate(*engine, *bytes) : Status(bytes.error());
    if (!status) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), status.error().message().c_str());
      ++failures;
    }
  }
  return failures ? 1 : 0;
}

}  // namespace

void add_validate_command(CLI::App& app) {
  auto options = std::make_shared<ValidateOptions>();
  CLI::App* command = app.add_subcommand("validate", "Decode and validate WebAssembly binaries");
  command->add_option("files", options->files, "Binary modules (.wasm)")->required();
  add_feature_flags(*command, options->engine);
  command->callback([options] { set_exit_code(run_validate(*options)); });
}

}  // namespace loom::cli
