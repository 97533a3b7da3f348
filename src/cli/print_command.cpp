// `loom print FILE.wasm [--folded]`: decode a binary module and print it in the text format,
// streamed to stdout or the output file (the text is never held in memory whole).
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
  const bool to_stdout = options.output.empty() || options.output == "-";
  std::unique_ptr<FILE, int (*)(FILE*)> file(
      to_stdout ? nullptr : std::fopen(options.output.c_str(), "wb"), &std::fclose);
  if (!to_stdout && !file) {
    std::fprintf(stderr, "%s: cannot write output\n", options.output.c_str());
    return 1;
  }
  FILE* out = to_stdout ? stdout : file.get();
  Status printed = print_module(*module, out, print);
  if (printed && std::fflush(out) != 0) {
    printed = Error{"cannot write output"};
    printed.error().kind = ErrorKind::Io;
  }
  if (!printed) {
    if (printed.error().kind == ErrorKind::Io) {
      std::fprintf(stderr, "%s: cannot write output\n", to_stdout ? "-" : options.output.c_str());
    } else {
      std::fprintf(stderr, "%s: %s\n", options.input.c_str(), printed.error().to_string().c_str());
    }
    if (!to_stdout) {
      file.reset();
      std::remove(options.output.c_str());  // no partial or empty output file
    }
    return 1;
  }
  if (file && std::fclose(file.release()) != 0) {
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
