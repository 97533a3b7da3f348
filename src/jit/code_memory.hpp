// JIT code memory (docs/runtime-abi.md "Code memory"): one address-space reservation per
// executor, committed as functions are added. Pages are never writable and executable at once
// (W^X): a function is written while its pages are read-write, then they are flipped to
// read-execute before it can run. Released (unmapped) with the executor.
#pragma once
#include <cstddef>
#include <cstdint>

namespace loom::jit {

class CodeMemory {
 public:
  // Reserves `reserve_bytes` of address space (PROT_NONE); nothing is committed yet.
  explicit CodeMemory(size_t reserve_bytes);
  ~CodeMemory();
  CodeMemory(const CodeMemory&) = delete;
  CodeMemory& operator=(const CodeMemory&) = delete;

  bool ok() const { return base_ != nullptr; }
  const uint8_t* begin() const { return base_; }
  const uint8_t* end() const { return base_ + reserved_; }

  // Makes [next free byte, + max_bytes) writable (and not executable) and returns it, or
  // nullptr when the reservation is full. Follow with finish_write.
  uint8_t* begin_write(size_t max_bytes);
  // Keeps `used` bytes of the last begin_write (16-byte aligned) and flips the pages back to
  // read-execute.
  bool finish_write(size_t used);

 private:
  uint8_t* base_ = nullptr;
  size_t reserved_ = 0;
  size_t used_ = 0;       // bytes handed out (the next function starts here)
  size_t writing_ = 0;    // max_bytes of the open begin_write
  size_t committed_ = 0;  // pages touched so far (they are RX or RW, the rest PROT_NONE)
};

}  // namespace loom::jit
