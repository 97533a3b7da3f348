// `loom run [--invoke NAME] FILE.wasm [ARGS...]`: instantiate a module and call an export
// (default `_start`), printing the results one per line as wasmtime does.
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "binary/decoder.hpp"
#include "cli/commands.hpp"
#include "cli/file_util.hpp"
#include "interp/interpreter.hpp"
#include "runtime/instance.hpp"
#include "valid/validator.hpp"

namespace loom::cli {
namespace {

struct RunOptions {
  std::string file;
  std::string invoke;
  std::vector<std::string> args;
  Features features;
};

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

int run_module(const RunOptions& options) {
  auto bytes = read_file(options.file);
  if (!bytes) return fail(options.file, bytes.error().message);
  auto module = decode_module(std::move(*bytes), options.features);
  if (!module) return fail(options.file, module.error().to_string());
  if (Status valid = validate_module(*module, options.features); !valid) {
    return fail(options.file, valid.error().to_string());
  }
  if (!module->imports.empty()) {
    const Import& imp = module->imports.front();
    return fail(options.file, "unknown import: \"" + imp.module + "\" \"" + imp.field + "\" (" +
                                  to_string(imp.kind) + ") has no provider");
  }
  Store store;
  interp::Interpreter interpreter(options.features);
  store.set_executor(&interpreter);
  auto shared = std::make_shared<const Module>(std::move(*module));
  auto instance = instantiate(store, shared, {});
  if (!instance) return fail(options.file, instance.error().message);

  const std::string name = options.invoke.empty() ? "_start" : options.invoke;
  auto ext = (*instance)->find_export(name);
  if (!ext || ext->kind != ExternKind::Func) {
    return fail(options.file, "no exported function \"" + name + "\"" +
                                  (options.invoke.empty() ? " (use --invoke NAME)" : ""));
  }
  FunctionInst& func = *ext->func();
  const FuncType& type = *func.type;
  if (options.args.size() != type.params.size()) {
    return fail(options.file, "\"" + name + "\" expects " + std::to_string(type.params.size()) +
                                  " arguments " + to_string(type) + ", got " +
                                  std::to_string(options.args.size()));
  }
  std::vector<Value> args(type.params.size()), results(type.results.size());
  for (size_t i = 0; i < args.size(); ++i) {
    if (!parse_argument(options.args[i], type.params[i], args[i])) {
      return fail(options.file, "argument " + std::to_string(i + 1) + " \"" + options.args[i] +
                                    "\" is not a valid " + to_string(type.params[i]));
    }
  }
  if (auto trap = interpreter.call(func, args, results)) {
    std::fprintf(stderr, "error: wasm trap: %s\nwasm backtrace:\n", trap->message.c_str());
    // Deep recursion leaves up to 100,000 frames: show the innermost ones only.
    constexpr size_t kMaxFrames = 64;
    for (size_t i = 0; i < trap->backtrace.size() && i < kMaxFrames; ++i) {
      const TrapFrame& frame = trap->backtrace[i];
      std::fprintf(
          stderr, "  %zu: 0x%zx - %s\n", i, frame.offset,
          frame.func_name.empty()
              ? ("<unnamed>!<wasm function " + std::to_string(frame.func_index) + ">").c_str()
              : frame.func_name.c_str());
    }
    if (trap->backtrace.size() > kMaxFrames) {
      std::fprintf(stderr, "  ... %zu more frames\n", trap->backtrace.size() - kMaxFrames);
    }
    return 134;  // as wasmtime: abort-like exit status for a trap
  }
  for (size_t i = 0; i < results.size(); ++i) print_value(type.results[i], results[i]);
  return 0;
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* command = app.add_subcommand("run", "Run a WebAssembly module");
  command->add_option("--invoke", options->invoke, "Exported function to call (default _start)");
  command->add_option("file", options->file, "Module (.wasm)")->required();
  command->add_option("args", options->args, "Arguments of the invoked function");
  command->prefix_command();  // everything after FILE belongs to the guest
  add_feature_flags(*command, options->features);
  command->callback([options, command] {
    for (const std::string& extra : command->remaining()) options->args.push_back(extra);
    set_exit_code(run_module(*options));
  });
}

}  // namespace loom::cli
