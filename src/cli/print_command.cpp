// `loom print FILE.wasm [--folded]`: decode a binary module and print it in the text format.
#include <cstdio>
#include <memory>
#include <string>

#include "binary/decoder.hpp"
#include "cli/commands.hpp"
#include "cli/file_util.hpp"
#include "text/printer.hpp"

namespace loom::cli {
namespace {

struct PrintCommandOptions {
  std::string input;
  std::string output;  // default: stdout
  bool folded = false;
  Features features;
};

int run_print(const PrintCommandOptions& options) {
  auto bytes = read_file(options.input);
  if (!bytes) {
    std::fprintf(stderr, "%s: %s\n", options.input.c_str(), bytes.error().message.c_str());
    return 1;
  }
  auto module = decode_module(std::move(*bytes), options.features);
  if (!module) {
    std::fprintf(stderr, "%s: %s\n", options.input.c_str(), module.error().to_string().c_str());
    return 1;
  }
  PrintOptions print;
  print.folded = options.folded;
  print.features = options.features;
  auto text = print_module(*module, print);
  if (!text) {
    std::fprintf(stderr, "%s: %s\n", options.input.c_str(), text.error().to_string().c_str());
    return 1;
  }
  if (options.output.empty() || options.output == "-") {
    std::fwrite(text->data(), 1, text->size(), stdout);
    return 0;
  }
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(options.output.c_str(), "wb"),
                                             &std::fclose);
  if (!file || std::fwrite(text->data(), 1, text->size(), file.get()) != text->size()) {
    std::fprintf(stderr, "%s: cannot write output\n", options.output.c_str());
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
  add_feature_flags(*command, options->features);
  command->callback([options] { set_exit_code(run_print(*options)); });
}

}  // namespace loom::cli
