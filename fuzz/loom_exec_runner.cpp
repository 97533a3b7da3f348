// Loom's side of fuzz/differential.py (node_exec_runner.mjs is Node's): instantiates a module made
// by binaryen's `wasm-opt -ttf` with the `fuzzing-support` logging imports, then calls every
// exported function in export order with fixed non-zero arguments, printing one line per event:
//
//   instantiate ok | instantiate trap KIND | skip REASON
//   call NAME          before each export (after calling hangLimitInitializer, when exported)
//   log TYPE VALUE     from fuzzing-support.log-TYPE
//   result VALUE...    or: trap KIND
//   memory NAME PAGES HASH / table NAME SIZE / global NAME VALUE   exported state at the end
//
// Values: i32/i64 signed decimal, floats as their bit pattern in hex (any NaN prints as nan,
// since NaN bits are nondeterministic by the spec), references as null / ref. Trap kinds are the
// classes both engines can tell apart (see trap_class). Both runners must print the same lines.
//
//   loom_exec_runner [--tier interp|jit] FILE.wasm   (default: the machine's default tier)
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "binary/decoder.hpp"
#include "exec_support.hpp"
#include "jit/tier.hpp"
#include "runtime/instance.hpp"
#include "valid/validator.hpp"

namespace {

using namespace loom;  // NOLINT

// What JavaScript throws for a v128 crossing the JS boundary (a TypeError in V8).
constexpr const char* kJsTypeError = "v128 at the JS boundary";

std::string format_value(ValType type, const Value& v) {
  char text[64];
  switch (type.kind) {
    case ValKind::I32:
      std::snprintf(text, sizeof text, "%" PRId32, v.i32);
      break;
    case ValKind::I64:
      std::snprintf(text, sizeof text, "%" PRId64, v.i64);
      break;
    case ValKind::F32:
      if (std::isnan(v.f32)) return "nan";
      std::snprintf(text, sizeof text, "f32:%08" PRIx32, v.u32);
      break;
    case ValKind::F64:
      if (std::isnan(v.f64)) return "nan";
      std::snprintf(text, sizeof text, "f64:%016" PRIx64, v.u64);
      break;
    case ValKind::Ref:
      return v.ref ? "ref" : "null";
    default:
      return "?";
  }
  return text;
}

// The arguments of export number `export_number`, parameter `param`: non-zero edge-ish values,
// the same table as node_exec_runner.mjs.
Value argument(ValType type, size_t export_number, size_t param) {
  static constexpr int32_t kI32[] = {1, -1, 42, 2147483647, INT32_MIN, 7, 255, 65536, -2, 3};
  static constexpr int64_t kI64[] = {1, -1, 42, INT64_MAX, INT64_MIN, 7, 4294967296, -2};
  static constexpr double kF32[] = {1.5, -1, 0.5, 1024, 3.4028234663852886e38, -2.25, 7, 1e-45};
  static constexpr double kF64[] = {1.5, -1, 0.5, 1e300, -2.25, 5e-324, 1234.5678, 7};
  const size_t i = export_number * 3 + param;
  Value v = default_value();
  switch (type.kind) {
    case ValKind::I32:
      v.i32 = kI32[i % std::size(kI32)];
      break;
    case ValKind::I64:
      v.i64 = kI64[i % std::size(kI64)];
      break;
    case ValKind::F32:
      v.f32 = static_cast<float>(kF32[i % std::size(kF32)]);
      break;
    case ValKind::F64:
      v.f64 = kF64[i % std::size(kF64)];
      break;
    default:
      v.ref = nullptr;  // JavaScript passes null
      break;
  }
  return v;
}

// Trap classes both engines distinguish (V8 merges a null entry and a signature mismatch in
// call_indirect, reports an out-of-range call_indirect index as a table access, and says "float
// unrepresentable" for every failed truncation, where the spec says "integer overflow" for an
// out-of-range one).
const char* trap_class(const Trap& trap, const Module& module) {
  constexpr uint8_t kI32DivS = 0x6d, kI64DivS = 0x7f;
  switch (trap.kind) {
    case TrapKind::Unreachable:
      return "unreachable";
    case TrapKind::IntegerDivideByZero:
      return "div0";
    case TrapKind::IntegerOverflow: {
      const size_t at = trap.backtrace.empty() ? module.bytes.size() : trap.backtrace[0].offset;
      const bool division = at < module.bytes.size() &&
                            (module.bytes[at] == kI32DivS || module.bytes[at] == kI64DivS);
      return division ? "overflow" : "conversion";
    }
    case TrapKind::InvalidConversionToInteger:
      return "conversion";
    case TrapKind::OutOfBoundsMemoryAccess:
      return "memory";
    case TrapKind::OutOfBoundsTableAccess:
    case TrapKind::UndefinedElement:
      return "table";
    case TrapKind::UninitializedElement:
    case TrapKind::IndirectCallTypeMismatch:
      return "indirect";
    case TrapKind::CallStackExhausted:
      return "stack";
    case TrapKind::NullReference:
      return "null";
    case TrapKind::HostError:
      return trap.message == kJsTypeError ? "jstype" : "host";
    default:
      return "other";
  }
}

bool crosses_as_v128(const FuncType& type) {
  for (const ValType& t : type.params) {
    if (t.kind == ValKind::V128) return true;
  }
  for (const ValType& t : type.results) {
    if (t.kind == ValKind::V128) return true;
  }
  return false;
}

// fuzzing-support.log-TYPE prints its argument; log-v128 throws in JavaScript, so it traps here.
HostCallback logging_import(const Import& import, const FuncType& type) {
  if (import.module != "fuzzing-support" || type.params.size() != 1 || !type.results.empty()) {
    return {};
  }
  const ValType param = type.params[0];
  if (import.field == "log-v128" && param.kind == ValKind::V128) {
    return [](std::span<const Value>, std::span<Value>) { return std::string(kJsTypeError); };
  }
  const std::string expected = "log-" + to_string(param);
  if (import.field != expected || !param.is_num()) return {};
  return [param](std::span<const Value> args, std::span<Value>) {
    std::printf("log %s %s\n", to_string(param).c_str(), format_value(param, args[0]).c_str());
    return std::string();
  };
}

// Only the logging imports can be provided identically by both runners.
std::string unsupported_import(const Module& module) {
  for (const Import& import : module.imports) {
    if (import.kind != ExternKind::Func || import.module != "fuzzing-support") {
      return "import " + import.module + " " + import.field;
    }
    const FuncType& type = module.types[import.func_type];
    if (!logging_import(import, type)) return "import " + import.module + " " + import.field;
  }
  return {};
}

// What the calls left behind: exported memories (pages, FNV-1a hash), tables (size), globals.
void print_exported_state(const Instance& instance) {
  for (const Export& exp : instance.module().exports) {
    if (exp.kind == ExternKind::Memory) {
      const MemoryInst& memory = *instance.memories[exp.index];
      uint32_t hash = 2166136261u;
      for (uint64_t i = 0; i < memory.size_bytes(); ++i)
        hash = (hash ^ memory.base()[i]) * 16777619u;
      std::printf("memory %s %" PRIu64 " %08" PRIx32 "\n", exp.name.c_str(), memory.pages(), hash);
    } else if (exp.kind == ExternKind::Table) {
      std::printf("table %s %" PRIu64 "\n", exp.name.c_str(), instance.tables[exp.index]->size());
    } else if (exp.kind == ExternKind::Global) {
      const GlobalInst& global = *instance.globals[exp.index];
      const bool vector = global.type.type.kind == ValKind::V128;  // JavaScript cannot read it
      std::printf("global %s %s\n", exp.name.c_str(),
                  vector ? "jstype" : format_value(global.type.type, global.value).c_str());
    }
  }
}

int run(const char* path, jit::Tier tier) {
  std::FILE* file = std::fopen(path, "rb");
  if (!file) {
    std::fprintf(stderr, "%s: cannot open\n", path);
    return 2;
  }
  std::vector<uint8_t> bytes;
  uint8_t buffer[65536];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) {
    bytes.insert(bytes.end(), buffer, buffer + n);
  }
  std::fclose(file);

  const Features features;
  Result<Module> decoded = decode_module(bytes, features);
  if (!decoded) {
    std::printf("skip invalid: %s\n", decoded.error().to_string().c_str());
    return 0;
  }
  if (Status valid = validate_module(*decoded, features); !valid) {
    std::printf("skip invalid: %s\n", valid.error().to_string().c_str());
    return 0;
  }
  if (std::string why = unsupported_import(*decoded); !why.empty()) {
    std::printf("skip %s\n", why.c_str());
    return 0;
  }
  auto module = std::make_shared<const Module>(std::move(*decoded));
  Store store;
  const std::unique_ptr<Executor> executor = jit::make_executor(tier, features);
  store.set_executor(executor.get());
  auto imports = fuzz::stub_imports(store, *module, logging_import);
  if (!imports) {
    std::printf("skip %s\n", imports.error().message.c_str());
    return 0;
  }
  auto instance = instantiate(store, module, *imports);
  if (!instance) {
    if (instance.error().kind == ErrorKind::Trap) {
      // The trap's kind is only in its message here: map it back through trap_message.
      Trap trap;
      trap.kind = TrapKind::HostError;
      for (int k = 0; k <= static_cast<int>(TrapKind::HostError); ++k) {
        if (trap_message(static_cast<TrapKind>(k)) == instance.error().message) {
          trap.kind = static_cast<TrapKind>(k);
        }
      }
      trap.message = instance.error().message;
      std::printf("instantiate trap %s\n", trap_class(trap, *module));
    } else {
      std::printf("instantiate error %s\n", instance.error().message.c_str());
    }
    return 0;
  }
  std::printf("instantiate ok\n");

  FunctionInst* hang_limit_initializer = nullptr;
  if (auto init = (*instance)->find_export("hangLimitInitializer");
      init && init->kind == ExternKind::Func && init->func()->type->params.empty()) {
    hang_limit_initializer = init->func();
  }
  size_t export_number = 0;
  for (const Export& exp : module->exports) {
    if (exp.kind != ExternKind::Func) continue;
    FunctionInst& func = *(*instance)->funcs[exp.index];
    const FuncType& type = *func.type;
    std::printf("call %s\n", exp.name.c_str());
    std::vector<Value> results(hang_limit_initializer ? hang_limit_initializer->type->results.size()
                                                      : 0);
    if (hang_limit_initializer) (void)executor->call(*hang_limit_initializer, {}, results);
    const size_t number = export_number++;
    if (crosses_as_v128(type)) {
      std::printf("trap jstype\n");
      continue;
    }
    std::vector<Value> args;
    for (size_t i = 0; i < type.params.size(); ++i) {
      args.push_back(argument(type.params[i], number, i));
    }
    results.assign(type.results.size(), default_value());
    if (auto trap = executor->call(func, args, results)) {
      std::printf("trap %s\n", trap_class(*trap, *module));
      continue;
    }
    std::string line = "result";
    for (size_t i = 0; i < results.size(); ++i) {
      line += " " + format_value(type.results[i], results[i]);
    }
    std::printf("%s\n", line.c_str());
  }
  print_exported_state(**instance);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  jit::Tier tier = jit::default_tier();
  if (argc == 4 && std::strcmp(argv[1], "--tier") == 0 && jit::parse_tier(argv[2])) {
    tier = *jit::parse_tier(argv[2]);
    argv += 2;
    argc -= 2;
  }
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s [--tier interp|jit] FILE.wasm\n", argv[0]);
    return 2;
  }
  const int status = run(argv[1], tier);
  std::fflush(stdout);
  return status;
}
