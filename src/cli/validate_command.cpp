// `loom validate FILE.wasm...`: decode and validate each file; one line per invalid file.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "binary/decoder.hpp"
#include "cli/commands.hpp"
#include "cli/file_util.hpp"
#include "valid/validator.hpp"

namespace loom::cli {
namespace {

struct ValidateOptions {
  std::vector<std::string> files;
  Features features;
};

int run_validate(const ValidateOptions& options) {
  int failures = 0;
  for (const std::string& path : options.files) {
    auto bytes = read_file(path);
    if (!bytes) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), bytes.error().message.c_str());
      ++failures;
      continue;
    }
    auto module = decode_module(std::move(*bytes), options.features);
    Status status = module ? validate_module(*module, options.features) : Status(module.error());
    if (!status) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), status.error().to_string().c_str());
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
  add_feature_flags(*command, options->features);
  command->callback([options] { set_exit_code(run_validate(*options)); });
}

}  // namespace loom::cli
