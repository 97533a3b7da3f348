// A small byte-level WebAssembly module builder for tests, fuzz seeds and benchmarks.
//
// It writes exactly the bytes it is told to (including malformed ones), so tests can build both
// valid modules and precisely broken ones. Header-only, no dependency on the code under test.
//
//   using namespace loom::test;
//   ModuleBuilder mb;
//   mb.section(kTypeSection, vec({func_type({kI32}, {kI32})}));
//   mb.section(kFunctionSection, vec_u32({0}));
//   mb.section(kCodeSection, vec({body({}, Bytes{op::kLocalGet, 0, op::kEnd})}));
//   std::vector<uint8_t> wasm = mb.bytes();
#pragma once
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "binary/section_id.hpp"

namespace loom::test {

// A growable byte string with fluent LEB128 / fixed-width emitters.
class Bytes {
 public:
  Bytes() = default;
  Bytes(std::initializer_list<uint8_t> init) : data_(init) {}
  explicit Bytes(std::vector<uint8_t> data) : data_(std::move(data)) {}

  Bytes& u8(uint8_t b) {
    data_.push_back(b);
    return *this;
  }
  Bytes& raw(std::initializer_list<uint8_t> bytes) {
    data_.insert(data_.end(), bytes.begin(), bytes.end());
    return *this;
  }
  Bytes& append(const Bytes& other) {
    data_.insert(data_.end(), other.data_.begin(), other.data_.end());
    return *this;
  }
  Bytes& append(const std::vector<uint8_t>& other) {
    data_.insert(data_.end(), other.begin(), other.end());
    return *this;
  }
  // Unsigned LEB128 in the fewest bytes.
  Bytes& uleb(uint64_t value) {
    do {
      uint8_t byte = value & 0x7f;
      value >>= 7;
      if (value) byte |= 0x80;
      data_.push_back(byte);
    } while (value);
    return *this;
  }
  // Unsigned LEB128 padded with redundant continuation bytes to exactly `width` bytes.
  Bytes& uleb_padded(uint64_t value, unsigned width) {
    for (unsigned i = 0; i < width; ++i) {
      uint8_t byte = value & 0x7f;
      value >>= 7;
      if (i + 1 < width) byte |= 0x80;
      data_.push_back(byte);
    }
    return *this;
  }
  // Signed LEB128 in the fewest bytes.
  Bytes& sleb(int64_t value) {
    for (;;) {
      const uint8_t byte = value & 0x7f;
      value >>= 7;  // arithmetic shift
      const bool done = (value == 0 && !(byte & 0x40)) || (value == -1 && (byte & 0x40));
      data_.push_back(done ? byte : byte | 0x80);
      if (done) break;
    }
    return *this;
  }
  Bytes& u32(uint32_t value) { return uleb(value); }
  Bytes& u64(uint64_t value) { return uleb(value); }
  Bytes& s32(int32_t value) { return sleb(value); }
  Bytes& s33(int64_t value) { return sleb(value); }
  Bytes& s64(int64_t value) { return sleb(value); }
  Bytes& fixed_u32(uint32_t value) {
    for (int i = 0; i < 4; ++i) data_.push_back(uint8_t(value >> (8 * i)));
    return *this;
  }
  Bytes& fixed_u64(uint64_t value) {
    for (int i = 0; i < 8; ++i) data_.push_back(uint8_t(value >> (8 * i)));
    return *this;
  }
  Bytes& f32(float value) {
    uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return fixed_u32(bits);
  }
  Bytes& f64(double value) {
    uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return fixed_u64(bits);
  }
  // A name: u32 length then the bytes (not checked for UTF-8, so tests can break it).
  Bytes& name(std::string_view text) {
    uleb(text.size());
    // push_back rather than a range insert: GCC 12 reports a false -Wstringop-overflow when a
    // range insert into vector<uint8_t> is followed by push_back in inlined builder chains.
    for (char c : text) data_.push_back(static_cast<uint8_t>(c));
    return *this;
  }

  size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  uint8_t operator[](size_t i) const { return data_[i]; }
  const std::vector<uint8_t>& vec() const { return data_; }
  std::vector<uint8_t>& vec() { return data_; }
  operator const std::vector<uint8_t>&() const { return data_; }  // NOLINT: implicit on purpose
  friend bool operator==(const Bytes&, const Bytes&) = default;

 private:
  std::vector<uint8_t> data_;
};

inline Bytes uleb(uint64_t value) {
  return Bytes().uleb(value);
}
inline Bytes sleb(int64_t value) {
  return Bytes().sleb(value);
}
inline size_t uleb_size(uint64_t value) {
  return uleb(value).size();
}
// Concatenates byte pieces: cat({Bytes{op::kI32Const, 0}, more, ...}).
inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& part : parts) out.append(part);
  return out;
}

// ---- Binary format constants ----

inline constexpr uint8_t kMagic[] = {0x00, 0x61, 0x73, 0x6d};
inline constexpr uint8_t kVersion[] = {0x01, 0x00, 0x00, 0x00};
inline constexpr size_t kHeaderSize = 8;

// The section ids are the engine's own (src/binary/section_id.hpp), so tests and decoder agree.
using loom::SectionId;
using enum loom::SectionId;

inline constexpr uint8_t kI32 = 0x7f;
inline constexpr uint8_t kI64 = 0x7e;
inline constexpr uint8_t kF32 = 0x7d;
inline constexpr uint8_t kF64 = 0x7c;
inline constexpr uint8_t kV128 = 0x7b;
inline constexpr uint8_t kFuncRef = 0x70;
inline constexpr uint8_t kExternRef = 0x6f;
inline constexpr uint8_t kEmptyBlock = 0x40;

enum ExternalKind : uint8_t {
  kExternFunc = 0,
  kExternTable = 1,
  kExternMemory = 2,
  kExternGlobal = 3
};

// Single-byte opcodes used often enough in hand-written bodies to deserve a name.
namespace op {
inline constexpr uint8_t kUnreachable = 0x00;
inline constexpr uint8_t kNop = 0x01;
inline constexpr uint8_t kBlock = 0x02;
inline constexpr uint8_t kLoop = 0x03;
inline constexpr uint8_t kIf = 0x04;
inline constexpr uint8_t kElse = 0x05;
inline constexpr uint8_t kEnd = 0x0b;
inline constexpr uint8_t kBr = 0x0c;
inline constexpr uint8_t kBrIf = 0x0d;
inline constexpr uint8_t kBrTable = 0x0e;
inline constexpr uint8_t kReturn = 0x0f;
inline constexpr uint8_t kCall = 0x10;
inline constexpr uint8_t kCallIndirect = 0x11;
inline constexpr uint8_t kDrop = 0x1a;
inline constexpr uint8_t kSelect = 0x1b;
inline constexpr uint8_t kLocalGet = 0x20;
inline constexpr uint8_t kLocalSet = 0x21;
inline constexpr uint8_t kLocalTee = 0x22;
inline constexpr uint8_t kGlobalGet = 0x23;
inline constexpr uint8_t kGlobalSet = 0x24;
inline constexpr uint8_t kI32Load = 0x28;
inline constexpr uint8_t kI64Load = 0x29;
inline constexpr uint8_t kI32Load8U = 0x2d;
inline constexpr uint8_t kI32Store = 0x36;
inline constexpr uint8_t kI64Store = 0x37;
inline constexpr uint8_t kI32Const = 0x41;
inline constexpr uint8_t kI64Const = 0x42;
inline constexpr uint8_t kF32Const = 0x43;
inline constexpr uint8_t kF64Const = 0x44;
inline constexpr uint8_t kI32Eqz = 0x45;
inline constexpr uint8_t kI32Eq = 0x46;
inline constexpr uint8_t kI32Ne = 0x47;
inline constexpr uint8_t kI32LtS = 0x48;
inline constexpr uint8_t kI32Add = 0x6a;
inline constexpr uint8_t kI32Sub = 0x6b;
inline constexpr uint8_t kI32Mul = 0x6c;
inline constexpr uint8_t kI32And = 0x71;
inline constexpr uint8_t kI32Xor = 0x73;
inline constexpr uint8_t kI32Shl = 0x74;
inline constexpr uint8_t kI32ShrU = 0x76;
inline constexpr uint8_t kI64Add = 0x7c;
inline constexpr uint8_t kI64Mul = 0x7e;
inline constexpr uint8_t kI64ExtendI32U = 0xad;
inline constexpr uint8_t kI32WrapI64 = 0xa7;
inline constexpr uint8_t kF64Add = 0xa0;
inline constexpr uint8_t kF64Mul = 0xa2;
inline constexpr uint8_t kF64ConvertI32S = 0xb7;
inline constexpr uint8_t kI32TruncF64S = 0xaa;
inline constexpr uint8_t kRefNull = 0xd0;
inline constexpr uint8_t kRefFunc = 0xd2;
inline constexpr uint8_t kPrefixFC = 0xfc;
inline constexpr uint8_t kPrefixFD = 0xfd;
}  // namespace op

// ---- Section payload helpers ----

// vec(items): u32 count then each item's bytes.
inline Bytes vec(const std::vector<Bytes>& items) {
  Bytes out;
  out.uleb(items.size());
  for (const Bytes& item : items) out.append(item);
  return out;
}
// vec(u32): used by the function section, br_table targets, elem function indices.
inline Bytes vec_u32(const std::vector<uint32_t>& values) {
  Bytes out;
  out.uleb(values.size());
  for (uint32_t v : values) out.uleb(v);
  return out;
}

// A whole section: id, u32 size, payload.
inline Bytes section(uint8_t id, const Bytes& payload) {
  return Bytes().u8(id).uleb(payload.size()).append(payload);
}

// functype: 0x60 vec(params) vec(results); value types are single bytes here.
inline Bytes func_type(std::initializer_list<uint8_t> params,
                       std::initializer_list<uint8_t> results) {
  Bytes out;
  out.u8(0x60).uleb(params.size()).raw(params).uleb(results.size()).raw(results);
  return out;
}
// The same, for value types held in Bytes.
inline Bytes func_type(const Bytes& params, const Bytes& results) {
  return Bytes().u8(0x60).uleb(params.size()).append(params).uleb(results.size()).append(results);
}

// GC type forms (3.0): a struct of `fields` (each a storage type then a mutability byte), a
// subtype with an optional supertype, and a rec group.
inline Bytes struct_type(const std::vector<Bytes>& fields) {
  Bytes out;
  out.u8(0x5f).uleb(fields.size());
  for (const Bytes& f : fields) out.append(f);
  return out;
}
inline Bytes field_type(uint8_t storage_type, bool is_mutable) {
  return Bytes().u8(storage_type).u8(is_mutable ? 1 : 0);
}
inline Bytes sub_type(const Bytes& composite, std::optional<uint32_t> super, bool is_final) {
  Bytes out;
  out.u8(is_final ? 0x4f : 0x50);
  if (super) {
    out.uleb(1).uleb(*super);
  } else {
    out.uleb(0);
  }
  return out.append(composite);
}
inline Bytes rec_group(const std::vector<Bytes>& types) {
  Bytes out;
  out.u8(0x4e).uleb(types.size());
  for (const Bytes& t : types) out.append(t);
  return out;
}

// limits: flag 0 (min) or 1 (min, max).
inline Bytes limits(uint32_t min) {
  return Bytes().u8(0).uleb(min);
}
inline Bytes limits(uint32_t min, uint32_t max) {
  return Bytes().u8(1).uleb(min).uleb(max);
}

// import entries
inline Bytes import_func(std::string_view module, std::string_view field, uint32_t type_index) {
  return Bytes().name(module).name(field).u8(kExternFunc).uleb(type_index);
}
inline Bytes import_table(std::string_view module, std::string_view field, uint8_t ref_type,
                          const Bytes& table_limits) {
  return Bytes().name(module).name(field).u8(kExternTable).u8(ref_type).append(table_limits);
}
inline Bytes import_memory(std::string_view module, std::string_view field,
                           const Bytes& memory_limits) {
  return Bytes().name(module).name(field).u8(kExternMemory).append(memory_limits);
}
inline Bytes import_global(std::string_view module, std::string_view field, uint8_t val_type,
                           bool is_mutable) {
  return Bytes().name(module).name(field).u8(kExternGlobal).u8(val_type).u8(is_mutable ? 1 : 0);
}

inline Bytes export_entry(std::string_view name, uint8_t kind, uint32_t index) {
  return Bytes().name(name).u8(kind).uleb(index);
}

// i32.const as an instruction (no `end`), for building bodies.
inline Bytes i32_const(int32_t value) {
  return Bytes().u8(op::kI32Const).sleb(value);
}

// Constant expressions (with their final `end`).
inline Bytes i32_const_expr(int32_t value) {
  return Bytes().u8(op::kI32Const).sleb(value).u8(op::kEnd);
}
inline Bytes i64_const_expr(int64_t value) {
  return Bytes().u8(op::kI64Const).sleb(value).u8(op::kEnd);
}
inline Bytes ref_func_expr(uint32_t func) {
  return Bytes().u8(op::kRefFunc).uleb(func).u8(op::kEnd);
}
inline Bytes ref_null_expr(uint8_t heap_type) {
  return Bytes().u8(op::kRefNull).u8(heap_type).u8(op::kEnd);
}

// global: valtype mut expr
inline Bytes global_entry(uint8_t val_type, bool is_mutable, const Bytes& init) {
  return Bytes().u8(val_type).u8(is_mutable ? 1 : 0).append(init);
}

// A local declaration run: count copies of one value type.
struct Locals {
  uint32_t count;
  uint8_t type;
};

// A code section entry: u32 size, then vec(locals) and the instruction bytes (which should end
// with `end`).
inline Bytes body(const std::vector<Locals>& locals, const Bytes& code) {
  Bytes inner;
  inner.uleb(locals.size());
  for (const Locals& run : locals) inner.uleb(run.count).u8(run.type);
  inner.append(code);
  return Bytes().uleb(inner.size()).append(inner);
}
inline Bytes body(std::initializer_list<Locals> locals, const Bytes& code) {
  return body(std::vector<Locals>(locals), code);
}

// A data section entry for flags 0 (active, memory 0), 1 (passive) and 2 (explicit memory).
inline Bytes data_active(const Bytes& offset_expr, std::string_view init) {
  return Bytes().u8(0).append(offset_expr).name(init);
}
inline Bytes data_passive(std::string_view init) {
  return Bytes().u8(1).name(init);
}
inline Bytes data_active_memory(uint32_t memory, const Bytes& offset_expr, std::string_view init) {
  return Bytes().u8(2).uleb(memory).append(offset_expr).name(init);
}

// The custom section's payload: its name then arbitrary bytes.
inline Bytes custom_payload(std::string_view name, const Bytes& data) {
  return Bytes().name(name).append(data);
}

// A name-section subsection: id, u32 size, payload.
inline Bytes name_subsection(uint8_t id, const Bytes& payload) {
  return section(id, payload);
}

// Builds a module: header plus sections, remembering where each section's payload starts so that
// tests can compute the absolute offsets errors should be reported at.
class ModuleBuilder {
 public:
  ModuleBuilder() {
    bytes_.raw({kMagic[0], kMagic[1], kMagic[2], kMagic[3]});
    bytes_.raw({kVersion[0], kVersion[1], kVersion[2], kVersion[3]});
  }

  // Appends a section and returns the absolute offset of its payload's first byte.
  size_t section(uint8_t id, const Bytes& payload) {
    bytes_.u8(id).uleb(payload.size());
    const size_t payload_offset = bytes_.size();
    bytes_.append(payload);
    return payload_offset;
  }
  size_t custom(std::string_view name, const Bytes& data) {
    return section(kCustomSection, custom_payload(name, data));
  }
  // Appends arbitrary bytes (for hand-made damage); returns their offset.
  size_t raw(const Bytes& bytes) {
    const size_t at = bytes_.size();
    bytes_.append(bytes);
    return at;
  }

  size_t size() const { return bytes_.size(); }
  const std::vector<uint8_t>& bytes() const { return bytes_.vec(); }

 private:
  Bytes bytes_;
};

// The smallest interesting valid module: one function of type [] -> [] with the given body code
// (which should end with `end`) and locals.
inline std::vector<uint8_t> module_with_body(const Bytes& code,
                                             std::initializer_list<Locals> locals = {}) {
  ModuleBuilder mb;
  mb.section(kTypeSection, vec({func_type({}, {})}));
  mb.section(kFunctionSection, vec_u32({0}));
  mb.section(kCodeSection, vec({body(locals, code)}));
  return mb.bytes();
}

}  // namespace loom::test
