/* The standard C API (wasm.h) and Loom's extensions (loom.h, wasi.h), compiled as C: one test per
 * example program of the WebAssembly C API repository (hello, callback, global, memory, table,
 * trap, multi, reflect, serialize, start, threads, finalize, hostref), each doing what that
 * example does on Loom's own modules, plus fuel, limits, text input and WASI. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loom.h"
#include "wasi.h"
#include "wasm.h"

static int failures = 0;
#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

static wasm_engine_t* engine;

/* A module from WAT text (through its binary, as the examples load .wasm files). */
static wasm_module_t* compile(wasm_store_t* store, const char* wat) {
  wasm_byte_vec_t binary;
  wasm_message_t error;
  if (!loom_wat2wasm(engine, wat, strlen(wat), &binary, &error)) {
    fprintf(stderr, "wat: %s\n", error.data);
    wasm_byte_vec_delete(&error);
    ++failures;
    return NULL;
  }
  CHECK(wasm_module_validate(store, &binary));
  wasm_module_t* module = wasm_module_new(store, &binary);
  wasm_byte_vec_delete(&binary);
  CHECK(module != NULL);
  return module;
}

static wasm_func_t* export_func(const wasm_extern_vec_t* exports, size_t i) {
  CHECK(i < exports->size);
  wasm_func_t* f = wasm_extern_as_func(exports->data[i]);
  CHECK(f != NULL);
  return f;
}

static char* trap_text(wasm_trap_t* trap) {
  static char text[256];
  wasm_message_t message;
  wasm_trap_message(trap, &message);
  snprintf(text, sizeof text, "%s", message.data);
  CHECK(message.size == strlen(message.data) + 1); /* null-terminated */
  wasm_byte_vec_delete(&message);
  return text;
}

/* hello: a host function with no parameters, called from the export "run". */
static int hello_calls = 0;
static wasm_trap_t* hello_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  ++hello_calls;
  return NULL;
}

static void test_hello(void) {
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = compile(
      store,
      "(module (func $hello (import \"\" \"hello\")) (func (export \"run\") (call $hello)))");
  wasm_functype_t* type = wasm_functype_new_0_0();
  wasm_func_t* hello = wasm_func_new(store, type, hello_callback);
  wasm_functype_delete(type);
  wasm_extern_t* externs[] = {wasm_func_as_extern(hello)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_func_delete(hello);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(exports.size == 1);
  const wasm_func_t* run = export_func(&exports, 0);
  wasm_module_delete(module);
  wasm_instance_delete(instance);
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(run, &none, &none) == NULL);
  CHECK(hello_calls == 1);
  wasm_extern_vec_delete(&exports);
  wasm_store_delete(store);
}

/* callback: a host function with a value and a closure with an environment. */
static wasm_trap_t* print_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  CHECK(args->size == 1 && args->data[0].kind == WASM_I32);
  wasm_val_copy(&results->data[0], &args->data[0]);
  return NULL;
}
static int finalized_envs = 0;
static void env_finalizer(void* env) {
  (void)env;
  ++finalized_envs;
}
static wasm_trap_t* closure_callback(void* env, const wasm_val_vec_t* args,
                                     wasm_val_vec_t* results) {
  CHECK(args->size == 0);
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = *(int*)env;
  return NULL;
}

static void test_callback(void) {
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = compile(
      store,
      "(module (func $print (import \"\" \"print\") (param i32) (result i32))"
      " (func $closure (import \"\" \"closure\") (result i32))"
      " (func (export \"run\") (param $x i32) (param $y i32) (result i32)"
      "   (i32.add (call $print (i32.add (local.get $x) (local.get $y))) (call $closure))))");
  wasm_functype_t* print_type =
      wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* print = wasm_func_new(store, print_type, print_callback);
  int i = 42;
  wasm_functype_t* closure_type = wasm_functype_new_0_1(wasm_valtype_new_i32());
  wasm_func_t* closure =
      wasm_func_new_with_env(store, closure_type, closure_callback, &i, env_finalizer);
  wasm_functype_delete(print_type);
  wasm_functype_delete(closure_type);
  wasm_extern_t* externs[] = {wasm_func_as_extern(print), wasm_func_as_extern(closure)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_val_t as[2] = {WASM_I32_VAL(3), WASM_I32_VAL(4)};
  wasm_val_t rs[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as);
  wasm_val_vec_t results = WASM_ARRAY_VEC(rs);
  CHECK(wasm_func_call(export_func(&exports, 0), &args, &results) == NULL);
  CHECK(rs[0].kind == WASM_I32 && rs[0].of.i32 == 49);
  wasm_extern_vec_delete(&exports);
  wasm_func_delete(print);
  wasm_func_delete(closure);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  CHECK(finalized_envs == 0);
  wasm_store_delete(store);
  CHECK(finalized_envs == 1);
}

/* global: imported and exported globals, const and var, read and written from both sides. */
static void test_global(void) {
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = compile(
      store,
      "(module (global $f32_import (import \"\" \"const f32\") f32)"
      " (global $i64_var_import (import \"\" \"var i64\") (mut i64))"
      " (global (export \"const i32\") i32 (i32.const 5))"
      " (global $var_f64 (export \"var f64\") (mut f64) (f64.const 7))"
      " (func (export \"get f32 import\") (result f32) (global.get $f32_import))"
      " (func (export \"get i64 import\") (result i64) (global.get $i64_var_import))"
      " (func (export \"set i64 import\") (param i64) (global.set $i64_var_import (local.get 0)))"
      " (func (export \"get var f64\") (result f64) (global.get $var_f64)))");
  wasm_globaltype_t* f32_type = wasm_globaltype_new(wasm_valtype_new_f32(), WASM_CONST);
  wasm_globaltype_t* i64_type = wasm_globaltype_new(wasm_valtype_new_i64(), WASM_VAR);
  wasm_val_t one = WASM_F32_VAL(1.5f), two = WASM_I64_VAL(2);
  wasm_global_t* f32_import = wasm_global_new(store, f32_type, &one);
  wasm_global_t* i64_import = wasm_global_new(store, i64_type, &two);
  wasm_globaltype_delete(f32_type);
  wasm_globaltype_delete(i64_type);
  wasm_extern_t* externs[] = {wasm_global_as_extern(f32_import), wasm_global_as_extern(i64_import)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  CHECK(exports.size == 6);
  wasm_global_t* const_i32 = wasm_extern_as_global(exports.data[0]);
  wasm_global_t* var_f64 = wasm_extern_as_global(exports.data[1]);
  CHECK(const_i32 && var_f64);
  wasm_globaltype_t* t = wasm_global_type(const_i32);
  CHECK(wasm_valtype_kind(wasm_globaltype_content(t)) == WASM_I32);
  CHECK(wasm_globaltype_mutability(t) == WASM_CONST);
  wasm_globaltype_delete(t);

  wasm_val_t v;
  wasm_global_get(const_i32, &v);
  CHECK(v.kind == WASM_I32 && v.of.i32 == 5);
  wasm_global_get(var_f64, &v);
  CHECK(v.kind == WASM_F64 && v.of.f64 == 7);
  wasm_val_t nine = WASM_F64_VAL(9);
  wasm_global_set(var_f64, &nine);
  wasm_val_t r[1] = {WASM_INIT_VAL};
  wasm_val_vec_t results = WASM_ARRAY_VEC(r), none = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(export_func(&exports, 5), &none, &results) == NULL);
  CHECK(r[0].of.f64 == 9);
  CHECK(wasm_func_call(export_func(&exports, 2), &none, &results) == NULL);
  CHECK(r[0].kind == WASM_F32 && r[0].of.f32 == 1.5f);
  /* A write by wasm is seen by the host and the other way round. */
  wasm_val_t as[1] = {WASM_I64_VAL(77)};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as);
  CHECK(wasm_func_call(export_func(&exports, 4), &args, &none) == NULL);
  wasm_global_get(i64_import, &v);
  CHECK(v.of.i64 == 77);
  wasm_val_t eleven = WASM_I64_VAL(11);
  wasm_global_set(i64_import, &eleven);
  CHECK(wasm_func_call(export_func(&exports, 3), &none, &results) == NULL);
  CHECK(r[0].of.i64 == 11);
  wasm_extern_vec_delete(&exports);
  wasm_global_delete(f32_import);
  wasm_global_delete(i64_import);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
}

/* memory: an exported memory seen from the host, grown, out-of-bounds access trapping. */
static void test_memory(void) {
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module =
      compile(store,
              "(module (memory (export \"memory\") 2 3)"
              " (func (export \"size\") (result i32) (memory.size))"
              " (func (export \"load\") (param i32) (result i32) (i32.load8_s (local.get 0)))"
              " (func (export \"store\") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))"
              " (data (i32.const 0x1000) \"\\01\\02\\03\\04\"))");
  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_memory_t* memory = wasm_extern_as_memory(exports.data[0]);
  CHECK(memory != NULL);
  CHECK(wasm_memory_size(memory) == 2);
  CHECK(wasm_memory_data_size(memory) == 0x20000);
  CHECK(wasm_memory_data(memory)[0] == 0);
  CHECK(wasm_memory_data(memory)[0x1000] == 1);
  CHECK(wasm_memory_data(memory)[0x1003] == 4);
  wasm_val_t as[2] = {WASM_I32_VAL(0x1002), WASM_I32_VAL(0)};
  wasm_val_t r[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args1 = {1, as}, args2 = WASM_ARRAY_VEC(as), results = WASM_ARRAY_VEC(r);
  CHECK(wasm_func_call(export_func(&exports, 2), &args1, &results) == NULL);
  CHECK(r[0].of.i32 == 3);
  as[0].of.i32 = 0x20000;
  wasm_trap_t* trap = wasm_func_call(export_func(&exports, 2), &args1, &results);
  CHECK(trap != NULL);
  CHECK(trap && loom_trap_kind(trap) == LOOM_TRAP_OUT_OF_BOUNDS_MEMORY_ACCESS);
  if (trap) wasm_trap_delete(trap);
  as[0].of.i32 = 0x1002;
  as[1].of.i32 = 5;
  CHECK(wasm_func_call(export_func(&exports, 3), &args2, NULL) == NULL);
  CHECK(wasm_memory_data(memory)[0x1002] == 5);
  wasm_memory_data(memory)[0x1002] = 6;
  CHECK(wasm_func_call(export_func(&exports, 2), &args1, &results) == NULL);
  CHECK(r[0].of.i32 == 6);

  CHECK(wasm_memory_grow(memory, 1));
  CHECK(wasm_memory_size(memory) == 3);
  CHECK(wasm_memory_grow(memory, 0));
  CHECK(!wasm_memory_grow(memory, 1));
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(export_func(&exports, 1), &none, &results) == NULL);
  CHECK(r[0].of.i32 == 3);

  wasm_limits_t limits = {5, 5};
  wasm_memorytype_t* type = wasm_memorytype_new(&limits);
  wasm_memory_t* memory2 = wasm_memory_new(store, type);
  CHECK(memory2 && wasm_memory_size(memory2) == 5);
  CHECK(!wasm_memory_grow(memory2, 1));
  CHECK(wasm_memory_grow(memory2, 0));
  wasm_memorytype_delete(type);
  wasm_memory_delete(memory2);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
}

/* table: functions put into a table from the host, called indirectly; growth and bounds. */
static wasm_trap_t* neg_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  results->data[0].kind = WASM_I32;
  results->data[0].of.i32 = -args->data[0].of.i32;
  return NULL;
}

static void test_table(void) {
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = compile(
      store,
      "(module (table (export \"table\") 2 10 funcref)"
      " (type $t (func (param i32) (result i32)))"
      " (func (export \"call_indirect\") (param i32 i32) (result i32)"
      "   (call_indirect (type $t) (local.get 0) (local.get 1)))"
      " (func $f (export \"f\") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))"
      " (func $g (export \"g\") (param i32) (result i32) (i32.sub (local.get 0) (i32.const 1)))"
      " (elem (i32.const 1) $g))");
  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_table_t* table = wasm_extern_as_table(exports.data[0]);
  wasm_func_t* call_indirect = export_func(&exports, 1);
  wasm_func_t* f = export_func(&exports, 2);
  CHECK(table && wasm_table_size(table) == 2);
  wasm_ref_t* slot0 = wasm_table_get(table, 0);
  CHECK(slot0 == NULL);
  wasm_ref_t* slot1 = wasm_table_get(table, 1);
  CHECK(slot1 != NULL);
  wasm_func_t* g = export_func(&exports, 3);
  CHECK(slot1 && wasm_ref_same(slot1, wasm_func_as_ref(g)));
  if (slot1) wasm_ref_delete(slot1);
  CHECK(wasm_table_get(table, 2) == NULL);

  wasm_val_t as[2] = {WASM_I32_VAL(7), WASM_I32_VAL(1)};
  wasm_val_t r[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as), results = WASM_ARRAY_VEC(r);
  CHECK(wasm_func_call(call_indirect, &args, &results) == NULL);
  CHECK(r[0].of.i32 == 6);
  as[1].of.i32 = 0; /* null slot */
  wasm_trap_t* trap = wasm_func_call(call_indirect, &args, &results);
  CHECK(trap != NULL);
  if (trap) wasm_trap_delete(trap);

  /* A host function of the right type in slot 0; f (wrong type) traps when called. */
  wasm_functype_t* neg_type = wasm_functype_new_1_1(wasm_valtype_new_i32(), wasm_valtype_new_i32());
  wasm_func_t* h = wasm_func_new(store, neg_type, neg_callback);
  wasm_functype_delete(neg_type);
  CHECK(wasm_table_set(table, 0, wasm_func_as_ref(h)));
  CHECK(wasm_func_call(call_indirect, &args, &results) == NULL);
  CHECK(r[0].of.i32 == -7);
  CHECK(wasm_table_set(table, 0, wasm_func_as_ref(f)));
  trap = wasm_func_call(call_indirect, &args, &results);
  CHECK(trap && loom_trap_kind(trap) == LOOM_TRAP_INDIRECT_CALL_TYPE_MISMATCH);
  if (trap) wasm_trap_delete(trap);
  CHECK(!wasm_table_set(table, 2, wasm_func_as_ref(f)));
  CHECK(wasm_table_set(table, 0, NULL));

  CHECK(wasm_table_grow(table, 3, NULL));
  CHECK(wasm_table_size(table) == 5);
  CHECK(wasm_table_set(table, 4, wasm_func_as_ref(h)));
  CHECK(!wasm_table_grow(table, 6, NULL));
  CHECK(wasm_table_grow(table, 0, NULL));

  wasm_limits_t limits = {5, 5};
  wasm_tabletype_t* type = wasm_tabletype_new(wasm_valtype_new_funcref(), &limits);
  wasm_table_t* table2 = wasm_table_new(store, type, NULL);
  CHECK(table2 && wasm_table_size(table2) == 5);
  CHECK(!wasm_table_grow(table2, 1, NULL));
  wasm_tabletype_t* reflected = wasm_table_type(table2);
  CHECK(wasm_tabletype_limits(reflected)->max == 5);
  CHECK(wasm_valtype_kind(wasm_tabletype_element(reflected)) == WASM_FUNCREF);
  wasm_tabletype_delete(reflected);
  wasm_tabletype_delete(type);
  wasm_table_delete(table2);
  wasm_func_delete(h);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
}

/* trap: a host function's trap and wasm's own, with message, origin and trace. */
static wasm_store_t* trap_store;
static wasm_trap_t* fail_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  (void)args;
  (void)results;
  wasm_message_t message;
  wasm_name_new_from_string_nt(&message, "callback abort");
  wasm_trap_t* trap = wasm_trap_new(trap_store, &message);
  wasm_name_delete(&message);
  return trap;
}

static void test_trap(void) {
  wasm_store_t* store = trap_store = wasm_store_new(engine);
  wasm_module_t* module = compile(store,
                                  "(module (func $fail (import \"\" \"fail\") (result i32))"
                                  " (func (export \"callback\") (result i32) (call $fail))"
                                  " (func $u (export \"unreachable\") (result i32) unreachable)"
                                  " (func (export \"deeper\") (result i32) (call $u)))");
  wasm_functype_t* type = wasm_functype_new_0_1(wasm_valtype_new_i32());
  wasm_func_t* fail = wasm_func_new(store, type, fail_callback);
  wasm_functype_delete(type);
  wasm_extern_t* externs[] = {wasm_func_as_extern(fail)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_val_t r[1] = {WASM_INIT_VAL};
  wasm_val_vec_t none = WASM_EMPTY_VEC, results = WASM_ARRAY_VEC(r);

  wasm_trap_t* trap = wasm_func_call(export_func(&exports, 0), &none, &results);
  CHECK(trap != NULL);
  if (trap) {
    CHECK(strcmp(trap_text(trap), "callback abort") == 0);
    CHECK(loom_trap_kind(trap) == LOOM_TRAP_HOST_ERROR);
    wasm_trap_delete(trap);
  }
  trap = wasm_func_call(export_func(&exports, 2), &none, &results);
  CHECK(trap != NULL);
  if (trap) {
    CHECK(strcmp(trap_text(trap), "unreachable") == 0);
    wasm_frame_t* origin = wasm_trap_origin(trap);
    CHECK(origin != NULL);
    if (origin) {
      CHECK(wasm_frame_func_index(origin) == 2);
      CHECK(wasm_frame_module_offset(origin) > 0);
      wasm_frame_t* copy = wasm_frame_copy(origin);
      CHECK(wasm_frame_func_index(copy) == 2);
      wasm_frame_delete(copy);
      wasm_frame_delete(origin);
    }
    wasm_frame_vec_t trace;
    wasm_trap_trace(trap, &trace);
    CHECK(trace.size == 2);
    if (trace.size == 2) CHECK(wasm_frame_func_index(trace.data[1]) == 3);
    wasm_frame_vec_delete(&trace);
    wasm_trap_t* copy = wasm_trap_copy(trap);
    CHECK(wasm_trap_same(copy, trap));
    wasm_trap_delete(copy);
    wasm_trap_delete(trap);
  }
  wasm_func_delete(fail);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
}

/* multi: several parameters and results through a host function and back. */
static wasm_trap_t* multi_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  CHECK(args->size == 4 && results->size == 4);
  wasm_val_copy(&results->data[0], &args->data[3]);
  wasm_val_copy(&results->data[1], &args->data[1]);
  wasm_val_copy(&results->data[2], &args->data[2]);
  wasm_val_copy(&results->data[3], &args->data[0]);
  return NULL;
}

static void test_multi(void) {
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = compile(
      store,
      "(module (func $f (import \"\" \"f\") (param i32 i64 i64 i32) (result i32 i64 i64 i32))"
      " (func (export \"run\") (param i32 i64 i64 i32) (result i32 i64 i64 i32)"
      "   (call $f (local.get 0) (local.get 2) (local.get 1) (local.get 3))))");
  wasm_valtype_t* ps[4] = {wasm_valtype_new_i32(), wasm_valtype_new_i64(), wasm_valtype_new_i64(),
                           wasm_valtype_new_i32()};
  wasm_valtype_t* rs[4] = {wasm_valtype_new_i32(), wasm_valtype_new_i64(), wasm_valtype_new_i64(),
                           wasm_valtype_new_i32()};
  wasm_valtype_vec_t params, results_types;
  wasm_valtype_vec_new(&params, 4, ps);
  wasm_valtype_vec_new(&results_types, 4, rs);
  wasm_functype_t* type = wasm_functype_new(&params, &results_types);
  wasm_func_t* f = wasm_func_new(store, type, multi_callback);
  wasm_functype_delete(type);
  wasm_extern_t* externs[] = {wasm_func_as_extern(f)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_val_t as[4] = {WASM_I32_VAL(1), WASM_I64_VAL(2), WASM_I64_VAL(3), WASM_I32_VAL(4)};
  wasm_val_t r[4] = {WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL, WASM_INIT_VAL};
  wasm_val_vec_t args = WASM_ARRAY_VEC(as), results = WASM_ARRAY_VEC(r);
  CHECK(wasm_func_call(export_func(&exports, 0), &args, &results) == NULL);
  CHECK(r[0].kind == WASM_I32 && r[0].of.i32 == 4);
  CHECK(r[1].kind == WASM_I64 && r[1].of.i64 == 3);
  CHECK(r[2].kind == WASM_I64 && r[2].of.i64 == 2);
  CHECK(r[3].kind == WASM_I32 && r[3].of.i32 == 1);
  wasm_func_delete(f);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
}

/* reflect: the types of imports and exports, from the module and from the instance. */
static void test_reflect(void) {
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module =
      compile(store,
              "(module (import \"env\" \"m\" (memory 1))"
              " (func (export \"func\") (param i32 f64 f32) (result i32) (i32.const 0))"
              " (global (export \"global\") f64 (f64.const 0))"
              " (table (export \"table\") 0 50 funcref)"
              " (export \"memory\" (memory 0)))");
  wasm_importtype_vec_t import_types;
  wasm_module_imports(module, &import_types);
  CHECK(import_types.size == 1);
  const wasm_name_t* mod = wasm_importtype_module(import_types.data[0]);
  CHECK(mod->size == 3 && memcmp(mod->data, "env", 3) == 0);
  CHECK(wasm_externtype_kind(wasm_importtype_type(import_types.data[0])) == WASM_EXTERN_MEMORY);
  wasm_importtype_vec_t copy;
  wasm_importtype_vec_copy(&copy, &import_types);
  CHECK(copy.size == 1 && wasm_importtype_name(copy.data[0])->size == 1);
  wasm_importtype_vec_delete(&copy);
  wasm_importtype_vec_delete(&import_types);

  wasm_limits_t limits = {1, wasm_limits_max_default};
  wasm_memorytype_t* memory_type = wasm_memorytype_new(&limits);
  wasm_memory_t* memory = wasm_memory_new(store, memory_type);
  wasm_memorytype_delete(memory_type);
  wasm_extern_t* externs[] = {wasm_memory_as_extern(memory)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_exporttype_vec_t export_types;
  wasm_module_exports(module, &export_types);
  CHECK(exports.size == 4 && export_types.size == 4);
  static const char* names[] = {"func", "global", "table", "memory"};
  static const wasm_externkind_t kinds[] = {WASM_EXTERN_FUNC, WASM_EXTERN_GLOBAL, WASM_EXTERN_TABLE,
                                            WASM_EXTERN_MEMORY};
  for (size_t i = 0; i < exports.size && i < 4; ++i) {
    const wasm_name_t* name = wasm_exporttype_name(export_types.data[i]);
    CHECK(name->size == strlen(names[i]) && memcmp(name->data, names[i], name->size) == 0);
    CHECK(wasm_externtype_kind(wasm_exporttype_type(export_types.data[i])) == kinds[i]);
    CHECK(wasm_extern_kind(exports.data[i]) == kinds[i]);
    wasm_externtype_t* type = wasm_extern_type(exports.data[i]);
    CHECK(wasm_externtype_kind(type) == kinds[i]);
    wasm_externtype_delete(type);
  }
  const wasm_functype_t* ft =
      wasm_externtype_as_functype_const(wasm_exporttype_type(export_types.data[0]));
  CHECK(ft && wasm_functype_params(ft)->size == 3 && wasm_functype_results(ft)->size == 1);
  CHECK(ft && wasm_valtype_kind(wasm_functype_params(ft)->data[1]) == WASM_F64);
  CHECK(wasm_externtype_as_globaltype_const(wasm_exporttype_type(export_types.data[0])) == NULL);
  const wasm_tabletype_t* tt =
      wasm_externtype_as_tabletype_const(wasm_exporttype_type(export_types.data[2]));
  CHECK(tt && wasm_tabletype_limits(tt)->min == 0 && wasm_tabletype_limits(tt)->max == 50);
  const wasm_memorytype_t* mt =
      wasm_externtype_as_memorytype_const(wasm_exporttype_type(export_types.data[3]));
  CHECK(mt && wasm_memorytype_limits(mt)->max == wasm_limits_max_default);
  wasm_func_t* func = wasm_extern_as_func(exports.data[0]);
  CHECK(wasm_func_param_arity(func) == 3 && wasm_func_result_arity(func) == 1);
  CHECK(wasm_extern_as_memory(exports.data[0]) == NULL);
  CHECK(wasm_memory_same(wasm_extern_as_memory(exports.data[3]), memory));
  wasm_exporttype_vec_delete(&export_types);
  wasm_extern_vec_delete(&exports);
  wasm_memory_delete(memory);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
}

/* serialize: a module serialized, deleted, deserialized and run. */
static void test_serialize(void) {
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = compile(
      store,
      "(module (func $hello (import \"\" \"hello\")) (func (export \"run\") (call $hello)))");
  wasm_byte_vec_t serialized;
  wasm_module_serialize(module, &serialized);
  CHECK(serialized.size > 8);
  wasm_module_delete(module);
  wasm_module_t* again = wasm_module_deserialize(store, &serialized);
  CHECK(again != NULL);
  wasm_byte_vec_delete(&serialized);
  wasm_functype_t* type = wasm_functype_new_0_0();
  wasm_func_t* hello = wasm_func_new(store, type, hello_callback);
  wasm_functype_delete(type);
  wasm_extern_t* externs[] = {wasm_func_as_extern(hello)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, again, &imports, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  const int before = hello_calls;
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(export_func(&exports, 0), &none, &none) == NULL);
  CHECK(hello_calls == before + 1);
  wasm_byte_vec_t garbage = {3, "abc"};
  CHECK(wasm_module_deserialize(store, &garbage) == NULL);
  CHECK(!wasm_module_validate(store, &garbage));
  wasm_extern_vec_delete(&exports);
  wasm_func_delete(hello);
  wasm_instance_delete(instance);
  wasm_module_delete(again);
  wasm_store_delete(store);
}

/* start: a trapping start function makes instantiation fail with the trap. */
static void test_start(void) {
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = compile(store, "(module (func $start unreachable) (start $start))");
  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  wasm_trap_t* trap = NULL;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, &trap);
  CHECK(instance == NULL);
  CHECK(trap != NULL);
  if (trap) {
    CHECK(strcmp(trap_text(trap), "unreachable") == 0);
    wasm_frame_t* origin = wasm_trap_origin(trap);
    CHECK(origin && wasm_frame_func_index(origin) == 0);
    if (origin) wasm_frame_delete(origin);
    wasm_trap_delete(trap);
  }
  wasm_module_delete(module);
  wasm_store_delete(store);
}

/* threads: one shared module, a store per thread, host functions and globals per store. */
enum { kThreads = 8, kReps = 20 };
typedef struct {
  wasm_shared_module_t* module;
  int id;
  int sum;
} thread_args;
static wasm_trap_t* thread_callback(void* env, const wasm_val_vec_t* args,
                                    wasm_val_vec_t* results) {
  (void)results;
  ((thread_args*)env)->sum += args->data[0].of.i32;
  return NULL;
}
static void* run_thread(void* p) {
  thread_args* a = (thread_args*)p;
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = wasm_module_obtain(store, a->module);
  for (int i = 0; i < kReps; ++i) {
    wasm_functype_t* type = wasm_functype_new_1_0(wasm_valtype_new_i32());
    wasm_func_t* func = wasm_func_new_with_env(store, type, thread_callback, a, NULL);
    wasm_functype_delete(type);
    wasm_val_t id = WASM_I32_VAL(a->id);
    wasm_globaltype_t* global_type = wasm_globaltype_new(wasm_valtype_new_i32(), WASM_CONST);
    wasm_global_t* global = wasm_global_new(store, global_type, &id);
    wasm_globaltype_delete(global_type);
    wasm_extern_t* externs[] = {wasm_func_as_extern(func), wasm_global_as_extern(global)};
    wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
    wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
    wasm_func_delete(func);
    wasm_global_delete(global);
    if (!instance) continue;
    wasm_extern_vec_t exports;
    wasm_instance_exports(instance, &exports);
    wasm_instance_delete(instance);
    wasm_val_vec_t none = WASM_EMPTY_VEC;
    wasm_trap_t* trap = wasm_func_call(wasm_extern_as_func(exports.data[0]), &none, &none);
    if (trap) wasm_trap_delete(trap);
    wasm_extern_vec_delete(&exports);
  }
  wasm_module_delete(module);
  wasm_store_delete(store);
  return NULL;
}

static void test_threads(void) {
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = compile(store,
                                  "(module (func $message (import \"\" \"hello\") (param i32))"
                                  " (global $id (import \"\" \"id\") i32)"
                                  " (func (export \"run\") (call $message (global.get $id))))");
  wasm_shared_module_t* shared = wasm_module_share(module);
  wasm_module_delete(module);
  wasm_store_delete(store);
  pthread_t threads[kThreads];
  thread_args args[kThreads];
  for (int i = 0; i < kThreads; ++i) {
    args[i].module = shared;
    args[i].id = i + 1;
    args[i].sum = 0;
    pthread_create(&threads[i], NULL, run_thread, &args[i]);
  }
  for (int i = 0; i < kThreads; ++i) {
    pthread_join(threads[i], NULL);
    CHECK(args[i].sum == (i + 1) * kReps);
  }
  wasm_shared_module_delete(shared);
}

/* finalize: host info with finalizers on many instances, run when their store goes. */
static int live = 0;
static void finalize_instance(void* data) {
  (void)data;
  --live;
}

static void run_in_store(wasm_store_t* store, int iterations) {
  wasm_module_t* module = compile(store, "(module (func (export \"f\")) (func (export \"g\")))");
  for (int i = 0; i < iterations; ++i) {
    wasm_extern_vec_t imports = WASM_EMPTY_VEC;
    wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
    CHECK(instance != NULL);
    if (!instance) break;
    wasm_instance_set_host_info_with_finalizer(instance, (void*)(intptr_t)i, finalize_instance);
    CHECK(wasm_instance_get_host_info(instance) == (void*)(intptr_t)i);
    wasm_instance_delete(instance);
    ++live;
  }
  wasm_module_delete(module);
}

static void test_finalize(void) {
  wasm_store_t* store1 = wasm_store_new(engine);
  wasm_store_t* store2 = wasm_store_new(engine);
  run_in_store(store1, 12000); /* past the C++ API's default instance limit */
  run_in_store(store2, 1000);
  CHECK(live == 13000);
  wasm_store_delete(store2);
  CHECK(live == 12000);
  run_in_store(store1, 1000);
  wasm_store_delete(store1);
  CHECK(live == 0);
}

/* hostref: foreign objects as externref through functions, globals and tables, keeping their
 * identity and host info. */
static wasm_trap_t* identity_callback(const wasm_val_vec_t* args, wasm_val_vec_t* results) {
  wasm_val_copy(&results->data[0], &args->data[0]);
  return NULL;
}

static void test_hostref(void) {
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module = compile(
      store,
      "(module (func $f (import \"\" \"f\") (param externref) (result externref))"
      " (global $g (export \"global\") (mut externref) (ref.null extern))"
      " (table $t (export \"table\") 10 externref)"
      " (func (export \"global.set\") (param externref) (global.set $g (local.get 0)))"
      " (func (export \"global.get\") (result externref) (global.get $g))"
      " (func (export \"table.set\") (param i32 externref) (table.set $t (local.get 0) (local.get "
      "1)))"
      " (func (export \"table.get\") (param i32) (result externref) (table.get $t (local.get 0)))"
      " (func (export \"func.call\") (param externref) (result externref) (call $f (local.get "
      "0))))");
  wasm_functype_t* type =
      wasm_functype_new_1_1(wasm_valtype_new_externref(), wasm_valtype_new_externref());
  wasm_func_t* f = wasm_func_new(store, type, identity_callback);
  wasm_functype_delete(type);
  wasm_extern_t* externs[] = {wasm_func_as_extern(f)};
  wasm_extern_vec_t imports = WASM_ARRAY_VEC(externs);
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  CHECK(instance != NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_global_t* global = wasm_extern_as_global(exports.data[0]);
  wasm_table_t* table = wasm_extern_as_table(exports.data[1]);

  wasm_foreign_t* host1 = wasm_foreign_new(store);
  wasm_foreign_t* host2 = wasm_foreign_new(store);
  wasm_foreign_set_host_info(host1, (void*)1);
  wasm_foreign_set_host_info(host2, (void*)2);
  wasm_ref_t* ref1 = wasm_foreign_as_ref(host1);
  wasm_ref_t* ref2 = wasm_foreign_as_ref(host2);
  CHECK(wasm_ref_get_host_info(ref1) == (void*)1);
  CHECK(!wasm_ref_same(ref1, ref2));
  wasm_ref_t* ref1_copy = wasm_ref_copy(ref1);
  CHECK(wasm_ref_same(ref1, ref1_copy));
  CHECK(wasm_ref_as_foreign(ref1_copy) != NULL && wasm_ref_as_func(ref1_copy) == NULL);
  wasm_ref_delete(ref1_copy);

  /* Through a host function and back. */
  wasm_val_t as[2] = {WASM_REF_VAL(ref1), WASM_INIT_VAL};
  wasm_val_t r[1] = {WASM_INIT_VAL};
  wasm_val_vec_t args1 = {1, as}, results = WASM_ARRAY_VEC(r), none = WASM_EMPTY_VEC;
  CHECK(wasm_func_call(export_func(&exports, 6), &args1, &results) == NULL);
  CHECK(r[0].of.ref && wasm_ref_same(r[0].of.ref, ref1));
  CHECK(r[0].of.ref && wasm_ref_get_host_info(r[0].of.ref) == (void*)1);
  wasm_val_delete(&r[0]);

  /* A global, set by wasm and by the host. */
  as[0].of.ref = ref2;
  CHECK(wasm_func_call(export_func(&exports, 2), &args1, &none) == NULL);
  wasm_val_t v;
  wasm_global_get(global, &v);
  CHECK(v.kind == WASM_EXTERNREF && v.of.ref && wasm_ref_get_host_info(v.of.ref) == (void*)2);
  wasm_val_delete(&v);
  wasm_val_t set1 = WASM_REF_VAL(ref1);
  wasm_global_set(global, &set1);
  CHECK(wasm_func_call(export_func(&exports, 3), &none, &results) == NULL);
  CHECK(r[0].of.ref && wasm_ref_get_host_info(r[0].of.ref) == (void*)1);
  wasm_val_delete(&r[0]);

  /* A table, set by wasm and by the host; null stays null. */
  wasm_val_t ts[2] = {WASM_I32_VAL(1), WASM_REF_VAL(ref2)};
  wasm_val_vec_t args2 = WASM_ARRAY_VEC(ts);
  CHECK(wasm_func_call(export_func(&exports, 4), &args2, &none) == NULL);
  wasm_ref_t* got = wasm_table_get(table, 1);
  CHECK(got && wasm_ref_get_host_info(got) == (void*)2);
  if (got) wasm_ref_delete(got);
  CHECK(wasm_table_get(table, 0) == NULL);
  CHECK(wasm_table_set(table, 2, ref1));
  wasm_val_t index[1] = {WASM_I32_VAL(2)};
  wasm_val_vec_t args_index = WASM_ARRAY_VEC(index);
  CHECK(wasm_func_call(export_func(&exports, 5), &args_index, &results) == NULL);
  CHECK(r[0].of.ref && wasm_ref_same(r[0].of.ref, ref1));
  wasm_val_delete(&r[0]);

  wasm_foreign_delete(host1);
  wasm_foreign_delete(host2);
  wasm_func_delete(f);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
}

/* loom.h: fuel, store limits, text input with errors, an engine configuration. */
static void test_loom_extensions(void) {
  wasm_config_t* config = wasm_config_new();
  loom_config_set_tier(config, LOOM_TIER_INTERP);
  wasm_engine_t* interp = wasm_engine_new_with_config(config);
  CHECK(interp != NULL);
  wasm_config_t* bad = wasm_config_new();
  loom_config_set_feature(bad, "no-such-feature", true);
  CHECK(wasm_engine_new_with_config(bad) == NULL);

  wasm_store_t* store = wasm_store_new(interp);
  CHECK(loom_store_set_fuel(store, 1000));
  wasm_message_t error;
  const char* text = "(module (memory (export \"m\") 1) (func (export \"spin\") (loop (br 0))))";
  wasm_byte_vec_t source = {strlen(text), (char*)text};
  wasm_module_t* module = loom_module_new(store, &source, &error);
  CHECK(module != NULL);
  wasm_extern_vec_t imports = WASM_EMPTY_VEC;
  wasm_instance_t* instance = wasm_instance_new(store, module, &imports, NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  wasm_trap_t* trap = wasm_func_call(export_func(&exports, 1), &none, &none);
  CHECK(trap && loom_trap_kind(trap) == LOOM_TRAP_OUT_OF_FUEL);
  CHECK(trap && strcmp(trap_text(trap), "all fuel consumed") == 0);
  if (trap) wasm_trap_delete(trap);
  uint64_t fuel = 1;
  CHECK(loom_store_get_fuel(store, &fuel) && fuel == 0);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);

  /* A memory past the store's limit fails to instantiate, with a trap saying why. */
  loom_store_limits_t limits;
  loom_store_limits_default(&limits);
  limits.max_memory_bytes = 2 * 65536; /* the first instance above holds one page */
  loom_store_set_limits(store, &limits);
  wasm_instance_t* first = wasm_instance_new(store, module, &imports, NULL);
  CHECK(first != NULL);
  trap = NULL;
  CHECK(wasm_instance_new(store, module, &imports, &trap) == NULL);
  CHECK(trap && strstr(trap_text(trap), "max-memory-size") != NULL);
  if (trap) wasm_trap_delete(trap);
  wasm_instance_delete(first);
  wasm_module_delete(module);

  const char* broken = "(module (func (result i32)))";
  wasm_byte_vec_t broken_source = {strlen(broken), (char*)broken};
  CHECK(loom_module_new(store, &broken_source, &error) == NULL);
  CHECK(error.size > 1 && strstr(error.data, "type mismatch") != NULL);
  wasm_byte_vec_delete(&error);
  wasm_store_delete(store);
  wasm_engine_delete(interp);
}

/* wasi.h: a WASI command writing to a file given as its stdout, exiting with a status. */
static void test_wasi(void) {
  char path[] = "/tmp/loom-c-api-test-XXXXXX";
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  close(fd);
  wasm_store_t* store = wasm_store_new(engine);
  wasm_module_t* module =
      compile(store,
              "(module (import \"wasi_snapshot_preview1\" \"fd_write\" (func $w (param i32 i32 i32 "
              "i32) (result i32)))"
              " (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $exit (param i32)))"
              " (memory (export \"memory\") 1) (data (i32.const 16) \"hi\\n\")"
              " (func (export \"_start\") (i32.store (i32.const 0) (i32.const 16)) (i32.store "
              "(i32.const 4) (i32.const 3))"
              "   (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))) (call "
              "$exit (i32.const 7))))");
  wasi_config_t* wasi = wasi_config_new();
  const char* argv[] = {"cmd", "x"};
  CHECK(wasi_config_set_argv(wasi, 2, argv));
  CHECK(wasi_config_set_stdout_file(wasi, path));
  CHECK(!wasi_config_preopen_dir(wasi, "/no/such/dir", "/d", WASI_DIR_PERMS_READ,
                                 WASI_FILE_PERMS_READ));
  wasm_trap_t* trap = NULL;
  wasm_instance_t* instance = loom_instance_new_with_wasi(store, module, wasi, NULL, &trap);
  CHECK(instance != NULL && trap == NULL);
  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_val_vec_t none = WASM_EMPTY_VEC;
  trap = wasm_func_call(export_func(&exports, 1), &none, &none);
  int status = -1;
  CHECK(trap && loom_trap_kind(trap) == LOOM_TRAP_EXIT && loom_trap_exit_status(trap, &status));
  CHECK(status == 7);
  if (trap) wasm_trap_delete(trap);
  FILE* out = fopen(path, "r");
  char text[16] = {0};
  CHECK(out && fread(text, 1, sizeof text - 1, out) == 3);
  if (out) fclose(out);
  CHECK(strcmp(text, "hi\n") == 0);
  unlink(path);
  /* Without WASI the import has no definition. */
  trap = NULL;
  CHECK(loom_instance_new_with_wasi(store, module, NULL, NULL, &trap) == NULL);
  CHECK(trap && strstr(trap_text(trap), "fd_write") != NULL);
  if (trap) wasm_trap_delete(trap);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
}

/* Vectors: new, copy and delete of each shape. */
static void test_vectors(void) {
  wasm_byte_vec_t bytes, copy;
  wasm_byte_vec_new(&bytes, 3, "abc");
  wasm_byte_vec_copy(&copy, &bytes);
  CHECK(copy.size == 3 && memcmp(copy.data, "abc", 3) == 0 && copy.data != bytes.data);
  wasm_byte_vec_delete(&bytes);
  wasm_byte_vec_delete(&copy);
  CHECK(copy.size == 0 && copy.data == NULL);
  wasm_val_vec_t vals;
  wasm_val_vec_new_uninitialized(&vals, 2);
  vals.data[0].kind = WASM_I32;
  vals.data[0].of.i32 = 1;
  vals.data[1].kind = WASM_EXTERNREF;
  vals.data[1].of.ref = NULL;
  wasm_val_vec_t vals_copy;
  wasm_val_vec_copy(&vals_copy, &vals);
  CHECK(vals_copy.size == 2 && vals_copy.data[0].of.i32 == 1);
  wasm_val_vec_delete(&vals);
  wasm_val_vec_delete(&vals_copy);
  wasm_valtype_vec_t empty;
  wasm_valtype_vec_new_empty(&empty);
  CHECK(empty.size == 0);
  wasm_valtype_vec_delete(&empty);
  wasm_functype_t* ft = wasm_functype_new_3_2(wasm_valtype_new_i32(), wasm_valtype_new_f32(),
                                              wasm_valtype_new_funcref(), wasm_valtype_new_f64(),
                                              wasm_valtype_new_externref());
  wasm_functype_t* ft_copy = wasm_functype_copy(ft);
  CHECK(wasm_functype_params(ft_copy)->size == 3 && wasm_functype_results(ft_copy)->size == 2);
  CHECK(wasm_valtype_is_ref(wasm_functype_params(ft_copy)->data[2]));
  wasm_externtype_t* et = wasm_functype_as_externtype(ft_copy);
  CHECK(wasm_externtype_kind(et) == WASM_EXTERN_FUNC && wasm_externtype_as_functype(et) == ft_copy);
  wasm_externtype_t* et_copy = wasm_externtype_copy(et);
  wasm_externtype_delete(et_copy);
  wasm_functype_delete(ft_copy);
  wasm_functype_vec_t fts;
  wasm_functype_vec_new(&fts, 1, &ft);
  wasm_functype_vec_delete(&fts); /* deletes ft */
  wasm_tagtype_t* tag = wasm_tagtype_new(wasm_functype_new_0_0());
  CHECK(wasm_externtype_kind(wasm_tagtype_as_externtype(tag)) == WASM_EXTERN_TAG);
  wasm_tagtype_delete(tag);
}

int main(void) {
  engine = wasm_engine_new();
  test_vectors();
  test_hello();
  test_callback();
  test_global();
  test_memory();
  test_table();
  test_trap();
  test_multi();
  test_reflect();
  test_serialize();
  test_start();
  test_threads();
  test_finalize();
  test_hostref();
  test_loom_extensions();
  test_wasi();
  wasm_engine_delete(engine);
  if (failures) {
    fprintf(stderr, "%d checks failed\n", failures);
    return 1;
  }
  printf("c_api_test: all checks passed\n");
  return 0;
}
