// The C API's vectors, types, configuration and engine (wasm.h).
#include <cstring>

#include "api/c_state.hpp"

using namespace loom::capi;

namespace loom::capi {

ValKind to_kind(wasm_valkind_t kind) {
  switch (kind) {
    case WASM_I32:
      return ValKind::I32;
    case WASM_I64:
      return ValKind::I64;
    case WASM_F32:
      return ValKind::F32;
    case WASM_F64:
      return ValKind::F64;
    case WASM_FUNCREF:
      return ValKind::FuncRef;
    default:
      return ValKind::ExternRef;
  }
}

wasm_valkind_t to_c(ValKind kind) {
  switch (kind) {
    case ValKind::I32:
      return WASM_I32;
    case ValKind::I64:
      return WASM_I64;
    case ValKind::F32:
      return WASM_F32;
    case ValKind::F64:
      return WASM_F64;
    case ValKind::FuncRef:
      return WASM_FUNCREF;
    case ValKind::ExternRef:
      return WASM_EXTERNREF;
    case ValKind::V128:
      break;
  }
  return 4;  // v128 has no kind in wasm.h
}

FuncType to_cpp(const wasm_functype_t& type) {
  FuncType out;
  for (size_t i = 0; i < type.params.size; ++i)
    out.params.push_back(to_kind(type.params.data[i]->kind));
  for (size_t i = 0; i < type.results.size; ++i) {
    out.results.push_back(to_kind(type.results.data[i]->kind));
  }
  return out;
}

namespace {
void fill(wasm_valtype_vec_t* out, const std::vector<ValKind>& kinds) {
  wasm_valtype_vec_new_uninitialized(out, kinds.size());
  for (size_t i = 0; i < kinds.size(); ++i) out->data[i] = wasm_valtype_new(to_c(kinds[i]));
}
}  // namespace

wasm_functype_t* to_c(const FuncType& type) {
  auto out = std::make_unique<wasm_functype_t>();
  out->kind = WASM_EXTERN_FUNC;
  fill(&out->params, type.params);
  fill(&out->results, type.results);
  return out.release();
}

Limits to_cpp(const wasm_limits_t& limits) {
  Limits out{limits.min, std::nullopt};
  if (limits.max != wasm_limits_max_default) out.max = limits.max;
  return out;
}

wasm_limits_t to_c(const Limits& limits) {
  const auto clamp = [](uint64_t v) {
    return v > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(v);
  };
  return wasm_limits_t{clamp(limits.min),
                       limits.max ? clamp(*limits.max) : wasm_limits_max_default};
}

wasm_externtype_t* to_c(const ExternType& type) {
  switch (type.kind) {
    case ExternKind::Func:
      return to_c(type.func);
    case ExternKind::Global:
      return wasm_globaltype_as_externtype(
          wasm_globaltype_new(wasm_valtype_new(to_c(type.global.content)),
                              type.global.is_mutable ? WASM_VAR : WASM_CONST));
    case ExternKind::Table: {
      const wasm_limits_t limits = to_c(type.table.limits);
      return wasm_tabletype_as_externtype(
          wasm_tabletype_new(wasm_valtype_new(to_c(type.table.element)), &limits));
    }
    case ExternKind::Memory: {
      const wasm_limits_t limits = to_c(type.memory.limits);
      return wasm_memorytype_as_externtype(wasm_memorytype_new(&limits));
    }
    case ExternKind::Tag:
      break;
  }
  return wasm_tagtype_as_externtype(wasm_tagtype_new(to_c(type.func)));
}

}  // namespace loom::capi

// Vectors. Elements are bytes, values or pointers; an own vector owns its elements.

#define LOOM_VEC_IMPL(name, type, copy_element, delete_element)                          \
  void wasm_##name##_vec_new_empty(wasm_##name##_vec_t* out) {                           \
    out->size = 0;                                                                       \
    out->data = nullptr;                                                                 \
  }                                                                                      \
  void wasm_##name##_vec_new_uninitialized(wasm_##name##_vec_t* out, size_t size) {      \
    out->size = size;                                                                    \
    out->data = allocate<type>(size);                                                    \
  }                                                                                      \
  void wasm_##name##_vec_new(wasm_##name##_vec_t* out, size_t size, type const data[]) { \
    wasm_##name##_vec_new_uninitialized(out, size);                                      \
    if (size) std::memcpy(out->data, data, size * sizeof(type));                         \
  }                                                                                      \
  void wasm_##name##_vec_copy(wasm_##name##_vec_t* out, const wasm_##name##_vec_t* in) { \
    wasm_##name##_vec_new_uninitialized(out, in->size);                                  \
    for (size_t i = 0; i < in->size; ++i) copy_element(&out->data[i], &in->data[i]);     \
  }                                                                                      \
  void wasm_##name##_vec_delete(wasm_##name##_vec_t* v) {                                \
    for (size_t i = 0; i < v->size && v->data; ++i) delete_element(&v->data[i]);         \
    std::free(v->data);                                                                  \
    v->size = 0;                                                                         \
    v->data = nullptr;                                                                   \
  }

namespace {
void copy_byte(wasm_byte_t* out, const wasm_byte_t* in) {
  *out = *in;
}
void delete_byte(wasm_byte_t*) {}
void delete_val(wasm_val_t* v) {
  wasm_val_delete(v);
}
}  // namespace

#define LOOM_PTR_VEC_IMPL(name)                                               \
  namespace {                                                                 \
  void copy_##name##_ptr(wasm_##name##_t** out, wasm_##name##_t* const* in) { \
    *out = *in ? wasm_##name##_copy(*in) : nullptr;                           \
  }                                                                           \
  void delete_##name##_ptr(wasm_##name##_t** p) {                             \
    if (*p) wasm_##name##_delete(*p);                                         \
  }                                                                           \
  }                                                                           \
  LOOM_VEC_IMPL(name, wasm_##name##_t*, copy_##name##_ptr, delete_##name##_ptr)

extern "C" {

LOOM_VEC_IMPL(byte, wasm_byte_t, copy_byte, delete_byte)
LOOM_VEC_IMPL(val, wasm_val_t, wasm_val_copy, delete_val)
LOOM_PTR_VEC_IMPL(valtype)
LOOM_PTR_VEC_IMPL(functype)
LOOM_PTR_VEC_IMPL(globaltype)
LOOM_PTR_VEC_IMPL(tabletype)
LOOM_PTR_VEC_IMPL(memorytype)
LOOM_PTR_VEC_IMPL(tagtype)
LOOM_PTR_VEC_IMPL(externtype)
LOOM_PTR_VEC_IMPL(importtype)
LOOM_PTR_VEC_IMPL(exporttype)
LOOM_PTR_VEC_IMPL(frame)
LOOM_PTR_VEC_IMPL(extern)

// Configuration and engine.

wasm_config_t* wasm_config_new(void) {
  return std::make_unique<wasm_config_t>().release();
}
void wasm_config_delete(wasm_config_t* config) {
  std::unique_ptr<wasm_config_t>{config};
}

wasm_engine_t* wasm_engine_new(void) {
  return std::make_unique<wasm_engine_t>().release();
}
wasm_engine_t* wasm_engine_new_with_config(wasm_config_t* config) {
  std::unique_ptr<wasm_config_t> owned(config);
  auto engine = Engine::create(owned ? owned->config : EngineConfig{});
  if (!engine) return nullptr;
  return std::make_unique<wasm_engine_t>(wasm_engine_t{*engine}).release();
}
void wasm_engine_delete(wasm_engine_t* engine) {
  std::unique_ptr<wasm_engine_t>{engine};
}

// Value types.

wasm_valtype_t* wasm_valtype_new(wasm_valkind_t kind) {
  return std::make_unique<wasm_valtype_t>(wasm_valtype_t{kind}).release();
}
wasm_valtype_t* wasm_valtype_copy(const wasm_valtype_t* t) {
  return wasm_valtype_new(t->kind);
}
void wasm_valtype_delete(wasm_valtype_t* t) {
  std::unique_ptr<wasm_valtype_t>{t};
}
wasm_valkind_t wasm_valtype_kind(const wasm_valtype_t* t) {
  return t->kind;
}

// Function types.

wasm_functype_t* wasm_functype_new(wasm_valtype_vec_t* params, wasm_valtype_vec_t* results) {
  auto t = std::make_unique<wasm_functype_t>();
  t->kind = WASM_EXTERN_FUNC;
  t->params = *params;  // takes the vectors
  t->results = *results;
  return t.release();
}
wasm_functype_t* wasm_functype_copy(const wasm_functype_t* t) {
  auto out = std::make_unique<wasm_functype_t>();
  out->kind = WASM_EXTERN_FUNC;
  wasm_valtype_vec_copy(&out->params, &t->params);
  wasm_valtype_vec_copy(&out->results, &t->results);
  return out.release();
}
void wasm_functype_delete(wasm_functype_t* t) {
  if (!t) return;
  wasm_valtype_vec_delete(&t->params);
  wasm_valtype_vec_delete(&t->results);
  std::unique_ptr<wasm_functype_t>{t};
}
const wasm_valtype_vec_t* wasm_functype_params(const wasm_functype_t* t) {
  return &t->params;
}
const wasm_valtype_vec_t* wasm_functype_results(const wasm_functype_t* t) {
  return &t->results;
}

// Global types.

wasm_globaltype_t* wasm_globaltype_new(wasm_valtype_t* content, wasm_mutability_t mutability) {
  auto t = std::make_unique<wasm_globaltype_t>();
  t->kind = WASM_EXTERN_GLOBAL;
  t->content = content;
  t->mutability = mutability;
  return t.release();
}
wasm_globaltype_t* wasm_globaltype_copy(const wasm_globaltype_t* t) {
  return wasm_globaltype_new(wasm_valtype_copy(t->content), t->mutability);
}
void wasm_globaltype_delete(wasm_globaltype_t* t) {
  if (!t) return;
  wasm_valtype_delete(t->content);
  std::unique_ptr<wasm_globaltype_t>{t};
}
const wasm_valtype_t* wasm_globaltype_content(const wasm_globaltype_t* t) {
  return t->content;
}
wasm_mutability_t wasm_globaltype_mutability(const wasm_globaltype_t* t) {
  return t->mutability;
}

// Table types.

wasm_tabletype_t* wasm_tabletype_new(wasm_valtype_t* element, const wasm_limits_t* limits) {
  auto t = std::make_unique<wasm_tabletype_t>();
  t->kind = WASM_EXTERN_TABLE;
  t->element = element;
  t->limits = *limits;
  return t.release();
}
wasm_tabletype_t* wasm_tabletype_copy(const wasm_tabletype_t* t) {
  return wasm_tabletype_new(wasm_valtype_copy(t->element), &t->limits);
}
void wasm_tabletype_delete(wasm_tabletype_t* t) {
  if (!t) return;
  wasm_valtype_delete(t->element);
  std::unique_ptr<wasm_tabletype_t>{t};
}
const wasm_valtype_t* wasm_tabletype_element(const wasm_tabletype_t* t) {
  return t->element;
}
const wasm_limits_t* wasm_tabletype_limits(const wasm_tabletype_t* t) {
  return &t->limits;
}

// Memory types.

wasm_memorytype_t* wasm_memorytype_new(const wasm_limits_t* limits) {
  auto t = std::make_unique<wasm_memorytype_t>();
  t->kind = WASM_EXTERN_MEMORY;
  t->limits = *limits;
  return t.release();
}
wasm_memorytype_t* wasm_memorytype_copy(const wasm_memorytype_t* t) {
  return wasm_memorytype_new(&t->limits);
}
void wasm_memorytype_delete(wasm_memorytype_t* t) {
  std::unique_ptr<wasm_memorytype_t>{t};
}
const wasm_limits_t* wasm_memorytype_limits(const wasm_memorytype_t* t) {
  return &t->limits;
}

// Tag types.

wasm_tagtype_t* wasm_tagtype_new(wasm_functype_t* functype) {
  auto t = std::make_unique<wasm_tagtype_t>();
  t->kind = WASM_EXTERN_TAG;
  t->functype = functype;
  return t.release();
}
wasm_tagtype_t* wasm_tagtype_copy(const wasm_tagtype_t* t) {
  return wasm_tagtype_new(wasm_functype_copy(t->functype));
}
void wasm_tagtype_delete(wasm_tagtype_t* t) {
  if (!t) return;
  wasm_functype_delete(t->functype);
  std::unique_ptr<wasm_tagtype_t>{t};
}
const wasm_functype_t* wasm_tagtype_functype(const wasm_tagtype_t* t) {
  return t->functype;
}

// Extern types: each kind's type is an extern type.

wasm_externkind_t wasm_externtype_kind(const wasm_externtype_t* t) {
  return t->kind;
}

#define LOOM_EXTERNTYPE_CASTS(name, kind_value)                                           \
  wasm_externtype_t* wasm_##name##_as_externtype(wasm_##name##_t* t) {                    \
    return t;                                                                             \
  }                                                                                       \
  const wasm_externtype_t* wasm_##name##_as_externtype_const(const wasm_##name##_t* t) {  \
    return t;                                                                             \
  }                                                                                       \
  wasm_##name##_t* wasm_externtype_as_##name(wasm_externtype_t* t) {                      \
    return t && t->kind == kind_value ? static_cast<wasm_##name##_t*>(t) : nullptr;       \
  }                                                                                       \
  const wasm_##name##_t* wasm_externtype_as_##name##_const(const wasm_externtype_t* t) {  \
    return t && t->kind == kind_value ? static_cast<const wasm_##name##_t*>(t) : nullptr; \
  }

LOOM_EXTERNTYPE_CASTS(functype, WASM_EXTERN_FUNC)
LOOM_EXTERNTYPE_CASTS(globaltype, WASM_EXTERN_GLOBAL)
LOOM_EXTERNTYPE_CASTS(tabletype, WASM_EXTERN_TABLE)
LOOM_EXTERNTYPE_CASTS(memorytype, WASM_EXTERN_MEMORY)
LOOM_EXTERNTYPE_CASTS(tagtype, WASM_EXTERN_TAG)

wasm_externtype_t* wasm_externtype_copy(const wasm_externtype_t* t) {
  switch (t->kind) {
    case WASM_EXTERN_FUNC:
      return wasm_functype_copy(static_cast<const wasm_functype_t*>(t));
    case WASM_EXTERN_GLOBAL:
      return wasm_globaltype_copy(static_cast<const wasm_globaltype_t*>(t));
    case WASM_EXTERN_TABLE:
      return wasm_tabletype_copy(static_cast<const wasm_tabletype_t*>(t));
    case WASM_EXTERN_MEMORY:
      return wasm_memorytype_copy(static_cast<const wasm_memorytype_t*>(t));
    default:
      return wasm_tagtype_copy(static_cast<const wasm_tagtype_t*>(t));
  }
}

void wasm_externtype_delete(wasm_externtype_t* t) {
  if (!t) return;
  switch (t->kind) {
    case WASM_EXTERN_FUNC:
      return wasm_functype_delete(static_cast<wasm_functype_t*>(t));
    case WASM_EXTERN_GLOBAL:
      return wasm_globaltype_delete(static_cast<wasm_globaltype_t*>(t));
    case WASM_EXTERN_TABLE:
      return wasm_tabletype_delete(static_cast<wasm_tabletype_t*>(t));
    case WASM_EXTERN_MEMORY:
      return wasm_memorytype_delete(static_cast<wasm_memorytype_t*>(t));
    default:
      return wasm_tagtype_delete(static_cast<wasm_tagtype_t*>(t));
  }
}

// Import and export types.

wasm_importtype_t* wasm_importtype_new(wasm_name_t* module, wasm_name_t* name,
                                       wasm_externtype_t* type) {
  auto t = std::make_unique<wasm_importtype_t>();
  t->module = *module;
  t->name = *name;
  t->type = type;
  return t.release();
}
wasm_importtype_t* wasm_importtype_copy(const wasm_importtype_t* t) {
  wasm_name_t module, name;
  wasm_byte_vec_copy(&module, &t->module);
  wasm_byte_vec_copy(&name, &t->name);
  return wasm_importtype_new(&module, &name, wasm_externtype_copy(t->type));
}
void wasm_importtype_delete(wasm_importtype_t* t) {
  if (!t) return;
  wasm_byte_vec_delete(&t->module);
  wasm_byte_vec_delete(&t->name);
  wasm_externtype_delete(t->type);
  std::unique_ptr<wasm_importtype_t>{t};
}
const wasm_name_t* wasm_importtype_module(const wasm_importtype_t* t) {
  return &t->module;
}
const wasm_name_t* wasm_importtype_name(const wasm_importtype_t* t) {
  return &t->name;
}
const wasm_externtype_t* wasm_importtype_type(const wasm_importtype_t* t) {
  return t->type;
}

wasm_exporttype_t* wasm_exporttype_new(wasm_name_t* name, wasm_externtype_t* type) {
  auto t = std::make_unique<wasm_exporttype_t>();
  t->name = *name;
  t->type = type;
  return t.release();
}
wasm_exporttype_t* wasm_exporttype_copy(const wasm_exporttype_t* t) {
  wasm_name_t name;
  wasm_byte_vec_copy(&name, &t->name);
  return wasm_exporttype_new(&name, wasm_externtype_copy(t->type));
}
void wasm_exporttype_delete(wasm_exporttype_t* t) {
  if (!t) return;
  wasm_byte_vec_delete(&t->name);
  wasm_externtype_delete(t->type);
  std::unique_ptr<wasm_exporttype_t>{t};
}
const wasm_name_t* wasm_exporttype_name(const wasm_exporttype_t* t) {
  return &t->name;
}
const wasm_externtype_t* wasm_exporttype_type(const wasm_exporttype_t* t) {
  return t->type;
}

}  // extern "C"
