// `loom`: the command-line front end. Each subcommand lives in its own file and registers itself.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Loom: a WebAssembly engine"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "loom 0.1.0");
  loom::cli::add_run_command(app);
  loom::cli::add_validate_command(app);
  loom::cli::add_wast_command(app);
  loom::cli::add_wat2wasm_command(app);
  loom::cli::add_print_command(app);
  CLI11_PARSE(app, argc, argv);
  return loom::cli::exit_code();
}
