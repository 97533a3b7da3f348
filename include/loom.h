/* Loom's extensions to the standard C API (wasm.h): execution tier, fuel, timeouts, store
 * limits, text-format input, error messages, trap kinds and linking WASI into an instance. */
#ifndef LOOM_H
#define LOOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wasi.h"
#include "wasm.h"

#ifdef __cplusplus
extern "C" {
#endif

#define own

/* Engine configuration (before wasm_engine_new_with_config). */

typedef uint8_t loom_tier_t;
enum loom_tier_enum {
  LOOM_TIER_DEFAULT, /* the JIT where it runs, else the interpreter */
  LOOM_TIER_INTERP,
  LOOM_TIER_JIT,
};
WASM_API_EXTERN void loom_config_set_tier(wasm_config_t*, loom_tier_t tier);
/* An optional feature by its flag name ("simd", "tail-call", ...). wasm_engine_new_with_config
 * returns NULL when a feature is unknown or cannot run. */
WASM_API_EXTERN void loom_config_set_feature(wasm_config_t*, const char* name, bool enabled);
/* Compile fuel / epoch checks into all code (stores also enable them by themselves, see below). */
WASM_API_EXTERN void loom_config_consume_fuel(wasm_config_t*, bool enabled);
WASM_API_EXTERN void loom_config_epoch_interruption(wasm_config_t*, bool enabled);
WASM_API_EXTERN void loom_config_max_wasm_stack(wasm_config_t*, size_t bytes);

/* Store limits: all memories, tables and instances of a store together. */

typedef struct loom_store_limits_t {
  uint64_t max_memory_bytes;
  uint64_t max_table_elements;
  uint32_t max_instances;
  uint32_t max_memories;
  uint32_t max_tables;
} loom_store_limits_t;

/* The limits a new store starts with (instances are not limited in C API stores). */
WASM_API_EXTERN void loom_store_limits_default(loom_store_limits_t* out);
WASM_API_EXTERN void loom_store_set_limits(wasm_store_t*, const loom_store_limits_t*);

/* Fuel and timeouts: the guest traps with "all fuel consumed" / "interrupt". Both must be set
 * before the store's first instantiation unless the engine enabled them; false otherwise. */
WASM_API_EXTERN bool loom_store_set_fuel(wasm_store_t*, uint64_t fuel);
WASM_API_EXTERN bool loom_store_get_fuel(const wasm_store_t*, uint64_t* fuel);
WASM_API_EXTERN bool loom_store_set_timeout(wasm_store_t*, uint64_t milliseconds);
/* Interrupts wasm running in the store (from any thread), when epoch checks are on. */
WASM_API_EXTERN void loom_store_interrupt(wasm_store_t*);

/* Text format. loom_wat2wasm: the binary of a WAT module; false with a message (null-terminated,
 * when `error` is not NULL) on a syntax or validation error. */
WASM_API_EXTERN bool loom_wat2wasm(wasm_engine_t*, const char* text, size_t length,
                                   own wasm_byte_vec_t* out, own wasm_message_t* error);
/* wasm_module_new for binary or text input, with the reason when it fails. */
WASM_API_EXTERN own wasm_module_t* loom_module_new(wasm_store_t*, const wasm_byte_vec_t* bytes,
                                                   own wasm_message_t* error);

/* Traps. */

typedef uint8_t loom_trap_kind_t;
enum loom_trap_kind_enum {
  LOOM_TRAP_UNREACHABLE,
  LOOM_TRAP_INTEGER_DIVIDE_BY_ZERO,
  LOOM_TRAP_INTEGER_OVERFLOW,
  LOOM_TRAP_INVALID_CONVERSION_TO_INTEGER,
  LOOM_TRAP_OUT_OF_BOUNDS_MEMORY_ACCESS,
  LOOM_TRAP_OUT_OF_BOUNDS_TABLE_ACCESS,
  LOOM_TRAP_UNDEFINED_ELEMENT,
  LOOM_TRAP_UNINITIALIZED_ELEMENT,
  LOOM_TRAP_INDIRECT_CALL_TYPE_MISMATCH,
  LOOM_TRAP_CALL_STACK_EXHAUSTED,
  LOOM_TRAP_NULL_REFERENCE,
  LOOM_TRAP_NULL_FUNCTION_REFERENCE,
  LOOM_TRAP_OUT_OF_FUEL,
  LOOM_TRAP_INTERRUPTED,
  LOOM_TRAP_UNCAUGHT_EXCEPTION,
  LOOM_TRAP_NULL_EXCEPTION_REFERENCE,
  LOOM_TRAP_HOST_ERROR, /* a host function's trap, a link error, or any other failure */
  LOOM_TRAP_EXIT,       /* a WASI guest called proc_exit */
};
WASM_API_EXTERN loom_trap_kind_t loom_trap_kind(const wasm_trap_t*);
/* For LOOM_TRAP_EXIT: true, with the guest's exit status. */
WASM_API_EXTERN bool loom_trap_exit_status(const wasm_trap_t*, int* status);

/* WASI: instantiates `module`, taking its wasi_snapshot_preview1 imports from `wasi` (which this
 * takes ownership of, NULL for no WASI) and its other imports, in import order, from `imports`
 * (NULL when there are none). The instance's export "memory" is the guest memory. On failure it
 * returns NULL and, when `trap` is not NULL, sets it to a trap saying why. */
WASM_API_EXTERN own wasm_instance_t* loom_instance_new_with_wasi(wasm_store_t*,
                                                                 const wasm_module_t* module,
                                                                 own wasi_config_t* wasi,
                                                                 const wasm_extern_vec_t* imports,
                                                                 own wasm_trap_t** trap);

#undef own

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* LOOM_H */
