// The C API's objects (wasm.h, wasi.h, loom.h) and their conversions to the C++ API.
#pragma once
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "loom.h"
#include "loom/loom.hpp"

namespace loom::capi {

using namespace ::loom::api;

struct HostInfo {
  void* info = nullptr;
  void (*finalizer)(void*) = nullptr;
};

// Which object a wasm_ref_t is.
enum class RefKind : uint8_t { Func, Global, Table, Memory, Instance, Foreign, Module, Trap };

// Storage for vectors: trivially copyable elements only (bytes, values, pointers).
template <typename T>
T* allocate(size_t n) {
  return n ? static_cast<T*>(std::calloc(n, sizeof(T))) : nullptr;
}

ValKind to_kind(wasm_valkind_t kind);
wasm_valkind_t to_c(ValKind kind);
FuncType to_cpp(const wasm_functype_t& type);
wasm_functype_t* to_c(const FuncType& type);
wasm_externtype_t* to_c(const ExternType& type);
Limits to_cpp(const wasm_limits_t& limits);
wasm_limits_t to_c(const Limits& limits);

}  // namespace loom::capi

struct wasm_config_t {
  loom::api::EngineConfig config;
};
struct wasm_engine_t {
  loom::api::Engine engine;
};

struct wasm_valtype_t {
  wasm_valkind_t kind;
};
struct wasm_externtype_t {
  wasm_externkind_t kind;
};
struct wasm_functype_t : wasm_externtype_t {
  wasm_valtype_vec_t params{0, nullptr};
  wasm_valtype_vec_t results{0, nullptr};
};
struct wasm_globaltype_t : wasm_externtype_t {
  wasm_valtype_t* content = nullptr;
  wasm_mutability_t mutability = WASM_CONST;
};
struct wasm_tabletype_t : wasm_externtype_t {
  wasm_valtype_t* element = nullptr;
  wasm_limits_t limits{0, 0};
};
struct wasm_memorytype_t : wasm_externtype_t {
  wasm_limits_t limits{0, 0};
};
struct wasm_tagtype_t : wasm_externtype_t {
  wasm_functype_t* functype = nullptr;
};
struct wasm_importtype_t {
  wasm_name_t module{0, nullptr};
  wasm_name_t name{0, nullptr};
  wasm_externtype_t* type = nullptr;
};
struct wasm_exporttype_t {
  wasm_name_t name{0, nullptr};
  wasm_externtype_t* type = nullptr;
};

struct wasm_store_t {
  explicit wasm_store_t(wasm_engine_t* e) : engine(e->engine), store(e->engine) {}
  ~wasm_store_t();
  loom::api::Engine engine;
  loom::api::Store store;
  // Host info of the store's objects, by identity (runtime object or foreign node); finalized
  // with the store.
  std::unordered_map<const void*, loom::capi::HostInfo> host_info;
  // What an externref's identity is (a foreign object, or another object passed as externref).
  std::unordered_map<const void*, loom::capi::RefKind> extern_kinds;
  std::vector<std::unique_ptr<char>> foreign_nodes;
  std::vector<loom::capi::HostInfo> env_finalizers;  // of wasm_func_new_with_env
  std::vector<int> owned_fds;                        // WASI streams opened for this store's guests

  loom::api::detail::StoreState* state() { return &store.state(); }
};

// Every runtime object is a reference; the derived types add nothing, so the casts of wasm.h
// (wasm_func_as_extern, wasm_func_as_ref, ...) are pointer conversions.
struct wasm_ref_t {
  loom::capi::RefKind kind = loom::capi::RefKind::Foreign;
  wasm_store_t* store = nullptr;
  const void* object = nullptr;  // identity: the runtime object, foreign node, module or trap
  std::optional<loom::api::Module> module;
  std::optional<loom::api::Trap> trap;
  std::shared_ptr<loom::capi::HostInfo> local_info;  // modules and traps (not store-owned)
};
struct wasm_extern_t : wasm_ref_t {};
struct wasm_func_t : wasm_extern_t {};
struct wasm_global_t : wasm_extern_t {};
struct wasm_table_t : wasm_extern_t {};
struct wasm_memory_t : wasm_extern_t {};
struct wasm_instance_t : wasm_ref_t {};
struct wasm_foreign_t : wasm_ref_t {};
struct wasm_module_t : wasm_ref_t {};
struct wasm_trap_t : wasm_ref_t {};

struct wasm_shared_module_t {
  loom::api::Module module;
};
struct wasm_frame_t {
  loom::api::Frame frame;
};

struct wasi_config_t {
  loom::api::WasiConfig config;
  // Streams opened by wasi_config_set_*_file / set_stdin_bytes; -1 = the default (none).
  int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;
  bool inherit_stdin = false, inherit_stdout = false, inherit_stderr = false;
  ~wasi_config_t();
};

namespace loom::capi {

// A new reference of dynamic type T.
template <typename T>
T* make_ref(RefKind kind, wasm_store_t* store, const void* object) {
  auto ref = std::make_unique<T>();
  ref->kind = kind;
  ref->store = store;
  ref->object = object;
  return ref.release();
}
void destroy(wasm_ref_t* ref);  // deletes as its dynamic type
wasm_ref_t* copy(const wasm_ref_t* ref);

wasm_extern_t* make_extern(wasm_store_t* store, const Extern& ext);
std::optional<Extern> to_cpp(const wasm_extern_t* ext);
Val to_cpp(const wasm_val_t& v, wasm_store_t* store);
wasm_val_t to_c(const Val& v, wasm_store_t* store);
// A reference as a value of `kind` (FuncRef or ExternRef).
Val ref_to_val(const wasm_ref_t* ref, ValKind kind, wasm_store_t* store);
wasm_trap_t* make_trap(wasm_store_t* store, const Error& error);

}  // namespace loom::capi
