// The context: preopens and stdio at creation, and the host functions the guest imports.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "runtime/instance.hpp"
#include "wasi/functions.hpp"
#include "wasi/host_file.hpp"
#include "wasi/wasi.hpp"

namespace loom::wasi {
namespace {

using Implementation = Errno (*)(WasiContext&, const GuestMemory&, CallArgs);

struct FunctionSpec {
  std::string_view name;
  std::string_view params;
  std::string_view results;
  Implementation implementation;
};

constexpr FunctionSpec kFunctions[] = {
#define WASI_FUNCTION(name, params, results) {#name, params, results, &fn::name},
#include "wasi/functions.def"
#undef WASI_FUNCTION
};

const FunctionSpec* find_spec(std::string_view name) {
  for (const FunctionSpec& spec : kFunctions) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

FuncType type_of(const FunctionSpec& spec) {
  auto types = [](std::string_view code) {
    std::vector<ValType> result;
    for (char c : code) result.push_back(ValType(c == 'I' ? ValKind::I64 : ValKind::I32));
    return result;
  };
  return FuncType{types(spec.params), types(spec.results)};
}

// Rights of a stdio or socket descriptor, from what the host file is. The guest sees a terminal
// exactly when the host descriptor is one: wasi-libc's isatty() (and so CPython's os.isatty) says
// yes for a character device without the seek and tell rights, so every other character device
// (/dev/null, /dev/zero) keeps them, as in Node.js, and the host answers the seek.
Rights stream_rights(Filetype type, int host_fd) {
  switch (type) {
    case Filetype::RegularFile:
    case Filetype::BlockDevice:
      return right::kRegularFile;
    case Filetype::CharacterDevice:
      return isatty(host_fd) ? right::kStream : right::kStream | right::kFdSeek | right::kFdTell;
    default:
      return right::kStream;  // pipes, sockets
  }
}

FdEntry stream_entry(int host_fd, bool borrowed) {
  FdEntry entry;
  entry.host.reset(host_fd);
  entry.borrowed = borrowed;
  entry.shared_description = borrowed;
  struct stat st {};
  entry.type = fstat(host_fd, &st) == 0 ? filetype_from_stat(st, host_fd) : Filetype::Unknown;
  entry.rights_base = stream_rights(entry.type, host_fd);
  entry.rights_inheriting = 0;
  const int flags = fcntl(host_fd, F_GETFL);
  if (flags >= 0 && (flags & O_APPEND)) entry.fdflags |= kFdflagAppend;
  if (flags >= 0 && (flags & O_NONBLOCK)) entry.fdflags |= kFdflagNonblock;
  return entry;
}

}  // namespace

Result<std::unique_ptr<WasiContext>> WasiContext::create(WasiConfig config) {
  auto context = std::make_unique<WasiContext>(CreateTag{}, std::move(config));
  const WasiConfig& cfg = context->config_;
  context->fds_.insert_at(0, stream_entry(cfg.stdin_fd, true));
  context->fds_.insert_at(1, stream_entry(cfg.stdout_fd, true));
  context->fds_.insert_at(2, stream_entry(cfg.stderr_fd, true));
  // Sockets first, so the context owns them even when a preopen fails; they follow the preopens.
  uint32_t socket_fd = 3 + static_cast<uint32_t>(cfg.preopens.size());
  for (int socket : cfg.sockets) context->fds_.insert_at(socket_fd++, stream_entry(socket, false));
  uint32_t next_fd = 3;
  for (const Preopen& preopen : cfg.preopens) {
    const int fd = open(preopen.host_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      Error error{"cannot open directory " + preopen.host_path + ": " + std::strerror(errno)};
      error.kind = ErrorKind::Io;
      return error;
    }
    FdEntry entry;
    entry.host.reset(fd);
    entry.type = Filetype::Directory;
    entry.read_only = preopen.read_only;
    entry.rights_base = right::kDirectory & (preopen.read_only ? ~right::kMutating : right::kAll);
    // Even a read-only preopen advertises write rights for what is opened beneath it: wasi-libc
    // asks only for rights the directory can pass on, so without them open(O_WRONLY) would
    // quietly give a read-only descriptor; with them path_open refuses it (ENOTCAPABLE).
    entry.rights_inheriting = right::kDirectory | right::kRegularFile;
    entry.is_preopen = true;
    entry.preopen_name = preopen.guest_path;
    context->fds_.insert_at(next_fd++, std::move(entry));
  }
  return context;
}

GuestMemory WasiContext::memory() const {
  return GuestMemory(memory_);
}

FunctionInst* WasiContext::function(Store& store, std::string_view field) {
  const FunctionSpec* spec = find_spec(field);
  if (!spec) return nullptr;
  if (store_ != &store) {  // host functions belong to one store
    functions_.clear();
    store_ = &store;
  }
  for (const auto& [name, func] : functions_) {
    if (name == spec->name) return func;
  }
  const bool is_exit = spec->results.empty();
  Implementation implementation = spec->implementation;
  FunctionInst* func = store.create_host_function(
      type_of(*spec),
      [this, implementation, is_exit](std::span<const Value> args,
                                      std::span<Value> results) -> std::string {
        const Errno error = implementation(*this, memory(), CallArgs(args.data()));
        // proc_exit unwinds the guest like a trap; the embedder reads exit_code().
        if (is_exit) return "wasi: exit with code " + std::to_string(exit_code_.value_or(0));
        results[0] = default_value();
        results[0].u32 = static_cast<uint16_t>(error);
        return {};
      });
  functions_.emplace_back(spec->name, func);
  return func;
}

Result<std::vector<Extern>> WasiContext::resolve_imports(Store& store, const Module& module) {
  std::vector<Extern> externs;
  for (const Import& import : module.imports) {
    auto link_error = [&](const std::string& why) {
      Error error{"unknown import: \"" + import.module + "\" \"" + import.field + "\": " + why};
      error.kind = ErrorKind::Link;
      return error;
    };
    if (import.module != kModuleName) {
      return link_error("no module of that name is provided (only " + std::string(kModuleName) +
                        ")");
    }
    FunctionInst* func = import.kind == ExternKind::Func ? function(store, import.field) : nullptr;
    if (!func) return link_error("not a function of " + std::string(kModuleName));
    Extern ext{ExternKind::Func, func};
    if (std::string why = match_import(import, module, store, ext); !why.empty()) {
      return link_error(why + ": expected " + to_string(*func->type));
    }
    externs.push_back(ext);
  }
  return externs;
}

}  // namespace loom::wasi
