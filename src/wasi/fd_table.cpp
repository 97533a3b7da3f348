#include "wasi/fd_table.hpp"

namespace loom::wasi {

FdEntry* FdTable::find(uint32_t fd) {
  return fd < entries_.size() ? entries_[fd].get() : nullptr;
}

FdEntry* FdTable::get(uint32_t fd, Rights required, Errno& error) {
  FdEntry* entry = find(fd);
  if (!entry) {
    error = Errno::Badf;
    return nullptr;
  }
  if ((entry->rights_base & required) != required) {
    error = Errno::NotCapable;
    return nullptr;
  }
  return entry;
}

std::optional<uint32_t> FdTable::insert(FdEntry entry) {
  uint32_t fd = 0;
  while (fd < entries_.size() && entries_[fd]) ++fd;
  if (fd >= kMaxFds) return std::nullopt;
  insert_at(fd, std::move(entry));
  return fd;
}

void FdTable::insert_at(uint32_t fd, FdEntry entry) {
  if (fd >= entries_.size()) entries_.resize(fd + 1);
  entries_[fd] = std::make_unique<FdEntry>(std::move(entry));
}

bool FdTable::remove(uint32_t fd) {
  if (!find(fd)) return false;
  entries_[fd].reset();
  while (!entries_.empty() && !entries_.back()) entries_.pop_back();
  return true;
}

Errno FdTable::renumber(uint32_t from, uint32_t to) {
  if (!find(from) || !find(to)) return Errno::Badf;
  if (from == to) return Errno::Success;
  entries_[to] = std::move(entries_[from]);
  while (!entries_.empty() && !entries_.back()) entries_.pop_back();
  return Errno::Success;
}

}  // namespace loom::wasi
