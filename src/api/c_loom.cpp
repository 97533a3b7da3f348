// loom.h (tier, features, fuel, timeouts, limits, text input, trap kinds, WASI linking) and
// wasi.h (WASI configuration) on the C++ API.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "api/c_state.hpp"

using namespace loom::capi;

wasi_config_t::~wasi_config_t() {
  for (int fd : {stdin_fd, stdout_fd, stderr_fd}) {
    if (fd >= 0) close(fd);
  }
}

namespace {

std::string_view text_of(const wasm_byte_vec_t* v) {
  return {v->data ? v->data : "", v->size};
}

void set_message(wasm_message_t* out, const std::string& text) {
  if (!out) return;
  wasm_byte_vec_new_uninitialized(out, text.size() + 1);
  std::memcpy(out->data, text.c_str(), text.size() + 1);
}

bool replace_fd(int& slot, int fd) {
  if (fd < 0) return false;
  if (slot >= 0) close(slot);
  slot = fd;
  return true;
}

std::vector<std::string> split_nul(const std::string& data) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < data.size()) {
    size_t end = data.find('\0', start);
    if (end == std::string::npos) end = data.size();
    out.push_back(data.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

extern "C" char** environ;

extern "C" {

// Engine configuration.

void loom_config_set_tier(wasm_config_t* config, loom_tier_t tier) {
  config->config.tier = tier == LOOM_TIER_INTERP ? Tier::Interp
                        : tier == LOOM_TIER_JIT  ? Tier::Jit
                                                 : Tier::Default;
}
void loom_config_set_feature(wasm_config_t* config, const char* name, bool enabled) {
  config->config.enable(name, enabled);
}
void loom_config_consume_fuel(wasm_config_t* config, bool enabled) {
  config->config.consume_fuel = enabled;
}
void loom_config_epoch_interruption(wasm_config_t* config, bool enabled) {
  config->config.epoch_interruption = enabled;
}
void loom_config_max_wasm_stack(wasm_config_t* config, size_t bytes) {
  config->config.max_wasm_stack = bytes;
}

// Store limits, fuel, timeouts.

void loom_store_limits_default(loom_store_limits_t* out) {
  StoreLimits d;
  *out = loom_store_limits_t{d.max_memory_bytes, d.max_table_elements, UINT32_MAX, d.max_memories,
                             d.max_tables};
}
void loom_store_set_limits(wasm_store_t* store, const loom_store_limits_t* limits) {
  store->store.set_limits(StoreLimits{limits->max_memory_bytes, limits->max_table_elements,
                                      limits->max_instances, limits->max_memories,
                                      limits->max_tables});
}
bool loom_store_set_fuel(wasm_store_t* store, uint64_t fuel) {
  return store->store.set_fuel(fuel).ok();
}
bool loom_store_get_fuel(const wasm_store_t* store, uint64_t* fuel) {
  auto remaining = store->store.fuel();
  if (!remaining) return false;
  *fuel = *remaining;
  return true;
}
bool loom_store_set_timeout(wasm_store_t* store, uint64_t milliseconds) {
  return store->store.set_timeout(std::chrono::milliseconds(milliseconds)).ok();
}
void loom_store_interrupt(wasm_store_t* store) {
  store->store.interrupt();
}

// Text input and errors.

bool loom_wat2wasm(wasm_engine_t* engine, const char* text, size_t length, wasm_byte_vec_t* out,
                   wasm_message_t* error) {
  auto module = Module::compile_wat(engine->engine, std::string_view(text, length));
  if (!module) {
    set_message(error, module.error().message());
    wasm_byte_vec_new_empty(out);
    return false;
  }
  std::vector<uint8_t> bytes = module->serialize();
  wasm_byte_vec_new(out, bytes.size(), reinterpret_cast<const char*>(bytes.data()));
  return true;
}

wasm_module_t* loom_module_new(wasm_store_t* store, const wasm_byte_vec_t* bytes,
                               wasm_message_t* error) {
  static constexpr char kMagic[4] = {0x00, 0x61, 0x73, 0x6d};
  const bool binary = bytes->size >= 4 && std::memcmp(bytes->data, kMagic, 4) == 0;
  auto module = binary
                    ? Module::compile(store->engine,
                                      {reinterpret_cast<const uint8_t*>(bytes->data), bytes->size})
                    : Module::compile_wat(store->engine, text_of(bytes));
  if (!module) {
    set_message(error, module.error().message());
    return nullptr;
  }
  wasm_module_t* m = make_ref<wasm_module_t>(RefKind::Module, store, &module->state());
  m->module = std::move(*module);
  return m;
}

// Traps.

loom_trap_kind_t loom_trap_kind(const wasm_trap_t* trap) {
  return static_cast<loom_trap_kind_t>(trap->trap->kind());
}
bool loom_trap_exit_status(const wasm_trap_t* trap, int* status) {
  if (trap->trap->kind() != TrapKind::Exit || !trap->trap->exit_code()) return false;
  *status = static_cast<int>(*trap->trap->exit_code());
  return true;
}

// WASI configuration.

wasi_config_t* wasi_config_new(void) {
  return std::make_unique<wasi_config_t>().release();
}
void wasi_config_delete(wasi_config_t* config) {
  std::unique_ptr<wasi_config_t>{config};
}

bool wasi_config_set_argv(wasi_config_t* config, size_t argc, const char* argv[]) {
  config->config.args.assign(argv, argv + argc);
  return true;
}
void wasi_config_inherit_argv(wasi_config_t* config) {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  config->config.args = split_nul(data);
}

bool wasi_config_set_env(wasi_config_t* config, size_t envc, const char* names[],
                         const char* values[]) {
  config->config.env.clear();
  for (size_t i = 0; i < envc; ++i) {
    config->config.env.push_back(std::string(names[i]) + "=" + values[i]);
  }
  return true;
}
void wasi_config_inherit_env(wasi_config_t* config) {
  config->config.env.clear();
  for (char** e = environ; e && *e; ++e) config->config.env.emplace_back(*e);
}

bool wasi_config_set_stdin_file(wasi_config_t* config, const char* path) {
  config->inherit_stdin = false;
  return replace_fd(config->stdin_fd, open(path, O_RDONLY | O_CLOEXEC));
}
void wasi_config_set_stdin_bytes(wasi_config_t* config, wasm_byte_vec_t* binary) {
  // An unlinked temporary file holds the bytes: reads see them, then end of file.
  char path[] = "/tmp/loom-stdin-XXXXXX";
  const int fd = mkostemp(path, O_CLOEXEC);
  if (fd >= 0) {
    unlink(path);
    size_t done = 0;
    while (done < binary->size) {
      const ssize_t n = write(fd, binary->data + done, binary->size - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    lseek(fd, 0, SEEK_SET);
    config->inherit_stdin = false;
    replace_fd(config->stdin_fd, fd);
  }
  wasm_byte_vec_delete(binary);
}
void wasi_config_inherit_stdin(wasi_config_t* config) {
  config->inherit_stdin = true;
}
bool wasi_config_set_stdout_file(wasi_config_t* config, const char* path) {
  config->inherit_stdout = false;
  return replace_fd(config->stdout_fd, open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
}
void wasi_config_inherit_stdout(wasi_config_t* config) {
  config->inherit_stdout = true;
}
bool wasi_config_set_stderr_file(wasi_config_t* config, const char* path) {
  config->inherit_stderr = false;
  return replace_fd(config->stderr_fd, open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
}
void wasi_config_inherit_stderr(wasi_config_t* config) {
  config->inherit_stderr = true;
}

bool wasi_config_preopen_dir(wasi_config_t* config, const char* host_path, const char* guest_path,
                             wasi_dir_perms dir_perms, wasi_file_perms file_perms) {
  const int fd = open(host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  close(fd);
  const bool writable = (dir_perms & WASI_DIR_PERMS_WRITE) && (file_perms & WASI_FILE_PERMS_WRITE);
  config->config.preopen_dir(host_path, guest_path, !writable);
  return true;
}

// Linking WASI into an instance.

wasm_instance_t* loom_instance_new_with_wasi(wasm_store_t* store, const wasm_module_t* module,
                                             wasi_config_t* wasi, const wasm_extern_vec_t* imports,
                                             wasm_trap_t** trap) {
  std::unique_ptr<wasi_config_t> config(wasi);
  if (trap) *trap = nullptr;
  const auto fail = [&](const Error& error) -> wasm_instance_t* {
    if (trap) *trap = make_trap(store, error);
    return nullptr;
  };
  Linker linker(store->engine);
  linker.allow_shadowing(true);  // a module may import the same name twice
  if (config) {
    // The store keeps the streams open as long as its guests may use them; a stream neither set
    // nor inherited is /dev/null.
    const auto stream = [&](int& fd, bool inherit, int host_fd, int flags) {
      if (inherit) return host_fd;
      if (fd < 0) fd = open("/dev/null", flags | O_CLOEXEC);
      store->owned_fds.push_back(fd);
      const int taken = fd;
      fd = -1;
      return taken;
    };
    WasiConfig c = config->config;
    c.stdin_fd = stream(config->stdin_fd, config->inherit_stdin, 0, O_RDONLY);
    c.stdout_fd = stream(config->stdout_fd, config->inherit_stdout, 1, O_WRONLY);
    c.stderr_fd = stream(config->stderr_fd, config->inherit_stderr, 2, O_WRONLY);
    if (Status ok = linker.define_wasi(std::move(c)); !ok) return fail(ok.error());
  }
  // The other imports, in import order.
  size_t next = 0;
  for (const ImportType& imp : module->module->imports()) {
    if (config && imp.module == "wasi_snapshot_preview1") continue;
    if (!imports || next >= imports->size) {
      return fail(Error(ErrorKind::Link, "unknown import: `" + imp.module + "::" + imp.name +
                                             "` has not been defined"));
    }
    auto ext = to_cpp(imports->data[next++]);
    if (!ext)
      return fail(Error(ErrorKind::Link, "import " + std::to_string(next - 1) + " is null"));
    if (Status ok = linker.define(imp.module, imp.name, *ext); !ok) return fail(ok.error());
  }
  auto instance = linker.instantiate(store->store, *module->module);
  if (!instance) return fail(instance.error());
  return make_ref<wasm_instance_t>(RefKind::Instance, store, instance->object());
}

}  // extern "C"
