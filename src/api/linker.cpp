// Linker: imports resolved by (module, name) from host functions, store objects and WASI.
#include <csignal>
#include <map>

#include "api/state.hpp"

namespace loom::api {
namespace detail {

struct Definition {
  std::optional<Extern> item;  // a store object, or else a host function:
  FuncType type;
  RawHostFunc host;
};

struct LinkerState {
  explicit LinkerState(const Engine& e) : engine(e) {}
  Engine engine;
  std::map<std::pair<std::string, std::string>, Definition> definitions;
  std::optional<WasiConfig> wasi;
  bool shadowing = false;

  Status add(std::string_view module, std::string_view name, Definition definition) {
    auto key = std::make_pair(std::string(module), std::string(name));
    if (!shadowing && definitions.count(key)) {
      return Error(ErrorKind::Link, "`" + key.first + "::" + key.second + "` is already defined");
    }
    definitions[std::move(key)] = std::move(definition);
    return Ok{};
  }
};

// A WASI context with `c` (SIGPIPE ignored: a write to a closed pipe or socket must fail with
// EPIPE for the guest, not kill the host).
Result<std::unique_ptr<wasi::WasiContext>> make_wasi_context(const WasiConfig& c) {
  std::signal(SIGPIPE, SIG_IGN);
  wasi::WasiConfig config;
  config.args = c.args;
  config.env = c.env;
  for (const auto& p : c.preopens) {
    config.preopens.push_back(wasi::Preopen{p.host_path, p.guest_path, p.read_only});
  }
  config.sockets = c.sockets;
  config.stdin_fd = c.stdin_fd;
  config.stdout_fd = c.stdout_fd;
  config.stderr_fd = c.stderr_fd;
  auto made = wasi::WasiContext::create(std::move(config));
  if (!made) return to_public(made.error());
  return std::move(*made);
}

// Binds `context` to a new instance: its exported "memory" becomes the guest memory of WASI
// calls, and wasi_exit_code finds the context through the instance.
void bind_wasi(StoreState& s, wasi::WasiContext* context, const Instance& instance) {
  if (auto memory = instance.get_memory("memory")) {
    context->bind_memory(static_cast<const loom::MemoryInst*>(memory->object()));
  }
  s.wasi_of[static_cast<const loom::Instance*>(instance.object())] = context;
}

// A linker with WASI alone resolves as the WASI context does: every import must be a WASI
// function of its exact type, and a Link error names the import and why ("unknown import:
// "env" "f": no module of that name is provided ...").
Result<Instance> instantiate_wasi_only(StoreState& s, const Module& module, const WasiConfig& c) {
  auto context = make_wasi_context(c);
  if (!context) return context.error();
  auto externs = (*context)->resolve_imports(s.store, *module.state().module);
  if (!externs) return to_public(externs.error());
  wasi::WasiContext* raw = context->get();
  s.wasi.push_back(std::move(*context));
  return s.instantiate(module, *externs,
                       [&](const Instance& instance) { bind_wasi(s, raw, instance); });
}

}  // namespace detail

Linker::Linker(const Engine& engine) : state_(std::make_unique<detail::LinkerState>(engine)) {}
Linker::~Linker() = default;
Linker::Linker(const Linker& other)
    : state_(std::make_unique<detail::LinkerState>(*other.state_)) {}
Linker& Linker::operator=(const Linker& other) {
  state_ = std::make_unique<detail::LinkerState>(*other.state_);
  return *this;
}
Linker::Linker(Linker&&) noexcept = default;
Linker& Linker::operator=(Linker&&) noexcept = default;

void Linker::allow_shadowing(bool allow) {
  state_->shadowing = allow;
}

Status Linker::func_new_raw(std::string_view module, std::string_view name, const FuncType& type,
                            RawHostFunc host) {
  return state_->add(module, name, detail::Definition{std::nullopt, type, std::move(host)});
}

Status Linker::func_new(std::string_view module, std::string_view name, const FuncType& type,
                        HostFunc host) {
  // The Val-based form, adapted as Func::create does, with the importing instance as caller.
  RawHostFunc raw = [type, host = std::move(host)](Caller& caller, std::span<const RawVal> args,
                                                   std::span<RawVal> results) -> Status {
    std::vector<Val> in, out;
    for (size_t i = 0; i < args.size(); ++i) {
      in.push_back(Val::from_raw(type.params[i], args[i], caller.store_state()));
    }
    for (ValKind k : type.results) out.push_back(Val::zero(k));
    if (Status status = host(caller, in, out); !status) return status;
    for (size_t i = 0; i < results.size(); ++i) {
      if (out[i].kind() != type.results[i]) {
        return Error(ErrorKind::Usage, "host function result " + std::to_string(i) + " has type " +
                                           to_string(out[i].kind()));
      }
      results[i] = out[i].raw();
    }
    return Ok{};
  };
  return func_new_raw(module, name, type, std::move(raw));
}

Status Linker::define(std::string_view module, std::string_view name, const Extern& item) {
  return state_->add(module, name, detail::Definition{item, {}, {}});
}

Status Linker::define_instance(std::string_view module, const Instance& instance) {
  for (const auto& [name, ext] : instance.exports()) {
    if (Status ok = define(module, name, ext); !ok) return ok;
  }
  return Ok{};
}

Status Linker::define_wasi(WasiConfig config) {
  if (state_->wasi && !state_->shadowing) {
    return Error(ErrorKind::Link, "WASI is already defined");
  }
  state_->wasi = std::move(config);
  return Ok{};
}

Result<Instance> Linker::instantiate(Store& store, const Module& module) const {
  detail::StoreState& s = store.state();
  const loom::Module& m = *module.state().module;
  if (state_->definitions.empty() && state_->wasi && !m.imports.empty()) {
    return detail::instantiate_wasi_only(s, module, *state_->wasi);
  }
  auto cell = std::make_unique<Instance>();
  Instance* caller = cell.get();
  bool needs_caller = false;
  std::unique_ptr<wasi::WasiContext> wasi_context;
  std::vector<loom::Extern> externs;
  externs.reserve(m.imports.size());
  for (const loom::Import& imp : m.imports) {
    auto it = state_->definitions.find(std::make_pair(imp.module, imp.field));
    if (it != state_->definitions.end()) {
      const detail::Definition& d = it->second;
      if (d.item) {
        if (d.item->store_state() != &s) {
          return Error(ErrorKind::Link,
                       "`" + imp.module + "::" + imp.field + "` belongs to another store");
        }
        externs.push_back(detail::to_internal(*d.item));
      } else {
        externs.push_back(
            loom::Extern{loom::ExternKind::Func, s.make_host(d.type, d.host, caller)});
        needs_caller = true;
      }
      continue;
    }
    if (state_->wasi && imp.module == wasi::kModuleName) {
      if (!wasi_context) {
        auto made = detail::make_wasi_context(*state_->wasi);
        if (!made) return made.error();
        wasi_context = std::move(*made);
      }
      loom::FunctionInst* f =
          imp.kind == loom::ExternKind::Func ? wasi_context->function(s.store, imp.field) : nullptr;
      if (!f) {
        return Error(ErrorKind::Link, "unknown import: `" + imp.module + "::" + imp.field +
                                          "` is not a WASI preview 1 function");
      }
      externs.push_back(loom::Extern{loom::ExternKind::Func, f});
      continue;
    }
    return Error(ErrorKind::Link,
                 "unknown import: `" + imp.module + "::" + imp.field + "` has not been defined");
  }
  // Both live as long as the store: host functions made above point to them.
  if (needs_caller) s.caller_cells.push_back(std::move(cell));
  wasi::WasiContext* context = wasi_context.get();
  if (wasi_context) s.wasi.push_back(std::move(wasi_context));
  return s.instantiate(module, externs, [&](const Instance& instance) {
    *caller = instance;
    if (context) detail::bind_wasi(s, context, instance);
  });
}

std::optional<uint32_t> wasi_exit_code(const Instance& instance) {
  detail::StoreState* s = instance.store_state();
  if (!s) return std::nullopt;
  auto it = s->wasi_of.find(static_cast<const loom::Instance*>(instance.object()));
  return it == s->wasi_of.end() ? std::nullopt : it->second->exit_code();
}

}  // namespace loom::api
