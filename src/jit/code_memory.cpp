#include "jit/code_memory.hpp"

#include <sys/mman.h>
#include <unistd.h>

namespace loom::jit {
namespace {

size_t page_size() {
  static const size_t size = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return size;
}
size_t round_down(size_t v) {
  return v / page_size() * page_size();
}
size_t round_up(size_t v) {
  return (v + page_size() - 1) / page_size() * page_size();
}

}  // namespace

CodeMemory::CodeMemory(size_t reserve_bytes) {
  reserve_bytes = round_up(reserve_bytes);
  void* p =
      mmap(nullptr, reserve_bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return;
  base_ = static_cast<uint8_t*>(p);
  reserved_ = reserve_bytes;
}

CodeMemory::~CodeMemory() {
  if (base_) munmap(base_, reserved_);
}

uint8_t* CodeMemory::begin_write(size_t max_bytes) {
  if (!base_ || max_bytes > reserved_ - used_) return nullptr;
  // The first page may hold the end of earlier code: it becomes RW (not X) while we write.
  const size_t from = round_down(used_);
  const size_t to = round_up(used_ + max_bytes);
  if (mprotect(base_ + from, to - from, PROT_READ | PROT_WRITE) != 0) return nullptr;
  writing_ = max_bytes;
  if (to > committed_) committed_ = to;
  return base_ + used_;
}

bool CodeMemory::finish_write(size_t used) {
  if (used > writing_) used = writing_;
  const size_t from = round_down(used_);
  const size_t to = round_up(used_ + writing_);
  used_ = (used_ + used + 15) / 16 * 16;
  if (used_ > reserved_) used_ = reserved_;
  writing_ = 0;
  // Pages written but unused stay mapped RX (harmless: they hold no code).
  return mprotect(base_ + from, to - from, PROT_READ | PROT_EXEC) == 0;
}

}  // namespace loom::jit
