#include "wast/runner.hpp"

#include <cinttypes>
#include <cstring>
#include <deque>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include "binary/decoder.hpp"
#include "runtime/instance.hpp"
#include "text/input_file.hpp"
#include "text/wast.hpp"
#include "text/wat.hpp"
#include "valid/validator.hpp"
#include "wast/spectest.hpp"

namespace loom::wast {
namespace {

using text::NanPattern;
using text::WastAction;
using text::WastCommand;
using text::WastModule;
using text::WastValue;

constexpr size_t kMaxPrintedFailures = 50;

std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
  return buf;
}

bool nan_matches(uint64_t bits, bool is_f64, NanPattern pattern) {
  const uint64_t exponent_and_quiet = is_f64 ? 0x7ff8000000000000ull : 0x7fc00000u;
  const uint64_t magnitude = is_f64 ? bits & 0x7fffffffffffffffull : bits & 0x7fffffffu;
  if (pattern == NanPattern::Canonical) return magnitude == exponent_and_quiet;
  return (magnitude & exponent_and_quiet) == exponent_and_quiet;  // arithmetic: quiet bit set
}

class Runner {
 public:
  Runner(const std::string& path, const RunOptions& options, FILE* out)
      : path_(path),
        options_(options),
        out_(out),
        executor_(jit::make_executor(options.tier, options.features,
                                     {.report_fallbacks = options.report_fallbacks})),
        spectest_(store_) {
    store_.set_executor(executor_.get());
  }

  RunSummary run(const text::WastScript& script) {
    for (const WastCommand& cmd : script.commands) {
      line_ = cmd.line;
      run_command(cmd);
    }
    return summary_;
  }

 private:
  // ---- bookkeeping ----
  void pass() { ++summary_.passed; }
  void fail(const std::string& what) {
    ++summary_.failed;
    if (options_.verbose || summary_.failed <= kMaxPrintedFailures) {
      std::fprintf(out_, "  %s:%u: %s\n", path_.c_str(), line_, what.c_str());
    }
  }

  // ---- modules ----
  Result<Module> load(const WastModule& wm) {
    Result<Module> module =
        wm.kind == WastModule::Kind::Binary
            ? decode_module(std::span<const uint8_t>(wm.binary), options_.features)
            : text::parse_wat(wm.text, options_.features, text::TextOrigin{wm.line, wm.col});
    if (!module) {
      if (module.error().kind == ErrorKind::Other) module.error().kind = ErrorKind::Malformed;
      return module;
    }
    Status valid = validate_module(*module, options_.features);
    if (!valid) {
      valid.error().kind = ErrorKind::Invalid;
      return valid.error();
    }
    return module;
  }

  Result<Instance*> instantiate_module(std::shared_ptr<const Module> module) {
    std::vector<Extern> imports;
    for (const Import& imp : module->imports) {
      std::optional<Extern> found;
      if (auto it = registered_.find(imp.module); it != registered_.end()) {
        found = it->second->find_export(imp.field);
      } else if (imp.module == "spectest") {
        found = spectest_.find(imp.field);
      }
      if (!found) {
        Error e{"unknown import \"" + imp.module + "\" \"" + imp.field + "\""};
        e.kind = ErrorKind::Link;
        return e;
      }
      imports.push_back(*found);
    }
    return instantiate(store_, std::move(module), imports);
  }

  Instance* instance_named(const std::optional<std::string>& name) {
    if (!name) return current_;
    auto it = instances_.find(*name);
    return it == instances_.end() ? nullptr : it->second;
  }

  // ---- values ----
  Value to_value(const WastValue& v) {
    Value out = default_value();
    switch (v.kind) {
      case WastValue::Kind::I32:
      case WastValue::Kind::F32:
        out.u32 = static_cast<uint32_t>(v.bits);
        break;
      case WastValue::Kind::I64:
      case WastValue::Kind::F64:
        out.u64 = v.bits;
        break;
      case WastValue::Kind::V128:
        std::memcpy(out.v128.bytes, v.v128.data(), 16);
        break;
      case WastValue::Kind::RefNull:
        out.ref = nullptr;
        break;
      case WastValue::Kind::RefExtern:
      case WastValue::Kind::RefHost:
        out.ref = extern_object(v.bits);
        break;
      case WastValue::Kind::RefFunc:
        out.ref = nullptr;
        break;
    }
    return out;
  }

  // Host references are addresses of objects holding their number, so equal numbers are
  // equal references.
  void* extern_object(uint64_t n) {
    auto it = extern_by_number_.find(n);
    if (it != extern_by_number_.end()) return it->second;
    extern_objects_.push_back(n);
    void* p = &extern_objects_.back();
    extern_by_number_[n] = p;
    return p;
  }
  std::optional<uint64_t> extern_number(void* p) const {
    for (const auto& [n, q] : extern_by_number_) {
      if (q == p) return n;
    }
    return std::nullopt;
  }

  bool matches(const WastValue& expected, ValType type, const Value& actual) const {
    switch (expected.kind) {
      case WastValue::Kind::I32:
        return type.kind == ValKind::I32 && actual.u32 == uint32_t(expected.bits);
      case WastValue::Kind::I64:
        return type.kind == ValKind::I64 && actual.u64 == expected.bits;
      case WastValue::Kind::F32:
        if (type.kind != ValKind::F32) return false;
        if (expected.nan != NanPattern::None) return nan_matches(actual.u32, false, expected.nan);
        return actual.u32 == uint32_t(expected.bits);
      case WastValue::Kind::F64:
        if (type.kind != ValKind::F64) return false;
        if (expected.nan != NanPattern::None) return nan_matches(actual.u64, true, expected.nan);
        return actual.u64 == expected.bits;
      case WastValue::Kind::V128: {
        if (type.kind != ValKind::V128) return false;
        const bool float_lanes =
            expected.lane_type == ValKind::F32 || expected.lane_type == ValKind::F64;
        if (!float_lanes) return std::memcmp(actual.v128.bytes, expected.v128.data(), 16) == 0;
        const size_t lane_bytes = 16 / expected.lane_count;
        for (size_t lane = 0; lane < expected.lane_count; ++lane) {
          uint64_t a = 0, e = 0;
          std::memcpy(&a, actual.v128.bytes + lane * lane_bytes, lane_bytes);
          std::memcpy(&e, expected.v128.data() + lane * lane_bytes, lane_bytes);
          const NanPattern pattern = expected.lane_nan[lane];
          if (pattern != NanPattern::None) {
            if (!nan_matches(a, lane_bytes == 8, pattern)) return false;
          } else if (a != e) {
            return false;
          }
        }
        return true;
      }
      case WastValue::Kind::RefNull:
        return type.is_ref() && actual.ref == nullptr;
      case WastValue::Kind::RefFunc:
        return type.is_ref() && actual.ref != nullptr;
      case WastValue::Kind::RefExtern:
      case WastValue::Kind::RefHost: {
        if (!type.is_ref() || actual.ref == nullptr) return false;
        if (!expected.has_payload) return true;
        auto n = extern_number(actual.ref);
        return n && *n == expected.bits;
      }
    }
    return false;
  }

  std::string describe(ValType type, const Value& v) const {
    switch (type.kind) {
      case ValKind::I32:
        return "i32:" + hex(v.u32);
      case ValKind::I64:
        return "i64:" + hex(v.u64);
      case ValKind::F32:
        return "f32:" + hex(v.u32);
      case ValKind::F64:
        return "f64:" + hex(v.u64);
      case ValKind::V128: {
        std::string s = "v128:0x";
        for (int i = 15; i >= 0; --i) {
          char b[4];
          std::snprintf(b, sizeof b, "%02x", v.v128.bytes[i]);
          s += b;
        }
        return s;
      }
      default:
        return v.ref ? "ref" : "null";
    }
  }

  // ---- actions ----
  struct Outcome {
    std::optional<Trap> trap;
    std::vector<ValType> types;
    std::vector<Value> values;
    std::string error;  // the action itself could not be performed
  };

  Outcome perform(const WastAction& action) {
    Outcome out;
    Instance* inst = instance_named(action.module);
    if (!inst) {
      out.error = "no module instance";
      return out;
    }
    auto ext = inst->find_export(action.field);
    if (!ext) {
      out.error = "no export \"" + action.field + "\"";
      return out;
    }
    if (action.kind == WastAction::Kind::Get) {
      if (ext->kind != ExternKind::Global) {
        out.error = "export is not a global";
        return out;
      }
      out.types.push_back(ext->global()->type.type);
      out.values.push_back(ext->global()->value);
      return out;
    }
    if (ext->kind != ExternKind::Func) {
      out.error = "export is not a function";
      return out;
    }
    FunctionInst& func = *ext->func();
    if (action.args.size() != func.type->params.size()) {
      out.error = "wrong number of arguments";
      return out;
    }
    std::vector<Value> args;
    for (const WastValue& v : action.args) args.push_back(to_value(v));
    out.types = func.type->results;
    out.values.assign(out.types.size(), default_value());
    out.trap = executor_->call(func, args, out.values);
    return out;
  }

  static bool trap_message_matches(const std::string& actual, const std::string& expected) {
    return actual.rfind(expected, 0) == 0 || expected.rfind(actual, 0) == 0;
  }

  // ---- commands ----
  void define_module(const WastCommand& cmd) {
    auto module = load(*cmd.module);
    if (!module) {
      fail("module failed to load: " + module.error().to_string());
      current_ = nullptr;
      return;
    }
    auto shared = std::make_shared<const Module>(std::move(*module));
    if (cmd.module->definition) {
      if (cmd.module->name) definitions_[*cmd.module->name] = shared;
      pass();
      return;
    }
    auto inst = instantiate_module(shared);
    if (!inst) {
      fail("module failed to instantiate: " + inst.error().message);
      current_ = nullptr;
      return;
    }
    current_ = *inst;
    if (cmd.module->name) instances_[*cmd.module->name] = current_;
    pass();
  }

  void run_command(const WastCommand& cmd) {
    using Kind = WastCommand::Kind;
    switch (cmd.kind) {
      case Kind::Module:
        define_module(cmd);
        return;
      case Kind::ModuleInstance: {
        auto def = cmd.instance_of ? definitions_.find(*cmd.instance_of) : definitions_.end();
        if (def == definitions_.end()) return fail("module instance: unknown definition");
        auto inst = instantiate_module(def->second);
        if (!inst) return fail("module instance failed: " + inst.error().message);
        current_ = *inst;
        if (cmd.instance) instances_[*cmd.instance] = current_;
        return pass();
      }
      case Kind::Register: {
        Instance* inst = instance_named(cmd.instance);
        if (!inst) return fail("register: no such module instance");
        registered_[cmd.name] = inst;
        return;
      }
      case Kind::Action: {
        Outcome o = perform(*cmd.action);
        if (!o.error.empty()) return fail("action: " + o.error);
        if (o.trap) return fail("action trapped: " + o.trap->message);
        return pass();
      }
      case Kind::AssertReturn:
        return assert_return(cmd);
      case Kind::AssertTrap:
      case Kind::AssertExhaustion: {
        if (cmd.module) return assert_module_fails(cmd, ErrorKind::Trap);
        Outcome o = perform(*cmd.action);
        if (!o.error.empty()) return fail("assert_trap: " + o.error);
        if (!o.trap) return fail("expected trap \"" + cmd.message + "\", got a result");
        if (!trap_message_matches(o.trap->message, cmd.message)) {
          return fail("expected trap \"" + cmd.message + "\", got \"" + o.trap->message + "\"");
        }
        return pass();
      }
      case Kind::AssertException: {
        // The exception reaches the host as a trap that carries it (runtime/trap.hpp).
        Outcome o = perform(*cmd.action);
        if (!o.error.empty()) return fail("assert_exception: " + o.error);
        if (!o.trap) return fail("expected an exception, got a result");
        if (o.trap->kind != TrapKind::UncaughtException || !o.trap->exception) {
          return fail("expected an exception, got trap \"" + o.trap->message + "\"");
        }
        return pass();
      }
      case Kind::AssertMalformed:
      case Kind::AssertInvalid: {
        auto module = load(*cmd.module);
        if (module) {
          return fail(std::string(cmd.kind == Kind::AssertMalformed ? "assert_malformed"
                                                                    : "assert_invalid") +
                      ": module was accepted, expected \"" + cmd.message + "\"");
        }
        return pass();
      }
      case Kind::AssertUnlinkable:
        return assert_module_fails(cmd, ErrorKind::Link);
      case Kind::AssertUninstantiable:
        return assert_module_fails(cmd, ErrorKind::Trap);
    }
  }

  void assert_module_fails(const WastCommand& cmd, ErrorKind expected) {
    auto module = load(*cmd.module);
    if (!module) return fail("module failed to load: " + module.error().to_string());
    auto inst = instantiate_module(std::make_shared<const Module>(std::move(*module)));
    if (inst) return fail("module instantiated, expected \"" + cmd.message + "\"");
    if (inst.error().kind != expected) {
      return fail("expected \"" + cmd.message + "\", got \"" + inst.error().message + "\"");
    }
    pass();
  }

  void assert_return(const WastCommand& cmd) {
    Outcome o = perform(*cmd.action);
    if (!o.error.empty()) return fail("assert_return: " + o.error);
    if (o.trap) return fail("assert_return: unexpected trap \"" + o.trap->message + "\"");
    if (o.values.size() != cmd.results.size()) {
      return fail("assert_return: expected " + std::to_string(cmd.results.size()) +
                  " results, got " + std::to_string(o.values.size()));
    }
    for (size_t i = 0; i < o.values.size(); ++i) {
      bool ok = false;
      for (const WastValue& alternative : cmd.results[i].alternatives) {
        ok |= matches(alternative, o.types[i], o.values[i]);
      }
      if (!ok) {
        return fail("assert_return \"" + cmd.action->field + "\": result " + std::to_string(i) +
                    " is " + describe(o.types[i], o.values[i]));
      }
    }
    pass();
  }

  std::string path_;
  const RunOptions& options_;
  FILE* out_;
  uint32_t line_ = 0;
  RunSummary summary_;
  Store store_;
  std::unique_ptr<Executor> executor_;
  SpectestModule spectest_;
  Instance* current_ = nullptr;
  std::map<std::string, Instance*> instances_;
  std::map<std::string, Instance*> registered_;
  std::map<std::string, std::shared_ptr<const Module>> definitions_;
  std::deque<uint64_t> extern_objects_;
  std::map<uint64_t, void*> extern_by_number_;
};

}  // namespace

RunSummary run_wast_file(const std::string& path, const RunOptions& options, FILE* out) {
  auto bytes = read_input_file(path);  // at most the module-bytes limit, as every input
  if (!bytes) {
    std::fprintf(out, "%s: %s\n%s: 0 passed, 1 failed\n", path.c_str(),
                 bytes.error().message.c_str(), path.c_str());
    return RunSummary{0, 1};
  }
  const std::string_view source(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  return run_wast_source(source, path, options, out);
}

RunSummary run_wast_source(std::string_view source, const std::string& path,
                           const RunOptions& options, FILE* out) {
  RunSummary summary;
  auto script = text::parse_wast(source);
  if (!script) {
    std::fprintf(out, "  %s: %s\n%s: 0 passed, 1 failed\n", path.c_str(),
                 script.error().to_string().c_str(), path.c_str());
    summary.failed = 1;
    return summary;
  }
  Runner runner(path, options, out);
  summary = runner.run(*script);
  std::fprintf(out, "%s: %zu passed, %zu failed\n", path.c_str(), summary.passed, summary.failed);
  return summary;
}

}  // namespace loom::wast
