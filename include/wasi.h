/* WASI preview 1 for the C API, in the shape of wasmtime's wasi.h: a configuration (arguments,
 * environment, standard streams, preopened directories) that loom.h links into an instance
 * (loom_instance_new_with_wasi). By default a guest has no arguments, no environment, no
 * preopens, and its standard streams read nothing and discard what is written. */
#ifndef WASI_H
#define WASI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wasm.h"

#ifndef WASI_API_EXTERN
#define WASI_API_EXTERN WASM_API_EXTERN
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define own

#define WASI_DECLARE_OWN(name)                    \
  typedef struct wasi_##name##_t wasi_##name##_t; \
  WASI_API_EXTERN void wasi_##name##_delete(own wasi_##name##_t*);

WASI_DECLARE_OWN(config)

WASI_API_EXTERN own wasi_config_t* wasi_config_new(void);

/* argv (argv[0] included); copied. */
WASI_API_EXTERN bool wasi_config_set_argv(wasi_config_t* config, size_t argc, const char* argv[]);
/* The host process's own arguments (from /proc/self/cmdline). */
WASI_API_EXTERN void wasi_config_inherit_argv(wasi_config_t* config);

/* `envc` variables names[i]=values[i]; copied. */
WASI_API_EXTERN bool wasi_config_set_env(wasi_config_t* config, size_t envc, const char* names[],
                                         const char* values[]);
WASI_API_EXTERN void wasi_config_inherit_env(wasi_config_t* config);

/* Standard streams: a file (false when it cannot be opened), the given bytes (stdin; takes
 * ownership of `binary`), or the host's own. */
WASI_API_EXTERN bool wasi_config_set_stdin_file(wasi_config_t* config, const char* path);
WASI_API_EXTERN void wasi_config_set_stdin_bytes(wasi_config_t* config, wasm_byte_vec_t* binary);
WASI_API_EXTERN void wasi_config_inherit_stdin(wasi_config_t* config);
WASI_API_EXTERN bool wasi_config_set_stdout_file(wasi_config_t* config, const char* path);
WASI_API_EXTERN void wasi_config_inherit_stdout(wasi_config_t* config);
WASI_API_EXTERN bool wasi_config_set_stderr_file(wasi_config_t* config, const char* path);
WASI_API_EXTERN void wasi_config_inherit_stderr(wasi_config_t* config);

/* Permissions of a preopened directory and of the files beneath it (bit masks). */
typedef size_t wasi_dir_perms;
enum wasi_dir_perms_flags {
  WASI_DIR_PERMS_READ = 1,
  WASI_DIR_PERMS_WRITE = 2,
};
typedef size_t wasi_file_perms;
enum wasi_file_perms_flags {
  WASI_FILE_PERMS_READ = 1,
  WASI_FILE_PERMS_WRITE = 2,
};

/* The host directory `host_path`, seen by the guest as `guest_path`; nothing outside it is
 * reachable. Without a WRITE permission nothing beneath it can be modified. Returns false when
 * `host_path` is not a directory that can be opened. */
WASI_API_EXTERN bool wasi_config_preopen_dir(wasi_config_t* config, const char* host_path,
                                             const char* guest_path, wasi_dir_perms dir_perms,
                                             wasi_file_perms file_perms);

#undef own

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WASI_H */
