// `loom run [--dir HOST[::GUEST]]... [--env K=V]... [--invoke NAME] [--] FILE [ARGS...]`:
// instantiate a module with WASI preview 1 as its imports and run `_start` (exit status = the
// guest's proc_exit code), or call the export NAME with numeric ARGS and print its results one per
// line, as wasmtime does.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <algorithm>

#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/load_module.hpp"
#include "runtime/epoch_timer.hpp"
#include "runtime/instance.hpp"
#include "wasi/wasi.hpp"

namespace loom::cli {
namespace {

struct RunOptions {
  std::string file;
  std::string invoke;
  std::vector<std::string> args;
  std::vector<std::string> dirs, ro_dirs, env, tcplisten;
  Features features;
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

bool parse_argument(const std::string& text, ValType type, Value& out) {
  out = default_value();
  char* end = nullptr;
  errno = 0;
  switch (type.kind) {
    case ValKind::I32: {
      const long long v = std::strtoll(text.c_str(), &end, 0);
      if (v < INT32_MIN || v > UINT32_MAX) return false;
      out.u32 = static_cast<uint32_t>(v);
      break;
    }
    case ValKind::I64:
      if (!text.empty() && text[0] == '-')
        out.i64 = std::strtoll(text.c_str(), &end, 0);
      else
        out.u64 = std::strtoull(text.c_str(), &end, 0);
      break;
    case ValKind::F32:
      out.f32 = std::strtof(text.c_str(), &end);
      break;
    case ValKind::F64:
      out.f64 = std::strtod(text.c_str(), &end);
      break;
    default:
      return false;
  }
  return errno == 0 && end && *end == '\0' && !text.empty();
}

void print_value(ValType type, const Value& v) {
  switch (type.kind) {
    case ValKind::I32:
      std::printf("%" PRId32 "\n", v.i32);
      break;
    case ValKind::I64:
      std::printf("%" PRId64 "\n", v.i64);
      break;
    case ValKind::F32:
      std::printf("%.9g\n", static_cast<double>(v.f32));
      break;
    case ValKind::F64:
      std::printf("%.17g\n", v.f64);
      break;
    case ValKind::V128: {
      std::printf("0x");
      for (int i = 15; i >= 0; --i) std::printf("%02x", v.v128.bytes[i]);
      std::printf("\n");
      break;
    }
    default:
      std::printf(v.ref ? "ref\n" : "null\n");
      break;
  }
}

int fail(const std::string& file, const std::string& message) {
  std::fprintf(stderr, "%s: %s\n", file.c_str(), message.c_str());
  return 1;
}

// HOST[::GUEST]: the guest sees HOST under GUEST (default: HOST as written), as in wasmtime.
wasi::Preopen parse_dir(const std::string& spec, bool read_only) {
  const size_t sep = spec.find("::");
  wasi::Preopen preopen;
  preopen.host_path = sep == std::string::npos ? spec : spec.substr(0, sep);
  preopen.guest_path = sep == std::string::npos ? spec : spec.substr(sep + 2);
  preopen.read_only = read_only;
  return preopen;
}

// K=V sets a variable; a bare K passes the host's value through (nothing when it is unset).
void add_env(const std::string& spec, std::vector<std::string>& env) {
  if (spec.find('=') != std::string::npos) {
    env.push_back(spec);
  } else if (const char* value = std::getenv(spec.c_str())) {
    env.push_back(spec + "=" + value);
  }
}

// A listening TCP socket on HOST:PORT for --tcplisten, as wasmtime's option of that name. HOST
// is a numeric IPv4 or [IPv6] address or localhost: name lookup (getaddrinfo) would load shared
// libraries into the static loom binary at run time.
Result<int> listen_on(const std::string& address) {
  const auto bad = [&](const std::string& why) {
    return Error{"--tcplisten " + address + ": " + why};
  };
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) return bad("expected HOST:PORT");
  std::string host = address.substr(0, colon);
  char* end = nullptr;
  const unsigned long port = std::strtoul(address.c_str() + colon + 1, &end, 10);
  if (colon + 1 == address.size() || *end != '\0' || port > 65535) return bad("bad port");
  if (host == "localhost") host = "127.0.0.1";
  sockaddr_storage storage{};
  socklen_t length = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    length = sizeof *v4;
  } else if (host.size() > 2 && host.front() == '[' && host.back() == ']' &&
             inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    length = sizeof *v6;
  } else {
    return bad("expected a numeric address (or localhost)");
  }
  const int fd = socket(storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int yes = 1;
  if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes) != 0 ||
      bind(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0 || listen(fd, SOMAXCONN) != 0) {
    const std::string why = std::strerror(errno);
    if (fd >= 0) close(fd);
    return bad(why);
  }
  return fd;
}

int report_trap(const Trap& trap) {
  std::fprintf(stderr, "error: wasm trap: %s\nwasm backtrace:\n", trap.message.c_str());
  // Deep recursion leaves up to 100,000 frames: show the innermost ones only.
  constexpr size_t kMaxFrames = 64;
  for (size_t i = 0; i < trap.backtrace.size() && i < kMaxFrames; ++i) {
    const TrapFrame& frame = trap.backtrace[i];
    std::fprintf(
        stderr, "  %zu: 0x%zx - %s\n", i, frame.offset,
        frame.func_name.empty()
            ? ("<unnamed>!<wasm function " + std::to_string(frame.func_index) + ">").c_str()
            : frame.func_name.c_str());
  }
  if (trap.backtrace.size() > kMaxFrames) {
    std::fprintf(stderr, "  ... %zu more frames\n", trap.backtrace.size() - kMaxFrames);
  }
  return 134;  // as wasmtime: abort-like exit status for a trap
}

int run_module(const RunOptions& options) {
  auto module = load_module(options.file, options.features);
  if (!module) return fail(options.file, module.error().message);
  auto tier = resolve_tier(options.tier);
  if (!tier) return fail(options.file, tier.error().message);
  Store store;
  store.set_limits(options.store_limits);
  interp::InterpreterLimits limits;
  limits.consume_fuel = options.fuel.has_value();
  limits.epoch_interruption = !options.timeout.empty();
  if (options.max_wasm_stack) limits.stack_bytes = *options.max_wasm_stack;
  const std::unique_ptr<Executor> executor = jit::make_executor(
      *tier, options.features,
      {.limits = limits, .report_fallbacks = options.tier.report_fallbacks ? stderr : nullptr});
  store.set_executor(executor.get());
  if (options.fuel) store.set_fuel(*options.fuel);
  // Started before instantiation, so the start function is limited too.
  std::optional<EpochTimer> timer;
  if (!options.timeout.empty())
    timer.emplace(store.interruption(), *parse_duration(options.timeout));
  auto shared = std::make_shared<const Module>(std::move(*module));

  // Imports come from WASI; the context exists only for modules that import something.
  std::unique_ptr<wasi::WasiContext> wasi_context;
  std::vector<Extern> imports;
  if (!shared->imports.empty()) {
    // A write to a closed pipe or socket must fail with EPIPE for the guest, not kill Loom.
    std::signal(SIGPIPE, SIG_IGN);
    wasi::WasiConfig config;
    config.args.push_back(options.file);
    if (options.invoke.empty())
      config.args.insert(config.args.end(), options.args.begin(), options.args.end());
    for (const std::string& env : options.env) add_env(env, config.env);
    for (const std::string& dir : options.dirs) config.preopens.push_back(parse_dir(dir, false));
    for (const std::string& dir : options.ro_dirs) {
      config.preopens.push_back(parse_dir(dir, true));
    }
    for (const std::string& address : options.tcplisten) {
      auto socket = listen_on(address);
      if (!socket) return fail(options.file, socket.error().message);
      config.sockets.push_back(*socket);
    }
    auto context = wasi::WasiContext::create(std::move(config));
    if (!context) return fail(options.file, context.error().message);
    wasi_context = std::move(*context);
    auto resolved = wasi_context->resolve_imports(store, *shared);
    if (!resolved) return fail(options.file, resolved.error().message);
    imports = std::move(*resolved);
  }
  auto instance = instantiate_without_start(store, shared, imports);
  if (!instance) {
    // A trap while instantiating (a data or element segment out of bounds) exits as any other
    // trap.
    if (instance.error().kind == ErrorKind::Trap) {
      return report_trap(Trap{TrapKind::HostError, instance.error().message, {}});
    }
    return fail(options.file, instance.error().message);
  }
  if (wasi_context) {
    if (auto memory = (*instance)->find_export("memory");
        memory && memory->kind == ExternKind::Memory) {
      wasi_context->bind_memory(memory->memory());
    }
  }
  // The start function runs once the memory is bound, so that its WASI calls work; a proc_exit
  // or a trap in it ends the run as one in `_start` would.
  if (std::optional<Trap> start_trap = run_start(store, **instance); start_trap) {
    std::fflush(stdout);
    if (wasi_context && wasi_context->exit_code())
      return static_cast<int>(*wasi_context->exit_code() & 0xff);
    return report_trap(*start_trap);
  }

  const std::string name = options.invoke.empty() ? "_start" : options.invoke;
  auto ext = (*instance)->find_export(name);
  if (!ext || ext->kind != ExternKind::Func) {
    return fail(options.file, "no exported function \"" + name + "\"" +
                                  (options.invoke.empty() ? " (use --invoke NAME)" : ""));
  }
  FunctionInst& func = *ext->func();
  const FuncType& type = *func.type;
  // `_start` gets the arguments through WASI; an invoked function gets them as its parameters.
  const std::vector<std::string> no_args;
  const std::vector<std::string>& call_args = options.invoke.empty() ? no_args : options.args;
  if (call_args.size() != type.params.size()) {
    return fail(options.file, "\"" + name + "\" expects " + std::to_string(type.params.size()) +
                                  " arguments " + to_string(type) + ", got " +
                                  std::to_string(call_args.size()));
  }
  std::vector<Value> args(type.params.size()), results(type.results.size());
  for (size_t i = 0; i < args.size(); ++i) {
    if (!parse_argument(call_args[i], type.params[i], args[i])) {
      return fail(options.file, "argument " + std::to_string(i + 1) + " \"" + call_args[i] +
                                    "\" is not a valid " + to_string(type.params[i]));
    }
  }
  // A WASI reactor sets itself up in `_initialize` before any other export is called.
  std::optional<Trap> trap;
  if (auto init = (*instance)->find_export("_initialize");
      init && init->kind == ExternKind::Func && name != "_initialize" &&
      init->func()->type->params.empty() && init->func()->type->results.empty()) {
    trap = executor->call(*init->func(), {}, {});
  }
  if (!trap && !(wasi_context && wasi_context->exit_code())) {
    trap = executor->call(func, args, results);
  }
  std::fflush(stdout);
  if (wasi_context && wasi_context->exit_code()) {
    return static_cast<int>(*wasi_context->exit_code() & 0xff);  // proc_exit, as the OS keeps it
  }
  if (trap) return report_trap(*trap);
  for (size_t i = 0; i < results.size(); ++i) print_value(type.results[i], results[i]);
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
  add_feature_flags(*command, options->features, FeatureUse::Execute);
  command->callback([options] {
    options->args = guest_arguments();
    set_exit_code(run_module(*options));
  });
}

}  // namespace loom::cli
