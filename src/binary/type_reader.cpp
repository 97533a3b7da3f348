#include "binary/type_reader.hpp"

namespace loom {
namespace {

// Abstract heap types by their one-byte binary code (3.0 adds all but func/extern).
bool abstract_heap_from_byte(uint8_t byte, const Features& f, AbsHeap& out) {
  switch (byte) {
    case 0x70:
      out = AbsHeap::Func;
      return true;
    case 0x6f:
      out = AbsHeap::Extern;
      return true;
    default:
      break;
  }
  // exnref's heap types come with exceptions, the others with GC.
  const bool exn = byte == 0x69 || byte == 0x74;
  if (exn ? !f.has(Feature::Exceptions) && !f.has(Feature::Gc) : !f.has(Feature::Gc)) return false;
  switch (byte) {
    case 0x6e:
      out = AbsHeap::Any;
      break;
    case 0x6d:
      out = AbsHeap::Eq;
      break;
    case 0x6c:
      out = AbsHeap::I31;
      break;
    case 0x6b:
      out = AbsHeap::Struct;
      break;
    case 0x6a:
      out = AbsHeap::Array;
      break;
    case 0x71:
      out = AbsHeap::None;
      break;
    case 0x73:
      out = AbsHeap::NoFunc;
      break;
    case 0x72:
      out = AbsHeap::NoExtern;
      break;
    case 0x69:
      out = AbsHeap::Exn;
      break;
    case 0x74:
      out = AbsHeap::NoExn;
      break;
    default:
      return false;
  }
  return true;
}

bool typed_references(const Features& f) {
  return f.has(Feature::FunctionReferences) || f.has(Feature::Gc);
}

}  // namespace

bool read_heap_type(Reader& r, const Features& f, HeapType& out) {
  uint8_t byte;
  if (!r.peek_u8(byte)) return r.fail("unexpected end");
  AbsHeap abs;
  if (abstract_heap_from_byte(byte, f, abs)) {
    r.skip(1);
    out = HeapType::abstract(abs);
    return true;
  }
  if (!typed_references(f) || (byte & 0xc0) == 0x40) {
    // A negative one-byte s33 that is no known abstract type. (A first byte with the continuation
    // bit set starts a multi-byte index: 64 is 0xc0 0x00.)
    return r.fail("malformed reference type");
  }
  int64_t index;
  const size_t at = r.offset();
  if (!r.read_s33(index)) return false;
  if (index < 0 || index > 0xffffff00ll - 1) return r.fail_at(at, "malformed reference type");
  out = HeapType::index(static_cast<uint32_t>(index));
  return true;
}

bool read_ref_type(Reader& r, const Features& f, ValType& out) {
  uint8_t byte;
  if (!r.peek_u8(byte)) return r.fail("unexpected end");
  if ((byte == 0x64 || byte == 0x63) && typed_references(f)) {
    r.skip(1);
    HeapType heap;
    if (!read_heap_type(r, f, heap)) return false;
    out = ValType::ref(heap, byte == 0x63);
    return true;
  }
  AbsHeap abs;
  if (abstract_heap_from_byte(byte, f, abs)) {
    r.skip(1);
    out = ValType::ref(HeapType::abstract(abs), true);
    return true;
  }
  return r.fail("malformed reference type");
}

bool read_val_type(Reader& r, const Features& f, ValType& out) {
  uint8_t byte;
  if (!r.peek_u8(byte)) return r.fail("unexpected end");
  switch (byte) {
    case 0x7f:
      out = ValKind::I32;
      break;
    case 0x7e:
      out = ValKind::I64;
      break;
    case 0x7d:
      out = ValKind::F32;
      break;
    case 0x7c:
      out = ValKind::F64;
      break;
    case 0x7b:
      if (!f.has(Feature::Simd)) return r.fail("malformed value type");
      out = ValKind::V128;
      break;
    default: {
      const size_t at = r.offset();
      Reader probe = r;
      ValType ref;
      if (!read_ref_type(probe, f, ref)) return r.fail_at(at, "malformed value type");
      r = probe;
      out = ref;
      return true;
    }
  }
  r.skip(1);
  return true;
}

namespace {

// Limits, and for a memory with flag 0x08 (custom-page-sizes) the page size exponent after them.
bool read_limits_and_page_size(Reader& r, const Features& f, Limits& out, bool is_memory,
                               uint8_t* page_size_log2) {
  uint8_t flags;
  if (!r.read_u8(flags)) return false;
  const bool allow_shared = is_memory && f.has(Feature::Threads);
  const bool allow_64 = f.has(Feature::Memory64);
  const bool allow_page_size = page_size_log2 && f.has(Feature::CustomPageSizes);
  const uint8_t known =
      0x01 | (allow_shared ? 0x02 : 0) | (allow_64 ? 0x04 : 0) | (allow_page_size ? 0x08 : 0);
  if (flags & ~known) {
    return r.fail_at(r.offset() - 1,
                     is_memory ? "malformed memory limits flags" : "malformed table limits flags");
  }
  out.shared = flags & 0x02;
  out.is64 = flags & 0x04;
  if (out.is64) {
    if (!r.read_u64(out.min)) return false;
  } else {
    uint32_t min;
    if (!r.read_u32(min)) return false;
    out.min = min;
  }
  out.max.reset();
  if (flags & 0x01) {
    if (out.is64) {
      uint64_t max;
      if (!r.read_u64(max)) return false;
      out.max = max;
    } else {
      uint32_t max;
      if (!r.read_u32(max)) return false;
      out.max = max;
    }
  }
  if (flags & 0x08) {
    // Any exponent that names a page size representable in 64 bits decodes; the validator
    // accepts only 0 and 16.
    const size_t at = r.offset();
    uint32_t exponent;
    if (!r.read_u32(exponent)) return false;
    if (exponent >= 64) return r.fail_at(at, "invalid custom page size");
    *page_size_log2 = static_cast<uint8_t>(exponent);
  }
  return true;
}

}  // namespace

bool read_limits(Reader& r, const Features& f, Limits& out, bool is_memory) {
  return read_limits_and_page_size(r, f, out, is_memory, nullptr);
}

bool read_table_type(Reader& r, const Features& f, TableType& out) {
  return read_ref_type(r, f, out.elem) && read_limits(r, f, out.limits, false);
}

bool read_memory_type(Reader& r, const Features& f, MemoryType& out) {
  out.page_size_log2 = 16;
  return read_limits_and_page_size(r, f, out.limits, true, &out.page_size_log2);
}

bool read_global_type(Reader& r, const Features& f, GlobalType& out) {
  if (!read_val_type(r, f, out.type)) return false;
  uint8_t mut;
  if (!r.read_u8(mut)) return false;
  if (mut > 1) return r.fail_at(r.offset() - 1, "malformed mutability");
  out.is_mutable = mut == 1;
  return true;
}

bool read_block_type(Reader& r, const Features& f, BlockType& out) {
  uint8_t byte;
  if (!r.peek_u8(byte)) return r.fail("unexpected end of section or function");
  if (byte == 0x40) {
    r.skip(1);
    out.kind = BlockType::Kind::Empty;
    return true;
  }
  if ((byte & 0xc0) == 0x40) {  // a negative s33 in one byte (no continuation bit): a value type
    out.kind = BlockType::Kind::Value;
    return read_val_type(r, f, out.value);
  }
  if (byte == 0x64 || byte == 0x63) {  // (ref ht) / (ref null ht)
    out.kind = BlockType::Kind::Value;
    return read_val_type(r, f, out.value);
  }
  int64_t index;
  const size_t at = r.offset();
  if (!r.read_s33(index)) return false;
  if (index < 0) return r.fail_at(at, "malformed block type");
  if (!f.has(Feature::MultiValue)) return r.fail_at(at, "malformed block type");
  out.kind = BlockType::Kind::Index;
  out.index = static_cast<uint32_t>(index);
  if (index > UINT32_MAX) return r.fail_at(at, "malformed block type");
  return true;
}

}  // namespace loom
