#include "binary/writer.hpp"

namespace loom {

void append_uleb(std::vector<uint8_t>& out, uint64_t v) {
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    if (v) byte |= 0x80;
    out.push_back(byte);
  } while (v);
}

void append_sleb(std::vector<uint8_t>& out, int64_t v) {
  for (;;) {
    const uint8_t byte = v & 0x7f;
    v >>= 7;  // arithmetic shift keeps the sign
    const bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
    out.push_back(done ? byte : byte | 0x80);
    if (done) return;
  }
}

void ByteWriter::uleb(uint64_t v) {
  append_uleb(*out_, v);
}
void ByteWriter::sleb(int64_t v) {
  append_sleb(*out_, v);
}

void ByteWriter::fixed_u32(uint32_t v) {
  for (int i = 0; i < 4; ++i) u8(static_cast<uint8_t>(v >> (8 * i)));
}

void ByteWriter::fixed_u64(uint64_t v) {
  for (int i = 0; i < 8; ++i) u8(static_cast<uint8_t>(v >> (8 * i)));
}

namespace {

// The one-byte code of an abstract heap type (also the shorthand for its nullable reference).
uint8_t abstract_heap_code(AbsHeap h) {
  switch (h) {
    case AbsHeap::Func:
      return 0x70;
    case AbsHeap::Extern:
      return 0x6f;
    case AbsHeap::Any:
      return 0x6e;
    case AbsHeap::Eq:
      return 0x6d;
    case AbsHeap::I31:
      return 0x6c;
    case AbsHeap::Struct:
      return 0x6b;
    case AbsHeap::Array:
      return 0x6a;
    case AbsHeap::None:
      return 0x71;
    case AbsHeap::NoFunc:
      return 0x73;
    case AbsHeap::NoExtern:
      return 0x72;
    case AbsHeap::Exn:
      return 0x69;
    case AbsHeap::NoExn:
      return 0x74;
  }
  return 0x70;
}

}  // namespace

void ByteWriter::heap_type(HeapType h) {
  if (h.is_index()) {
    s33(h.value);
  } else {
    u8(abstract_heap_code(static_cast<AbsHeap>(h.value)));
  }
}

void ByteWriter::val_type(ValType t) {
  switch (t.kind) {
    case ValKind::Void:
      u8(0x40);
      return;
    case ValKind::I32:
      u8(0x7f);
      return;
    case ValKind::I64:
      u8(0x7e);
      return;
    case ValKind::F32:
      u8(0x7d);
      return;
    case ValKind::F64:
      u8(0x7c);
      return;
    case ValKind::V128:
      u8(0x7b);
      return;
    case ValKind::Ref:
      if (t.nullable && !t.heap.is_index()) {
        heap_type(t.heap);  // funcref, externref, ... shorthands
      } else {
        u8(t.nullable ? 0x63 : 0x64);
        heap_type(t.heap);
      }
      return;
  }
}

void ByteWriter::limits(const Limits& l, uint8_t extra_flags) {
  uint8_t flags = extra_flags | (l.max ? 1 : 0);
  if (l.shared) flags |= 2;
  if (l.is64) flags |= 4;
  u8(flags);
  u64(l.min);
  if (l.max) u64(*l.max);
}

void ByteWriter::memory_type(const MemoryType& t) {
  if (t.page_size_log2 == 16) return limits(t.limits);
  limits(t.limits, 0x08);
  u32(t.page_size_log2);
}

void ByteWriter::table_type(const TableType& t) {
  val_type(t.elem);
  limits(t.limits);
}

void ByteWriter::global_type(const GlobalType& t) {
  val_type(t.type);
  u8(t.is_mutable ? 1 : 0);
}

void ByteWriter::end_sized(size_t start) {
  std::vector<uint8_t> size;
  append_uleb(size, out_->size() - start);
  out_->insert(out_->begin() + static_cast<std::ptrdiff_t>(start), size.begin(), size.end());
}

}  // namespace loom
