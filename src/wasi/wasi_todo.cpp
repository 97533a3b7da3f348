// Functions not implemented yet (work in progress on issue #5); each returns ENOSYS.
#include "wasi/functions.hpp"

namespace loom::wasi::fn {

#define LOOM_WASI_TODO(name)                               \
  Errno name(WasiContext&, const GuestMemory&, CallArgs) { \
    return Errno::NoSys;                                   \
  }
LOOM_WASI_TODO(path_create_directory)
LOOM_WASI_TODO(path_filestat_get)
LOOM_WASI_TODO(path_filestat_set_times)
LOOM_WASI_TODO(path_link)
LOOM_WASI_TODO(path_open)
LOOM_WASI_TODO(path_readlink)
LOOM_WASI_TODO(path_remove_directory)
LOOM_WASI_TODO(path_rename)
LOOM_WASI_TODO(path_symlink)
LOOM_WASI_TODO(path_unlink_file)

}  // namespace loom::wasi::fn
