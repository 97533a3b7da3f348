// `loom`: the command-line front end. Each subcommand lives in its own file and registers itself.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstring>
#include <new>
#include <stdexcept>

#include "commands.hpp"

namespace {

struct Command {
  const char* name;
  void (*add)(CLI::App&);
};
constexpr Command kCommands[] = {
    {"run", loom::cli::add_run_command},     {"validate", loom::cli::add_validate_command},
    {"wast", loom::cli::add_wast_command},   {"wat2wasm", loom::cli::add_wat2wasm_command},
    {"print", loom::cli::add_print_command},
};

// Runs loom; the subcommands run inside app.parse (their callbacks).
int run_loom(int argc, char** argv) {
  CLI::App app{"Loom: a WebAssembly engine"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "loom 0.1.0");
  // Building every subcommand (each with its feature flags) costs more than the rest of loom's
  // start-up, so when argv[1] names one, only that one is registered: parsing is the same, since
  // once the single allowed subcommand is chosen CLI11 no longer matches its siblings' names. A
  // lone --version needs none. Anything else (help, errors) sees them all.
  const bool version_only = argc == 2 && std::strcmp(argv[1], "--version") == 0;
  const Command* chosen = nullptr;
  for (const Command& command : kCommands) {
    if (argc > 1 && std::strcmp(argv[1], command.name) == 0) chosen = &command;
  }
  for (const Command& command : kCommands) {
    if (!version_only && (!chosen || chosen == &command)) command.add(app);
  }
  argc = loom::cli::split_run_arguments(argc, argv);
  CLI11_PARSE(app, argc, argv);
  return loom::cli::exit_code();
}

}  // namespace

int main(int argc, char** argv) {
  // Every allocation a module can cause is bounded (store limits), but the host itself may still
  // run out: report it instead of letting std::terminate abort.
  try {
    return run_loom(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fputs("loom: out of memory\n", stderr);
  } catch (const std::length_error&) {  // a container asked for more than it can ever hold
    std::fputs("loom: out of memory\n", stderr);
  }
  return 1;
}
