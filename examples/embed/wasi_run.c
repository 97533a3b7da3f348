/* A C host on wasm.h + wasi.h (+ loom.h to link WASI): runs a WASI command with the host's
 * stdio and the given arguments, and exits with its status.
 *   wasi_run FILE.wasm|FILE.wat [ARGS...] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <loom.h>
#include <wasi.h>
#include <wasm.h>

static int fail(const char* what, wasm_trap_t* trap) {
  wasm_message_t message = {0, NULL};
  if (trap) wasm_trap_message(trap, &message);
  fprintf(stderr, "%s%s%s\n", what, trap ? ": " : "", trap ? message.data : "");
  if (trap) {
    wasm_byte_vec_delete(&message);
    wasm_trap_delete(trap);
  }
  return 1;
}

int main(int argc, const char* argv[]) {
  if (argc < 2) return fprintf(stderr, "usage: wasi_run FILE [ARGS...]\n"), 2;
  FILE* file = fopen(argv[1], "rb");
  if (!file) return fail("cannot open the module", NULL);
  wasm_byte_vec_t bytes;
  fseek(file, 0, SEEK_END);
  wasm_byte_vec_new_uninitialized(&bytes, (size_t)ftell(file));
  fseek(file, 0, SEEK_SET);
  size_t got = fread(bytes.data, 1, bytes.size, file);
  fclose(file);
  if (got != bytes.size) return fail("cannot read the module", NULL);

  wasm_engine_t* engine = wasm_engine_new();
  wasm_store_t* store = wasm_store_new(engine);
  wasm_message_t error;
  wasm_module_t* module = loom_module_new(store, &bytes, &error); /* .wasm or .wat */
  wasm_byte_vec_delete(&bytes);
  if (!module) {
    fprintf(stderr, "%s\n", error.data);
    return 1;
  }

  wasi_config_t* wasi = wasi_config_new();
  wasi_config_set_argv(wasi, (size_t)(argc - 1), argv + 1);
  wasi_config_inherit_stdin(wasi);
  wasi_config_inherit_stdout(wasi);
  wasi_config_inherit_stderr(wasi);
  wasm_trap_t* trap = NULL;
  wasm_instance_t* instance = loom_instance_new_with_wasi(store, module, wasi, NULL, &trap);
  if (!instance) return fail("cannot instantiate", trap);

  wasm_extern_vec_t exports;
  wasm_instance_exports(instance, &exports);
  wasm_exporttype_vec_t types;
  wasm_module_exports(module, &types);
  int status = 1;
  for (size_t i = 0; i < types.size; ++i) {
    const wasm_name_t* name = wasm_exporttype_name(types.data[i]);
    if (name->size != 6 || memcmp(name->data, "_start", 6) != 0) continue;
    wasm_val_vec_t none = WASM_EMPTY_VEC;
    trap = wasm_func_call(wasm_extern_as_func(exports.data[i]), &none, &none);
    status = 0;
    if (trap && !loom_trap_exit_status(trap, &status)) return fail("trap", trap);
    if (trap) wasm_trap_delete(trap);
  }
  fflush(stdout);
  wasm_exporttype_vec_delete(&types);
  wasm_extern_vec_delete(&exports);
  wasm_instance_delete(instance);
  wasm_module_delete(module);
  wasm_store_delete(store);
  wasm_engine_delete(engine);
  return status;
}
