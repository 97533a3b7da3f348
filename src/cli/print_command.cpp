// `loom print FILE.wasm [--folded]`: decode a binary module and print it in the text format,
// streamed to stdout or the output file (the text is never held in memory whole).
#include <loom/text.hpp>

#include <cstdio>
#include <memory>
#include <string>

#include "commands.hpp"

namespace loom::cli {
namespace {

struct PrintCommandOptions {
  std::string input;
  std::string output;  // default: stdout
  bool folded = false;
  EngineConfig engine;
};

int run_print(const PrintCommandOptions& options) {
  const std::optional<Engine> engine = make_engine(options.engine);
  if (!engine) return 1;
  auto bytes = read_input(options.input);
  if (!bytes) {
    std::fprintf(stderr, "%s: %s\n", options.input.c_str(), bytes.error().message().c_str());
    return 1;
  }
  PrintOptions print;
  print.folded = options.folded;
  const bool to_stdout = options.output.empty() || options.output == "-";
  Status printed = to_stdout ? print_wasm(*engine, *bytes, stdout, print)
                             : print_wasm_file(*engine, *bytes, options.output, print);
  if (!printed) {
    if (printed.error().kind() == ErrorKind::Io) {
      std::fprintf(stderr, "%s: cannot write output\n", to_stdout ? "-" : options.output.c_str());
    } else {
      std::fprintf(stderr, "%s: %s\n", options.input.c_str(), printed.error().message().c_str());
    }
    return 1;
  }
  return 0;
}

}  // namespace

void add_print_command(CLI::App& app) {
  auto options = std::make_shared<PrintCommandOptions>();
  CLI::App* command = app.add_subcommand("print", "Print a binary module in the text format");
  command->add_option("file", options->input, "Binary module (.wasm)")->required();
  command->add_option("-o,--output", options->output, "Output file (default: stdout)");
  command->add_flag("-f,--folded", options->folded, "Print blocks in folded form");
  add_feature_flags(*command, options->engine);
  command->callback([options] { set_exit_code(run_print(*options)); });
}

}  // namespace loom::cli
