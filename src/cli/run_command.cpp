// `loom run [--dir HOST[::GUEST]]... [--env K=V]... [--invoke NAME] [--] FILE [ARGS...]`:
// instantiate a module with WASI preview 1 as its imports and run `_start` (exit status = the
// guest's proc_exit code), or call the export NAME with numeric ARGS and print its results one per
// line, as wasmtime does.
#include <loom/linker.hpp>
#include <loom/text.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "run_wasi.hpp"

namespace loom::cli {
namespace {

struct RunOptions {
  std::string file;
  std::string invoke;
  std::vector<std::string> args;
  std::vector<std::string> dirs, ro_dirs, env, tcplisten;
  EngineConfig engine;  // features (the flags); the rest is set from the options below
  // Execution and resource limits (wasmtime's names); unset means Loom's defaults.
  std::optional<uint64_t> fuel;
  std::string timeout;
  std::optional<uint64_t> max_wasm_stack;
  StoreLimits store_limits;
  TierOptions tier;
};

// --timeout: "5s", "250ms", "2m" or plain seconds ("1.5"); at most a year.
std::optional<std::chrono::nanoseconds> parse_duration(const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || !(value >= 0)) return std::nullopt;
  const std::string unit(end);
  double seconds = value;
  if (unit == "ms")
    seconds = value / 1000;
  else if (unit == "m")
    seconds = value * 60;
  else if (!unit.empty() && unit != "s")
    return std::nullopt;
  if (seconds > 365.0 * 24 * 3600) return std::nullopt;
  return std::chrono::nanoseconds(static_cast<int64_t>(std::llround(seconds * 1e9)));
}

bool parse_argument(const std::string& text, ValKind kind, Val& out) {
  char* end = nullptr;
  errno = 0;
  switch (kind) {
    case ValKind::I32: {
      const long long v = std::strtoll(text.c_str(), &end, 0);
      if (v < INT32_MIN || v > UINT32_MAX) return false;
      out = Val(static_cast<int32_t>(static_cast<uint32_t>(v)));
      break;
    }
    case ValKind::I64:
      if (!text.empty() && text[0] == '-')
        out = Val(static_cast<int64_t>(std::strtoll(text.c_str(), &end, 0)));
      else
        out = Val(static_cast<int64_t>(std::strtoull(text.c_str(), &end, 0)));
      break;
    case ValKind::F32:
      out = Val(std::strtof(text.c_str(), &end));
      break;
    case ValKind::F64:
      out = Val(std::strtod(text.c_str(), &end));
      break;
    default:
      return false;
  }
  return errno == 0 && end && *end == '\0' && !text.empty();
}

void print_value(const Val& v) {
  switch (v.kind()) {
    case ValKind::I32:
      std::printf("%" PRId32 "\n", v.i32());
      break;
    case ValKind::I64:
      std::printf("%" PRId64 "\n", v.i64());
      break;
    case ValKind::F32:
      std::printf("%.9g\n", static_cast<double>(v.f32()));
      break;
    case ValKind::F64:
      std::printf("%.17g\n", v.f64());
      break;
    case ValKind::V128: {
      std::printf("0x");
      for (int i = 15; i >= 0; --i) std::printf("%02x", v.v128().bytes[i]);
      std::printf("\n");
      break;
    }
    default:
      std::printf(v.raw().ref ? "ref\n" : "null\n");
      break;
  }
}

// "[i32 i32] -> [i32]", as Loom writes function types in messages.
std::string type_text(const FuncType& type) {
  std::string out = "[";
  for (size_t i = 0; i < type.params.size(); ++i) out += (i ? " " : "") + to_string(type.params[i]);
  out += "] -> [";
  for (size_t i = 0; i < type.results.size(); ++i) {
    out += (i ? " " : "") + to_string(type.results[i]);
  }
  return out + "]";
}

int fail(const std::string& file, const std::string& message) {
  std::fprintf(stderr, "%s: %s\n", file.c_str(), message.c_str());
  return 1;
}

int report_trap(const Trap& trap) {
  std::fprintf(stderr, "error: wasm trap: %s\nwasm backtrace:\n", trap.message().c_str());
  // Deep recursion leaves up to 100,000 frames: show the innermost ones only.
  constexpr size_t kMaxFrames = 64;
  const std::vector<Frame>& backtrace = trap.backtrace();
  for (size_t i = 0; i < backtrace.size() && i < kMaxFrames; ++i) {
    const Frame& frame = backtrace[i];
    std::fprintf(
        stderr, "  %zu: 0x%zx - %s\n", i, frame.module_offset,
        frame.func_name.empty()
            ? ("<unnamed>!<wasm function " + std::to_string(frame.func_index) + ">").c_str()
            : frame.func_name.c_str());
  }
  if (backtrace.size() > kMaxFrames) {
    std::fprintf(stderr, "  ... %zu more frames\n", backtrace.size() - kMaxFrames);
  }
  return 134;  // as wasmtime: abort-like exit status for a trap
}

// WASI for a module that imports something: argv, environment, preopens and sockets.
Result<WasiConfig> wasi_config(const RunOptions& options) {
  WasiConfig config;
  config.args.push_back(options.file);
  if (options.invoke.empty())
    config.args.insert(config.args.end(), options.args.begin(), options.args.end());
  for (const std::string& env : options.env) add_env(env, config.env);
  for (const std::string& dir : options.dirs) config.preopens.push_back(parse_dir(dir, false));
  for (const std::string& dir : options.ro_dirs) config.preopens.push_back(parse_dir(dir, true));
  for (const std::string& address : options.tcplisten) {
    auto socket = listen_on(address);
    if (!socket) return socket.error();
    config.sockets.push_back(*socket);
  }
  return config;
}

// Calls `func`; nullopt when it returns, else how it failed (a trap, or proc_exit as one).
std::optional<Error> call(const Func& func, std::span<const Val> args, std::vector<Val>& results) {
  results.assign(func.type().results.size(), Val());
  Status status = func.call(args, results);
  if (!status) return status.error();
  return std::nullopt;
}

int run_module(const RunOptions& options) {
  // The tier's error is reported once the module loads, so a bad module is named first.
  auto tier = resolve_tier(options.tier);
  EngineConfig config = options.engine;
  config.tier = tier ? *tier : Tier::Default;
  config.consume_fuel = options.fuel.has_value();
  config.epoch_interruption = !options.timeout.empty();
  if (options.max_wasm_stack) config.max_wasm_stack = *options.max_wasm_stack;
  config.jit_fallback_report = options.tier.report_fallbacks ? stderr : nullptr;
  auto engine = Engine::create(config);
  if (!engine) return fail(options.file, engine.error().message());
  auto bytes = read_input(options.file);
  if (!bytes) return fail(options.file, bytes.error().message());
  auto module = Module::from_bytes(*engine, *bytes);
  if (!module) return fail(options.file, module.error().message());
  if (!tier) return fail(options.file, tier.error().message());
  Store store(*engine);
  store.set_limits(options.store_limits);
  if (options.fuel) {
    if (Status fuel = store.set_fuel(*options.fuel); !fuel) {
      return fail(options.file, fuel.error().message());
    }
  }
  // Set before instantiation, so the start function is limited too.
  if (!options.timeout.empty()) {
    if (Status timeout = store.set_timeout(*parse_duration(options.timeout)); !timeout) {
      return fail(options.file, timeout.error().message());
    }
  }

  // Imports come from WASI; its context exists only for modules that import something.
  Linker linker(*engine);
  if (!module->imports().empty()) {
    auto wasi = wasi_config(options);
    if (!wasi) return fail(options.file, wasi.error().message());
    if (Status defined = linker.define_wasi(std::move(*wasi)); !defined) {
      return fail(options.file, defined.error().message());
    }
  }
  // The start function runs once WASI's memory is bound, so that its WASI calls work; a
  // proc_exit or a trap in it (or in a data or element segment) ends the run as in `_start`.
  auto instance = linker.instantiate(store, *module);
  if (!instance) {
    const Trap* trap = instance.error().trap();
    if (!trap) return fail(options.file, instance.error().message());
    std::fflush(stdout);
    if (trap->kind() == TrapKind::Exit && trap->exit_code()) {
      return static_cast<int>(*trap->exit_code() & 0xff);
    }
    return report_trap(*trap);
  }

  const std::string name = options.invoke.empty() ? "_start" : options.invoke;
  std::optional<Func> func = instance->get_func(name);
  if (!func) {
    return fail(options.file, "no exported function \"" + name + "\"" +
                                  (options.invoke.empty() ? " (use --invoke NAME)" : ""));
  }
  const FuncType type = func->type();
  // `_start` gets the arguments through WASI; an invoked function gets them as its parameters.
  const std::vector<std::string> no_args;
  const std::vector<std::string>& call_args = options.invoke.empty() ? no_args : options.args;
  if (call_args.size() != type.params.size()) {
    return fail(options.file, "\"" + name + "\" expects " + std::to_string(type.params.size()) +
                                  " arguments " + type_text(type) + ", got " +
                                  std::to_string(call_args.size()));
  }
  std::vector<Val> args(type.params.size()), results;
  for (size_t i = 0; i < args.size(); ++i) {
    if (!parse_argument(call_args[i], type.params[i], args[i])) {
      return fail(options.file, "argument " + std::to_string(i + 1) + " \"" + call_args[i] +
                                    "\" is not a valid " + to_string(type.params[i]));
    }
  }
  // A WASI reactor sets itself up in `_initialize` before any other export is called.
  std::optional<Error> failed;
  if (std::optional<Func> init = instance->get_func("_initialize"); init && name != "_initialize" &&
                                                                    init->type().params.empty() &&
                                                                    init->type().results.empty()) {
    std::vector<Val> none;
    failed = call(*init, {}, none);
  }
  if (!failed && !wasi_exit_code(*instance)) failed = call(*func, args, results);
  std::fflush(stdout);
  if (std::optional<uint32_t> code = wasi_exit_code(*instance)) {
    return static_cast<int>(*code & 0xff);  // proc_exit, as the OS keeps it
  }
  if (failed) {
    if (const Trap* trap = failed->trap()) return report_trap(*trap);
    return fail(options.file, failed->message());
  }
  for (const Val& result : results) print_value(result);
  return 0;
}

std::vector<std::string>& guest_arguments() {
  static std::vector<std::string> arguments;
  return arguments;
}

}  // namespace

int split_run_arguments(int argc, char** argv) {
  if (argc < 2 || std::string_view(argv[1]) != "run") return argc;
  // The options of `loom run` that take a value (see add_run_command).
  static constexpr std::string_view kValueOptions[] = {"--invoke",
                                                       "--dir",
                                                       "--ro-dir",
                                                       "--env",
                                                       "--tcplisten",
                                                       "--fuel",
                                                       "--timeout",
                                                       "--max-memory-size",
                                                       "--max-table-elements",
                                                       "--max-wasm-stack",
                                                       "--max-instances",
                                                       "--max-memories",
                                                       "--max-tables",
                                                       "--tier"};
  for (int i = 2; i < argc; ++i) {
    const std::string_view token(argv[i]);
    if (token == "--") {  // FILE follows
      if (i + 1 >= argc) return argc;
      argv[i] = argv[i + 1];
      guest_arguments().assign(argv + i + 2, argv + argc);
      return i + 1;
    }
    if (token.size() > 1 && token[0] == '-') {
      if (std::find(std::begin(kValueOptions), std::end(kValueOptions), token) !=
          std::end(kValueOptions)) {
        ++i;  // its value
      }
      continue;
    }
    guest_arguments().assign(argv + i + 1, argv + argc);  // token is FILE
    return i + 1;
  }
  return argc;
}

namespace {

void add_limit_options(CLI::App& command, RunOptions& options) {
  const char* group = "Limits";
  command
      .add_option("--fuel", options.fuel,
                  "Trap with \"all fuel consumed\" after about N wasm instructions")
      ->group(group);
  command
      .add_option("--timeout", options.timeout,
                  "Trap with \"interrupt\" after this wall-clock time (5s, 500ms, 2m)")
      ->check(CLI::Validator(
          [](const std::string& text) {
            return parse_duration(text) ? std::string()
                                        : "expected a duration such as 5s, 500ms or 2m";
          },
          "DURATION"))
      ->group(group);
  StoreLimits& limits = options.store_limits;
  command
      .add_option("--max-memory-size", limits.max_memory_bytes,
                  "Bytes of linear memory all memories may hold together")
      ->capture_default_str()
      ->group(group);
  command
      .add_option("--max-table-elements", limits.max_table_elements,
                  "Elements all tables may hold together")
      ->capture_default_str()
      ->group(group);
  command
      .add_option("--max-wasm-stack", options.max_wasm_stack,
                  "Bytes of the wasm value stack (default 64 MiB)")
      ->group(group);
  command.add_option("--max-instances", limits.max_instances, "Module instances")
      ->capture_default_str()
      ->group(group);
  command.add_option("--max-memories", limits.max_memories, "Linear memories")
      ->capture_default_str()
      ->group(group);
  command.add_option("--max-tables", limits.max_tables, "Tables")
      ->capture_default_str()
      ->group(group);
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* command = app.add_subcommand("run", "Run a WebAssembly module");
  command->add_option("--invoke", options->invoke,
                      "Exported function to call with ARGS as its parameters (default: _start, "
                      "which gets ARGS as WASI arguments)");
  command
      ->add_option("--dir", options->dirs,
                   "Preopen the host directory HOST as GUEST (HOST[::GUEST]), repeatable")
      ->allow_extra_args(false);
  command
      ->add_option("--ro-dir", options->ro_dirs,
                   "Preopen a directory read-only (HOST[::GUEST]), repeatable")
      ->allow_extra_args(false);
  command
      ->add_option("--env", options->env,
                   "Set a WASI environment variable (K=V; a bare K passes the host's value)")
      ->allow_extra_args(false);
  command
      ->add_option("--tcplisten", options->tcplisten,
                   "Listen on HOST:PORT and hand the socket to the guest (after the preopens)")
      ->allow_extra_args(false);
  add_limit_options(*command, *options);
  add_tier_options(*command, options->tier);
  command->add_option("file", options->file, "Module (.wasm or .wat)")->required();
  add_feature_flags(*command, options->engine, FeatureUse::Execute);
  command->callback([options] {
    options->args = guest_arguments();
    set_exit_code(run_module(*options));
  });
}

}  // namespace loom::cli
