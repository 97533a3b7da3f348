// Byte writer with the LEB128 and type encodings of the binary format; the inverse of Reader and
// the type readers. Used by the encoder and by the text parser, which encodes bodies as it parses.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "ir/types.hpp"

namespace loom {

class ByteWriter {
 public:
  // Appends to `out`, which must outlive the writer.
  explicit ByteWriter(std::vector<uint8_t>& out) : out_(&out) {}

  std::vector<uint8_t>& buffer() { return *out_; }
  const std::vector<uint8_t>& buffer() const { return *out_; }
  size_t size() const { return out_->size(); }

  void u8(uint8_t b) { out_->push_back(b); }
  void u32(uint32_t v) { uleb(v); }
  void u64(uint64_t v) { uleb(v); }
  void s32(int32_t v) { sleb(v); }
  void s33(int64_t v) { sleb(v); }
  void s64(int64_t v) { sleb(v); }
  void fixed_u32(uint32_t v);  // little endian (f32 bits)
  void fixed_u64(uint64_t v);  // little endian (f64 bits)
  void bytes(std::span<const uint8_t> data) { out_->insert(out_->end(), data.begin(), data.end()); }
  void bytes(std::string_view data) { out_->insert(out_->end(), data.begin(), data.end()); }
  // vec(byte): a length then the bytes (names, data segment contents).
  void name(std::string_view s) {
    u32(static_cast<uint32_t>(s.size()));
    bytes(s);
  }

  void uleb(uint64_t v);
  void sleb(int64_t v);

  // Type encodings.
  void heap_type(HeapType h);
  void val_type(ValType t);  // numeric, vector, or reference (shorthand byte when one exists)
  void limits(const Limits& l, uint8_t extra_flags = 0);
  void table_type(const TableType& t);
  void memory_type(const MemoryType& t);  // limits, then a custom page size (flag 0x08)
  void global_type(const GlobalType& t);

  // Sections and other size-prefixed payloads: begin_sized() reserves nothing; end_sized() inserts
  // the minimal LEB128 size in front of everything written since begin_sized().
  size_t begin_sized() const { return out_->size(); }
  void end_sized(size_t start);

 private:
  std::vector<uint8_t>* out_;
};

// Appends the LEB128 encoding of `v` to `out` (helpers for callers without a writer).
void append_uleb(std::vector<uint8_t>& out, uint64_t v);
void append_sleb(std::vector<uint8_t>& out, int64_t v);

}  // namespace loom
