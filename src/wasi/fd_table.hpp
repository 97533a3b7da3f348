// The guest's descriptor table: WASI fd numbers to host descriptors with their rights.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wasi/abi.hpp"
#include "wasi/unique_fd.hpp"

namespace loom::wasi {

// One directory entry as fd_readdir reports it.
struct DirEntry {
  uint64_t ino = 0;
  Filetype type = Filetype::Unknown;
  std::string name;
};

struct FdEntry {
  UniqueFd host;          // the host descriptor (closed with the entry, unless borrowed)
  bool borrowed = false;  // stdio: not closed by Loom
  Filetype type = Filetype::Unknown;
  Rights rights_base = 0;
  Rights rights_inheriting = 0;
  uint16_t fdflags = 0;  // as the guest last set them
  // Stdio: the host's open file description is shared with other processes (the parent shell),
  // so its status flags never change; fdflags are honoured by shared_io.hpp instead.
  bool shared_description = false;
  bool read_only = false;    // under a read-only preopen: no mutating rights, ever
  std::string preopen_name;  // the guest path of a preopened directory; empty otherwise
  bool is_preopen = false;
  // fd_readdir: the listing read when the guest started at cookie 0 (cookie = index).
  std::vector<DirEntry> dir_listing;

  FdEntry() = default;
  FdEntry(FdEntry&&) = default;
  FdEntry& operator=(FdEntry&&) = default;
  ~FdEntry() {
    if (borrowed) host.release();
  }
  int fd() const { return host.get(); }
};

class FdTable {
 public:
  // The entry for `fd` when it exists and holds every right in `required`.
  // On failure sets `error` to Badf (no such fd) or NotCapable (missing right).
  FdEntry* get(uint32_t fd, Rights required, Errno& error);
  FdEntry* find(uint32_t fd);  // no rights check; nullptr when absent

  // Inserts at the lowest free number; returns it, or nullopt when the table is full.
  std::optional<uint32_t> insert(FdEntry entry);
  void insert_at(uint32_t fd, FdEntry entry);  // replaces any entry at `fd`
  bool remove(uint32_t fd);                    // closes the host descriptor unless borrowed
  // Moves `from` to `to`, closing what was at `to`. Both must be open, else Badf (as wasmtime,
  // Node.js and the wasi-testsuite's `renumber` test have it): a guest cannot make up numbers.
  Errno renumber(uint32_t from, uint32_t to);

  uint32_t size() const { return static_cast<uint32_t>(entries_.size()); }

 private:
  static constexpr uint32_t kMaxFds = 1 << 16;
  std::vector<std::unique_ptr<FdEntry>> entries_;  // index = fd; nullptr = free
};

}  // namespace loom::wasi
