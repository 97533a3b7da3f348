// The C API's runtime objects (wasm.h): store, references and host info, values, traps and
// frames, foreign objects, modules, functions, globals, tables, memories, externs, instances.
#include <unistd.h>

#include <cstring>

#include "api/c_state.hpp"

using namespace loom::capi;

wasm_store_t::~wasm_store_t() {
  for (auto& [object, info] : host_info) {
    if (info.finalizer) info.finalizer(info.info);
  }
  for (const HostInfo& env : env_finalizers) env.finalizer(env.info);
  for (int fd : owned_fds) close(fd);
}

namespace loom::capi {

void destroy(wasm_ref_t* ref) {
  switch (ref->kind) {
    case RefKind::Func:
      std::unique_ptr<wasm_func_t>{static_cast<wasm_func_t*>(ref)};
      return;
    case RefKind::Global:
      std::unique_ptr<wasm_global_t>{static_cast<wasm_global_t*>(ref)};
      return;
    case RefKind::Table:
      std::unique_ptr<wasm_table_t>{static_cast<wasm_table_t*>(ref)};
      return;
    case RefKind::Memory:
      std::unique_ptr<wasm_memory_t>{static_cast<wasm_memory_t*>(ref)};
      return;
    case RefKind::Instance:
      std::unique_ptr<wasm_instance_t>{static_cast<wasm_instance_t*>(ref)};
      return;
    case RefKind::Foreign:
      std::unique_ptr<wasm_foreign_t>{static_cast<wasm_foreign_t*>(ref)};
      return;
    case RefKind::Module:
    case RefKind::Trap:
      // Not store-owned: the last reference finalizes the host info.
      if (ref->local_info && ref->local_info.use_count() == 1 && ref->local_info->finalizer) {
        ref->local_info->finalizer(ref->local_info->info);
      }
      if (ref->kind == RefKind::Module) {
        std::unique_ptr<wasm_module_t>{static_cast<wasm_module_t*>(ref)};
      } else {
        std::unique_ptr<wasm_trap_t>{static_cast<wasm_trap_t*>(ref)};
      }
      return;
  }
}

namespace {
template <typename T>
wasm_ref_t* clone(const wasm_ref_t* ref) {
  return std::make_unique<T>(*static_cast<const T*>(ref)).release();
}
}  // namespace

wasm_ref_t* copy(const wasm_ref_t* ref) {
  switch (ref->kind) {
    case RefKind::Func:
      return clone<wasm_func_t>(ref);
    case RefKind::Global:
      return clone<wasm_global_t>(ref);
    case RefKind::Table:
      return clone<wasm_table_t>(ref);
    case RefKind::Memory:
      return clone<wasm_memory_t>(ref);
    case RefKind::Instance:
      return clone<wasm_instance_t>(ref);
    case RefKind::Foreign:
      return clone<wasm_foreign_t>(ref);
    case RefKind::Module:
      return clone<wasm_module_t>(ref);
    case RefKind::Trap:
      return clone<wasm_trap_t>(ref);
  }
  return nullptr;
}

wasm_extern_t* make_extern(wasm_store_t* store, const Extern& ext) {
  switch (ext.kind()) {
    case ExternKind::Func:
      return make_ref<wasm_func_t>(RefKind::Func, store, ext.object());
    case ExternKind::Global:
      return make_ref<wasm_global_t>(RefKind::Global, store, ext.object());
    case ExternKind::Table:
      return make_ref<wasm_table_t>(RefKind::Table, store, ext.object());
    default:
      return make_ref<wasm_memory_t>(RefKind::Memory, store, ext.object());
  }
}

std::optional<Extern> to_cpp(const wasm_extern_t* ext) {
  if (!ext) return std::nullopt;
  void* object = const_cast<void*>(ext->object);
  auto* state = ext->store->state();
  switch (ext->kind) {
    case RefKind::Func:
      return Extern(Func(state, object));
    case RefKind::Global:
      return Extern(Global(state, object));
    case RefKind::Table:
      return Extern(Table(state, object));
    case RefKind::Memory:
      return Extern(Memory(state, object));
    default:
      return std::nullopt;
  }
}

Val ref_to_val(const wasm_ref_t* ref, ValKind kind, wasm_store_t* store) {
  if (!ref) return Val::null(kind);
  if (kind == ValKind::FuncRef) {
    if (ref->kind != RefKind::Func) return Val::null(kind);
    return Val(Func(ref->store->state(), const_cast<void*>(ref->object)));
  }
  store->extern_kinds[ref->object] = ref->kind;
  return Val::externref(const_cast<void*>(ref->object));
}

namespace {
wasm_ref_t* val_to_ref(const Val& v, wasm_store_t* store) {
  if (v.kind() == ValKind::FuncRef) {
    auto f = v.funcref();
    return f ? make_ref<wasm_func_t>(RefKind::Func, store, f->object()) : nullptr;
  }
  void* p = v.externref();
  if (!p) return nullptr;
  auto it = store->extern_kinds.find(p);
  const RefKind kind = it == store->extern_kinds.end() ? RefKind::Foreign : it->second;
  switch (kind) {
    case RefKind::Func:
    case RefKind::Global:
    case RefKind::Table:
    case RefKind::Memory:
      return make_extern(store, kind == RefKind::Func     ? Extern(Func(store->state(), p))
                                : kind == RefKind::Global ? Extern(Global(store->state(), p))
                                : kind == RefKind::Table  ? Extern(Table(store->state(), p))
                                                          : Extern(Memory(store->state(), p)));
    case RefKind::Instance:
      return make_ref<wasm_instance_t>(kind, store, p);
    default:
      return make_ref<wasm_foreign_t>(RefKind::Foreign, store, p);
  }
}
}  // namespace

Val to_cpp(const wasm_val_t& v, wasm_store_t* store) {
  switch (v.kind) {
    case WASM_I32:
      return Val(v.of.i32);
    case WASM_I64:
      return Val(v.of.i64);
    case WASM_F32:
      return Val(v.of.f32);
    case WASM_F64:
      return Val(v.of.f64);
    case WASM_FUNCREF:
      return ref_to_val(v.of.ref, ValKind::FuncRef, store);
    default:
      return ref_to_val(v.of.ref, ValKind::ExternRef, store);
  }
}

wasm_val_t to_c(const Val& v, wasm_store_t* store) {
  wasm_val_t out;
  out.kind = to_c(v.kind());
  out.of.i64 = 0;
  switch (v.kind()) {
    case ValKind::I32:
      out.of.i32 = v.i32();
      break;
    case ValKind::I64:
      out.of.i64 = v.i64();
      break;
    case ValKind::F32:
      out.of.f32 = v.f32();
      break;
    case ValKind::F64:
      out.of.f64 = v.f64();
      break;
    case ValKind::FuncRef:
    case ValKind::ExternRef:
      out.of.ref = val_to_ref(v, store);
      break;
    case ValKind::V128:
      break;
  }
  return out;
}

wasm_trap_t* make_trap(wasm_store_t* store, const Error& error) {
  wasm_trap_t* trap = make_ref<wasm_trap_t>(RefKind::Trap, store, nullptr);
  trap->object = trap;
  trap->trap = error.trap() ? *error.trap() : Trap(TrapKind::HostError, error.message());
  return trap;
}

}  // namespace loom::capi

namespace {

HostInfo* info_of(const wasm_ref_t* ref, bool create) {
  if (ref->kind == RefKind::Module || ref->kind == RefKind::Trap) {
    auto* r = const_cast<wasm_ref_t*>(ref);
    if (!r->local_info && create) r->local_info = std::make_shared<HostInfo>();
    return r->local_info.get();
  }
  auto& map = ref->store->host_info;
  if (create) return &map[ref->object];
  auto it = map.find(ref->object);
  return it == map.end() ? nullptr : &it->second;
}

template <typename T>
T* as(const wasm_ref_t* ref) {
  return static_cast<T*>(const_cast<wasm_ref_t*>(ref));
}

}  // namespace

extern "C" {

// Store.

wasm_store_t* wasm_store_new(wasm_engine_t* engine) {
  auto store = std::make_unique<wasm_store_t>(engine);
  // The C API has no notion of an instance budget: programs such as finalize.c make 100,000s.
  StoreLimits limits;
  limits.max_instances = UINT32_MAX;
  store->store.set_limits(limits);
  return store.release();
}
void wasm_store_delete(wasm_store_t* store) {
  std::unique_ptr<wasm_store_t>{store};
}

// References: the functions every reference type has.

#define LOOM_REF_BASE_IMPL(name)                                                  \
  void wasm_##name##_delete(wasm_##name##_t* r) {                                 \
    if (r) destroy(r);                                                            \
  }                                                                               \
  wasm_##name##_t* wasm_##name##_copy(const wasm_##name##_t* r) {                 \
    return r ? as<wasm_##name##_t>(copy(r)) : nullptr;                            \
  }                                                                               \
  bool wasm_##name##_same(const wasm_##name##_t* a, const wasm_##name##_t* b) {   \
    return a == b || (a && b && a->object == b->object);                          \
  }                                                                               \
  void* wasm_##name##_get_host_info(const wasm_##name##_t* r) {                   \
    const HostInfo* info = info_of(r, false);                                     \
    return info ? info->info : nullptr;                                           \
  }                                                                               \
  void wasm_##name##_set_host_info(wasm_##name##_t* r, void* info) {              \
    *info_of(r, true) = HostInfo{info, nullptr};                                  \
  }                                                                               \
  void wasm_##name##_set_host_info_with_finalizer(wasm_##name##_t* r, void* info, \
                                                  void (*finalizer)(void*)) {     \
    *info_of(r, true) = HostInfo{info, finalizer};                                \
  }

#define LOOM_REF_IMPL(name, matches)                                          \
  LOOM_REF_BASE_IMPL(name)                                                    \
  wasm_ref_t* wasm_##name##_as_ref(wasm_##name##_t* r) {                      \
    return r;                                                                 \
  }                                                                           \
  const wasm_ref_t* wasm_##name##_as_ref_const(const wasm_##name##_t* r) {    \
    return r;                                                                 \
  }                                                                           \
  wasm_##name##_t* wasm_ref_as_##name(wasm_ref_t* r) {                        \
    return r && (matches) ? static_cast<wasm_##name##_t*>(r) : nullptr;       \
  }                                                                           \
  const wasm_##name##_t* wasm_ref_as_##name##_const(const wasm_ref_t* r) {    \
    return r && (matches) ? static_cast<const wasm_##name##_t*>(r) : nullptr; \
  }

LOOM_REF_BASE_IMPL(ref)
LOOM_REF_IMPL(trap, r->kind == RefKind::Trap)
LOOM_REF_IMPL(foreign, r->kind == RefKind::Foreign)
LOOM_REF_IMPL(module, r->kind == RefKind::Module)
LOOM_REF_IMPL(func, r->kind == RefKind::Func)
LOOM_REF_IMPL(global, r->kind == RefKind::Global)
LOOM_REF_IMPL(table, r->kind == RefKind::Table)
LOOM_REF_IMPL(memory, r->kind == RefKind::Memory)
LOOM_REF_IMPL(extern, r->kind <= RefKind::Memory)
LOOM_REF_IMPL(instance, r->kind == RefKind::Instance)

// Values.

void wasm_val_delete(wasm_val_t* v) {
  if (wasm_valkind_is_ref(v->kind) && v->of.ref) {
    wasm_ref_delete(v->of.ref);
    v->of.ref = nullptr;
  }
}

void wasm_val_copy(wasm_val_t* out, const wasm_val_t* in) {
  *out = *in;
  if (wasm_valkind_is_ref(in->kind) && in->of.ref) out->of.ref = wasm_ref_copy(in->of.ref);
}

// Frames and traps.

wasm_frame_t* wasm_frame_copy(const wasm_frame_t* f) {
  return std::make_unique<wasm_frame_t>(*f).release();
}
void wasm_frame_delete(wasm_frame_t* f) {
  std::unique_ptr<wasm_frame_t>{f};
}
wasm_instance_t* wasm_frame_instance(const wasm_frame_t*) {
  return nullptr;  // frames do not record their instance yet
}
uint32_t wasm_frame_func_index(const wasm_frame_t* f) {
  return f->frame.func_index;
}
size_t wasm_frame_func_offset(const wasm_frame_t* f) {
  return f->frame.func_offset;
}
size_t wasm_frame_module_offset(const wasm_frame_t* f) {
  return f->frame.module_offset;
}

wasm_trap_t* wasm_trap_new(wasm_store_t* store, const wasm_message_t* message) {
  std::string text(message->data ? message->data : "", message->size);
  if (!text.empty() && text.back() == '\0') text.pop_back();
  return make_trap(store, Error(Trap(TrapKind::HostError, std::move(text))));
}

void wasm_trap_message(const wasm_trap_t* trap, wasm_message_t* out) {
  const std::string& text = trap->trap->message();
  wasm_byte_vec_new_uninitialized(out, text.size() + 1);
  std::memcpy(out->data, text.c_str(), text.size() + 1);
}

wasm_frame_t* wasm_trap_origin(const wasm_trap_t* trap) {
  const auto& frames = trap->trap->backtrace();
  return frames.empty() ? nullptr
                        : std::make_unique<wasm_frame_t>(wasm_frame_t{frames[0]}).release();
}

void wasm_trap_trace(const wasm_trap_t* trap, wasm_frame_vec_t* out) {
  const auto& frames = trap->trap->backtrace();
  wasm_frame_vec_new_uninitialized(out, frames.size());
  for (size_t i = 0; i < frames.size(); ++i) {
    out->data[i] = std::make_unique<wasm_frame_t>(wasm_frame_t{frames[i]}).release();
  }
}

// Foreign objects: a store-owned node gives each its identity.

wasm_foreign_t* wasm_foreign_new(wasm_store_t* store) {
  store->foreign_nodes.push_back(std::make_unique<char>());
  const void* node = store->foreign_nodes.back().get();
  store->extern_kinds[node] = RefKind::Foreign;
  return make_ref<wasm_foreign_t>(RefKind::Foreign, store, node);
}

// Modules.

namespace {
wasm_module_t* make_module(wasm_store_t* store, Module module) {
  wasm_module_t* m = make_ref<wasm_module_t>(RefKind::Module, store, &module.state());
  m->module = std::move(module);
  return m;
}
std::span<const uint8_t> bytes_of(const wasm_byte_vec_t* v) {
  return {reinterpret_cast<const uint8_t*>(v->data), v->size};
}
void names_of(wasm_name_t* out, const std::string& s) {
  wasm_byte_vec_new(out, s.size(), s.data());
}
}  // namespace

wasm_module_t* wasm_module_new(wasm_store_t* store, const wasm_byte_vec_t* binary) {
  auto module = Module::compile(store->engine, bytes_of(binary));
  return module ? make_module(store, std::move(*module)) : nullptr;
}

bool wasm_module_validate(wasm_store_t* store, const wasm_byte_vec_t* binary) {
  return Module::validate(store->engine, bytes_of(binary)).ok();
}

void wasm_module_imports(const wasm_module_t* module, wasm_importtype_vec_t* out) {
  auto imports = module->module->imports();
  wasm_importtype_vec_new_uninitialized(out, imports.size());
  for (size_t i = 0; i < imports.size(); ++i) {
    wasm_name_t mod, name;
    names_of(&mod, imports[i].module);
    names_of(&name, imports[i].name);
    out->data[i] = wasm_importtype_new(&mod, &name, to_c(imports[i].type));
  }
}

void wasm_module_exports(const wasm_module_t* module, wasm_exporttype_vec_t* out) {
  auto exports = module->module->exports();
  wasm_exporttype_vec_new_uninitialized(out, exports.size());
  for (size_t i = 0; i < exports.size(); ++i) {
    wasm_name_t name;
    names_of(&name, exports[i].name);
    out->data[i] = wasm_exporttype_new(&name, to_c(exports[i].type));
  }
}

void wasm_module_serialize(const wasm_module_t* module, wasm_byte_vec_t* out) {
  std::vector<uint8_t> bytes = module->module->serialize();
  wasm_byte_vec_new(out, bytes.size(), reinterpret_cast<const char*>(bytes.data()));
}

wasm_module_t* wasm_module_deserialize(wasm_store_t* store, const wasm_byte_vec_t* bytes) {
  auto module = Module::deserialize(store->engine, bytes_of(bytes));
  return module ? make_module(store, std::move(*module)) : nullptr;
}

void wasm_shared_module_delete(wasm_shared_module_t* shared) {
  std::unique_ptr<wasm_shared_module_t>{shared};
}
wasm_shared_module_t* wasm_module_share(const wasm_module_t* module) {
  return std::make_unique<wasm_shared_module_t>(wasm_shared_module_t{*module->module}).release();
}
wasm_module_t* wasm_module_obtain(wasm_store_t* store, const wasm_shared_module_t* shared) {
  return make_module(store, shared->module);
}

// Functions.

namespace {

wasm_func_t* new_host_func(wasm_store_t* store, const wasm_functype_t* type,
                           wasm_func_callback_t callback, wasm_func_callback_with_env_t with_env,
                           void* env) {
  HostFunc host = [store, callback, with_env, env](Caller&, std::span<const Val> args,
                                                   std::span<Val> results) -> Status {
    constexpr size_t kInline = 8;
    wasm_val_t in_inline[kInline], out_inline[kInline];
    std::vector<wasm_val_t> in_heap, out_heap;
    wasm_val_t* in = in_inline;
    wasm_val_t* out = out_inline;
    if (args.size() > kInline) {
      in_heap.resize(args.size());
      in = in_heap.data();
    }
    if (results.size() > kInline) {
      out_heap.resize(results.size());
      out = out_heap.data();
    }
    for (size_t i = 0; i < args.size(); ++i) in[i] = to_c(args[i], store);
    for (size_t i = 0; i < results.size(); ++i) {
      out[i].kind = to_c(results[i].kind());
      out[i].of.i64 = 0;
    }
    wasm_val_vec_t arg_vec{args.size(), in}, result_vec{results.size(), out};
    wasm_trap_t* trap =
        callback ? callback(&arg_vec, &result_vec) : with_env(env, &arg_vec, &result_vec);
    for (size_t i = 0; i < args.size(); ++i) wasm_val_delete(&in[i]);
    Status status = Ok{};
    if (trap) {
      status = Error(*trap->trap);
      wasm_trap_delete(trap);
    } else {
      for (size_t i = 0; i < results.size(); ++i) results[i] = to_cpp(out[i], store);
    }
    for (size_t i = 0; i < results.size(); ++i) wasm_val_delete(&out[i]);
    return status;
  };
  Func f = Func::create(store->store, to_cpp(*type), std::move(host));
  return make_ref<wasm_func_t>(RefKind::Func, store, f.object());
}

Func func_of(const wasm_ref_t* r) {
  return Func(r->store->state(), const_cast<void*>(r->object));
}
Global global_of(const wasm_ref_t* r) {
  return Global(r->store->state(), const_cast<void*>(r->object));
}
Table table_of(const wasm_ref_t* r) {
  return Table(r->store->state(), const_cast<void*>(r->object));
}
Memory memory_of(const wasm_ref_t* r) {
  return Memory(r->store->state(), const_cast<void*>(r->object));
}

}  // namespace

wasm_func_t* wasm_func_new(wasm_store_t* store, const wasm_functype_t* type,
                           wasm_func_callback_t callback) {
  return new_host_func(store, type, callback, nullptr, nullptr);
}

wasm_func_t* wasm_func_new_with_env(wasm_store_t* store, const wasm_functype_t* type,
                                    wasm_func_callback_with_env_t callback, void* env,
                                    void (*finalizer)(void*)) {
  if (finalizer) store->env_finalizers.push_back(HostInfo{env, finalizer});
  return new_host_func(store, type, nullptr, callback, env);
}

wasm_functype_t* wasm_func_type(const wasm_func_t* f) {
  return to_c(func_of(f).type());
}
size_t wasm_func_param_arity(const wasm_func_t* f) {
  return func_of(f).type().params.size();
}
size_t wasm_func_result_arity(const wasm_func_t* f) {
  return func_of(f).type().results.size();
}

wasm_trap_t* wasm_func_call(const wasm_func_t* f, const wasm_val_vec_t* args,
                            wasm_val_vec_t* results) {
  Func func = func_of(f);
  wasm_store_t* store = f->store;
  const size_t nargs = args ? args->size : 0;
  const size_t nresults = func.type().results.size();
  if (nresults > (results ? results->size : 0)) {
    return make_trap(store, Error(ErrorKind::Usage, "too few result slots"));
  }
  std::vector<Val> in;
  in.reserve(nargs);
  for (size_t i = 0; i < nargs; ++i) in.push_back(to_cpp(args->data[i], store));
  std::vector<Val> out(nresults);
  Status status = func.call(in, out);
  if (!status) return make_trap(store, status.error());
  for (size_t i = 0; i < nresults; ++i) results->data[i] = to_c(out[i], store);
  return nullptr;
}

// Globals.

wasm_global_t* wasm_global_new(wasm_store_t* store, const wasm_globaltype_t* type,
                               const wasm_val_t* value) {
  const ValKind kind = to_kind(type->content->kind);
  Val v = to_cpp(*value, store);
  auto global = Global::create(store->store, {kind, type->mutability == WASM_VAR}, v);
  return global ? make_ref<wasm_global_t>(RefKind::Global, store, global->object()) : nullptr;
}

wasm_globaltype_t* wasm_global_type(const wasm_global_t* g) {
  GlobalType t = global_of(g).type();
  return wasm_globaltype_new(wasm_valtype_new(to_c(t.content)),
                             t.is_mutable ? WASM_VAR : WASM_CONST);
}

void wasm_global_get(const wasm_global_t* g, wasm_val_t* out) {
  *out = to_c(global_of(g).get(), g->store);
}

void wasm_global_set(wasm_global_t* g, const wasm_val_t* value) {
  (void)global_of(g).set(to_cpp(*value, g->store));
}

// Tables.

wasm_table_t* wasm_table_new(wasm_store_t* store, const wasm_tabletype_t* type, wasm_ref_t* init) {
  const ValKind kind = to_kind(type->element->kind);
  auto table = Table::create(store->store, {kind, to_cpp(type->limits), false},
                             ref_to_val(init, kind, store));
  return table ? make_ref<wasm_table_t>(RefKind::Table, store, table->object()) : nullptr;
}

wasm_tabletype_t* wasm_table_type(const wasm_table_t* t) {
  TableType type = table_of(t).type();
  const wasm_limits_t limits = to_c(type.limits);
  return wasm_tabletype_new(wasm_valtype_new(to_c(type.element)), &limits);
}

wasm_ref_t* wasm_table_get(const wasm_table_t* t, wasm_table_size_t index) {
  auto v = table_of(t).get(index);
  return v ? to_c(*v, t->store).of.ref : nullptr;
}

bool wasm_table_set(wasm_table_t* t, wasm_table_size_t index, wasm_ref_t* ref) {
  Table table = table_of(t);
  return table.set(index, ref_to_val(ref, table.type().element, t->store)).ok();
}

wasm_table_size_t wasm_table_size(const wasm_table_t* t) {
  return static_cast<wasm_table_size_t>(table_of(t).size());
}

bool wasm_table_grow(wasm_table_t* t, wasm_table_size_t delta, wasm_ref_t* init) {
  Table table = table_of(t);
  return table.grow(delta, ref_to_val(init, table.type().element, t->store)).ok();
}

// Memories.

wasm_memory_t* wasm_memory_new(wasm_store_t* store, const wasm_memorytype_t* type) {
  auto memory = Memory::create(store->store, {to_cpp(type->limits), false});
  return memory ? make_ref<wasm_memory_t>(RefKind::Memory, store, memory->object()) : nullptr;
}

wasm_memorytype_t* wasm_memory_type(const wasm_memory_t* m) {
  const wasm_limits_t limits = to_c(memory_of(m).type().limits);
  return wasm_memorytype_new(&limits);
}

byte_t* wasm_memory_data(wasm_memory_t* m) {
  return reinterpret_cast<byte_t*>(memory_of(m).data());
}
size_t wasm_memory_data_size(const wasm_memory_t* m) {
  return static_cast<size_t>(memory_of(m).data_size());
}
wasm_memory_pages_t wasm_memory_size(const wasm_memory_t* m) {
  return static_cast<wasm_memory_pages_t>(memory_of(m).pages());
}
bool wasm_memory_grow(wasm_memory_t* m, wasm_memory_pages_t delta) {
  return memory_of(m).grow(delta).ok();
}

// Externs.

wasm_externkind_t wasm_extern_kind(const wasm_extern_t* e) {
  switch (e->kind) {
    case RefKind::Global:
      return WASM_EXTERN_GLOBAL;
    case RefKind::Table:
      return WASM_EXTERN_TABLE;
    case RefKind::Memory:
      return WASM_EXTERN_MEMORY;
    default:
      return WASM_EXTERN_FUNC;
  }
}

wasm_externtype_t* wasm_extern_type(const wasm_extern_t* e) {
  auto ext = to_cpp(e);
  return ext ? to_c(ext->type()) : nullptr;
}

#define LOOM_EXTERN_CASTS(name, kind_value)                                               \
  wasm_extern_t* wasm_##name##_as_extern(wasm_##name##_t* x) {                            \
    return x;                                                                             \
  }                                                                                       \
  const wasm_extern_t* wasm_##name##_as_extern_const(const wasm_##name##_t* x) {          \
    return x;                                                                             \
  }                                                                                       \
  wasm_##name##_t* wasm_extern_as_##name(wasm_extern_t* e) {                              \
    return e && e->kind == kind_value ? static_cast<wasm_##name##_t*>(e) : nullptr;       \
  }                                                                                       \
  const wasm_##name##_t* wasm_extern_as_##name##_const(const wasm_extern_t* e) {          \
    return e && e->kind == kind_value ? static_cast<const wasm_##name##_t*>(e) : nullptr; \
  }

LOOM_EXTERN_CASTS(func, RefKind::Func)
LOOM_EXTERN_CASTS(global, RefKind::Global)
LOOM_EXTERN_CASTS(table, RefKind::Table)
LOOM_EXTERN_CASTS(memory, RefKind::Memory)

// Instances.

wasm_instance_t* wasm_instance_new(wasm_store_t* store, const wasm_module_t* module,
                                   const wasm_extern_vec_t* imports, wasm_trap_t** trap) {
  if (trap) *trap = nullptr;
  std::vector<Extern> externs;
  const size_t n = imports ? imports->size : 0;
  externs.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    auto ext = to_cpp(imports->data[i]);
    if (!ext) {
      if (trap)
        *trap =
            make_trap(store, Error(ErrorKind::Link, "import " + std::to_string(i) + " is null"));
      return nullptr;
    }
    externs.push_back(*ext);
  }
  auto instance = Instance::create(store->store, *module->module, externs);
  if (!instance) {
    if (trap) *trap = make_trap(store, instance.error());
    return nullptr;
  }
  return make_ref<wasm_instance_t>(RefKind::Instance, store, instance->object());
}

void wasm_instance_exports(const wasm_instance_t* instance, wasm_extern_vec_t* out) {
  Instance inst(instance->store->state(), const_cast<void*>(instance->object));
  auto exports = inst.exports();
  wasm_extern_vec_new_uninitialized(out, exports.size());
  for (size_t i = 0; i < exports.size(); ++i) {
    out->data[i] = make_extern(instance->store, exports[i].second);
  }
}

}  // extern "C"
