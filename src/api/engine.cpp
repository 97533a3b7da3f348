// Engine, Module and the type conversions of the public API.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "api/state.hpp"
#include "binary/decoder.hpp"
#include "binary/encoder.hpp"
#include "text/wat.hpp"
#include "valid/validator.hpp"

namespace loom::api {
namespace detail {

loom::ValType to_internal(ValKind kind) {
  switch (kind) {
    case ValKind::I32:
      return loom::ValKind::I32;
    case ValKind::I64:
      return loom::ValKind::I64;
    case ValKind::F32:
      return loom::ValKind::F32;
    case ValKind::F64:
      return loom::ValKind::F64;
    case ValKind::V128:
      return loom::ValKind::V128;
    case ValKind::FuncRef:
      return loom::ValType::funcref();
    case ValKind::ExternRef:
      return loom::ValType::externref();
  }
  return loom::ValKind::I32;
}

ValKind to_public(const loom::ValType& type) {
  switch (type.kind) {
    case loom::ValKind::I32:
      return ValKind::I32;
    case loom::ValKind::I64:
      return ValKind::I64;
    case loom::ValKind::F32:
      return ValKind::F32;
    case loom::ValKind::F64:
      return ValKind::F64;
    case loom::ValKind::V128:
      return ValKind::V128;
    default:
      // Typed function references are funcrefs to an embedder; everything else is opaque.
      return type.heap.is(AbsHeap::Func) || type.heap.is(AbsHeap::NoFunc) || type.heap.is_index()
                 ? ValKind::FuncRef
                 : ValKind::ExternRef;
  }
}

loom::FuncType to_internal(const FuncType& type) {
  loom::FuncType out;
  for (ValKind k : type.params) out.params.push_back(to_internal(k));
  for (ValKind k : type.results) out.results.push_back(to_internal(k));
  return out;
}

FuncType to_public(const loom::FuncType& type) {
  FuncType out;
  for (const loom::ValType& t : type.params) out.params.push_back(to_public(t));
  for (const loom::ValType& t : type.results) out.results.push_back(to_public(t));
  return out;
}

loom::Limits to_internal(const Limits& limits, bool is64) {
  loom::Limits out;
  out.min = limits.min;
  out.max = limits.max;
  out.is64 = is64;
  return out;
}

Limits to_public(const loom::Limits& limits) {
  return Limits{limits.min, limits.max};
}
MemoryType to_public(const loom::MemoryType& type) {
  return MemoryType{to_public(type.limits), type.limits.is64};
}
TableType to_public(const loom::TableType& type) {
  return TableType{to_public(type.elem), to_public(type.limits), type.limits.is64};
}
GlobalType to_public(const loom::GlobalType& type) {
  return GlobalType{to_public(type.type), type.is_mutable};
}

Error to_public(const loom::Error& error) {
  ErrorKind kind = ErrorKind::Other;
  switch (error.kind) {
    case loom::ErrorKind::Malformed:
      kind = ErrorKind::Malformed;
      break;
    case loom::ErrorKind::Invalid:
      kind = ErrorKind::Invalid;
      break;
    case loom::ErrorKind::Link:
      kind = ErrorKind::Link;
      break;
    case loom::ErrorKind::Trap:
      return Error(Trap(TrapKind::HostError, error.message));
    case loom::ErrorKind::Exhaustion:
      kind = ErrorKind::Limit;
      break;
    case loom::ErrorKind::Io:
      kind = ErrorKind::Io;
      break;
    case loom::ErrorKind::Other:
      break;
  }
  if (kind == ErrorKind::Other && error.line) kind = ErrorKind::Malformed;  // a text syntax error
  if (error.message.find("limit exceeded") != std::string::npos) kind = ErrorKind::Limit;
  return Error(kind, error.to_string(),
               ErrorLocation{error.offset, error.func, error.line, error.col});
}

namespace {

ExternType import_type(const loom::Module& m, const loom::Import& imp) {
  ExternType t;
  t.kind = static_cast<ExternKind>(imp.kind);
  switch (imp.kind) {
    case loom::ExternKind::Func:
    case loom::ExternKind::Tag:
      if (imp.func_type < m.types.size()) t.func = to_public(m.types[imp.func_type]);
      break;
    case loom::ExternKind::Table:
      t.table = to_public(imp.table);
      break;
    case loom::ExternKind::Memory:
      t.memory = to_public(imp.memory);
      break;
    case loom::ExternKind::Global:
      t.global = to_public(imp.global);
      break;
  }
  return t;
}

ExternType export_type(const loom::Module& m, const loom::Export& exp) {
  ExternType t;
  t.kind = static_cast<ExternKind>(exp.kind);
  switch (exp.kind) {
    case loom::ExternKind::Func:
      t.func = to_public(m.func_type(exp.index));
      break;
    case loom::ExternKind::Table:
      t.table = to_public(m.table_type(exp.index));
      break;
    case loom::ExternKind::Memory:
      t.memory = to_public(m.memory_type(exp.index));
      break;
    case loom::ExternKind::Global:
      t.global = to_public(m.global_type(exp.index));
      break;
    case loom::ExternKind::Tag:
      break;
  }
  return t;
}

}  // namespace
}  // namespace detail

std::string to_string(ValKind kind) {
  return loom::to_string(detail::to_internal(kind));
}
std::string to_string(const FuncType& type) {
  std::string out = "(";
  for (size_t i = 0; i < type.params.size(); ++i) {
    out += (i ? ", " : "") + to_string(type.params[i]);
  }
  out += ") -> (";
  for (size_t i = 0; i < type.results.size(); ++i) {
    out += (i ? ", " : "") + to_string(type.results[i]);
  }
  return out + ")";
}

Tier default_tier() {
  return jit::default_tier() == jit::Tier::Jit ? Tier::Jit : Tier::Interp;
}

std::vector<FeatureInfo> all_features() {
  std::vector<FeatureInfo> out;
  const Features defaults;
  for (unsigned i = 1; i < static_cast<unsigned>(Feature::Count_); ++i) {
    const auto feature = static_cast<Feature>(i);
    out.push_back(FeatureInfo{std::string(feature_flag(feature)), defaults.has(feature),
                              feature_interpreted(feature)});
  }
  return out;
}

Engine::Engine() : Engine(*create(EngineConfig{})) {}

Result<Engine> Engine::create(const EngineConfig& config) {
  auto state = std::make_shared<detail::EngineState>();
  state->config = config;
  for (const auto& [flag, on] : config.features) {
    std::optional<Feature> feature = feature_from_flag(flag);
    if (!feature) return Error(ErrorKind::Usage, "unknown feature \"" + flag + "\"");
    if (on && config.execute && !feature_interpreted(*feature)) {
      return Error(ErrorKind::Usage, flag + " is not supported by the interpreter yet");
    }
    state->features.set(*feature, on);
  }
  switch (config.tier) {
    case Tier::Default:
      state->tier = jit::default_tier();
      break;
    case Tier::Interp:
      state->tier = jit::Tier::Interp;
      break;
    case Tier::Jit:
      if (!jit::jit_available()) {
        return Error(ErrorKind::Usage, "the JIT tier does not run on this machine");
      }
      state->tier = jit::Tier::Jit;
      break;
  }
  return Engine(std::move(state));
}

const EngineConfig& Engine::config() const {
  return state_->config;
}
Tier Engine::tier() const {
  return state_->tier == jit::Tier::Jit ? Tier::Jit : Tier::Interp;
}

Result<Module> Module::compile(const Engine& engine, std::span<const uint8_t> binary) {
  loom::Result<loom::Module> module = decode_module(binary, engine.state().features);
  if (!module) return detail::to_public(module.error());
  if (loom::Status valid = validate_module(*module, engine.state().features); !valid) {
    return detail::to_public(valid.error());
  }
  auto state = std::make_shared<detail::ModuleState>();
  state->module = std::make_shared<const loom::Module>(std::move(*module));
  state->engine = engine.state_;
  return Module(std::move(state));
}

Result<Module> Module::compile_wat(const Engine& engine, std::string_view text) {
  loom::Result<loom::Module> module = parse_wat(text, engine.state().features);
  if (!module) return detail::to_public(module.error());
  if (loom::Status valid = validate_module(*module, engine.state().features); !valid) {
    return detail::to_public(valid.error());
  }
  auto state = std::make_shared<detail::ModuleState>();
  state->module = std::make_shared<const loom::Module>(std::move(*module));
  state->engine = engine.state_;
  return Module(std::move(state));
}

Result<Module> Module::from_bytes(const Engine& engine, std::span<const uint8_t> bytes) {
  static constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6d};
  if (bytes.size() >= 4 && std::memcmp(bytes.data(), kMagic, 4) == 0) {
    return compile(engine, bytes);
  }
  return compile_wat(engine,
                     std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

Result<Module> Module::from_file(const Engine& engine, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorKind::Io, path + ": cannot open: " + std::strerror(errno));
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (in.bad()) return Error(ErrorKind::Io, path + ": cannot read");
  return from_bytes(engine, bytes);
}

Status Module::validate(const Engine& engine, std::span<const uint8_t> binary) {
  Result<Module> module = compile(engine, binary);
  if (!module) return module.error();
  return Ok{};
}

std::vector<ImportType> Module::imports() const {
  const loom::Module& m = *state_->module;
  std::vector<ImportType> out;
  out.reserve(m.imports.size());
  for (const loom::Import& imp : m.imports) {
    out.push_back(ImportType{imp.module, imp.field, detail::import_type(m, imp)});
  }
  return out;
}

std::vector<ExportType> Module::exports() const {
  const loom::Module& m = *state_->module;
  std::vector<ExportType> out;
  out.reserve(m.exports.size());
  for (const loom::Export& exp : m.exports) {
    out.push_back(ExportType{exp.name, detail::export_type(m, exp)});
  }
  return out;
}

std::vector<uint8_t> Module::serialize() const {
  return encode_module(*state_->module);
}

Result<Module> Module::deserialize(const Engine& engine, std::span<const uint8_t> bytes) {
  return compile(engine, bytes);
}

}  // namespace loom::api
