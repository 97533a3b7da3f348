// `loom wat2wasm FILE.wat [-o FILE.wasm]`: parse the text format, validate, write the binary.
#include <loom/text.hpp>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"

namespace loom::cli {
namespace {

struct Wat2WasmOptions {
  std::string input;
  std::string output;  // default: the input with a .wasm extension; "-" is stdout
  bool no_check = false;
  bool no_names = false;
  EngineConfig engine;
};

std::string default_output(const std::string& input) {
  const size_t dot = input.rfind('.');
  const size_t slash = input.rfind('/');
  const bool has_ext = dot != std::string::npos && (slash == std::string::npos || dot > slash);
  return (has_ext ? input.substr(0, dot) : input) + ".wasm";
}

bool write_output(const std::string& path, const std::vector<uint8_t>& bytes) {
  if (path == "-") return std::fwrite(bytes.data(), 1, bytes.size(), stdout) == bytes.size();
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (!file) return false;
  return std::fwrite(bytes.data(), 1, bytes.size(), file.get()) == bytes.size();
}

int run_wat2wasm(const Wat2WasmOptions& options) {
  const std::optional<Engine> engine = make_engine(options.engine);
  if (!engine) return 1;
  auto source = read_input(options.input);
  if (!source) {
    std::fprintf(stderr, "%s: %s\n", options.input.c_str(), source.error().message().c_str());
    return 1;
  }
  const std::string_view text(reinterpret_cast<const char*>(source->data()), source->size());
  WatOptions wat;
  wat.validate = !options.no_check;
  wat.write_names = !options.no_names;
  auto wasm = wat_to_wasm(*engine, text, wat);
  if (!wasm) {
    // A syntax error reads "FILE:LINE:COL: ..."; a module that parses but is invalid says so.
    const bool invalid = wasm.error().kind() == ErrorKind::Invalid;
    std::fprintf(stderr, invalid ? "%s: invalid module: %s\n" : "%s:%s\n", options.input.c_str(),
                 wasm.error().message().c_str());
    return 1;
  }
  const std::string output =
      options.output.empty() ? default_output(options.input) : options.output;
  if (!write_output(output, *wasm)) {
    std::fprintf(stderr, "%s: cannot write output\n", output.c_str());
    return 1;
  }
  return 0;
}

}  // namespace

void add_wat2wasm_command(CLI::App& app) {
  auto options = std::make_shared<Wat2WasmOptions>();
  CLI::App* command =
      app.add_subcommand("wat2wasm", "Convert the WebAssembly text format to a binary module");
  command->add_option("file", options->input, "Text module (.wat)")->required();
  command->add_option("-o,--output", options->output,
                      "Output file (default: FILE.wasm; - for stdout)");
  command->add_flag("--no-check", options->no_check, "Do not validate the module");
  command->add_flag("--no-names", options->no_names, "Do not write a name section for $ids");
  add_feature_flags(*command, options->engine);
  command->callback([options] { set_exit_code(run_wat2wasm(*options)); });
}

}  // namespace loom::cli
