// Value, reference, function, table, memory and global types.
//
// ValType is a small value type: a kind plus, for references, nullability and a heap type. Heap
// types are either an abstract type (func, extern, ...) or a type index, which leaves room for the
// typed references and GC types of WebAssembly 3.0 without changing the representation.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace loom {

enum class ValKind : uint8_t { Void, I32, I64, F32, F64, V128, Ref };

// Abstract heap types use the top of the u32 range; smaller values are type indices.
enum class AbsHeap : uint32_t {
  Func = 0xffffff00,
  Extern,
  Any,
  Eq,
  I31,
  Struct,
  Array,
  None,
  NoFunc,
  NoExtern,
  Exn,
  NoExn,
};

struct HeapType {
  uint32_t value = static_cast<uint32_t>(AbsHeap::Func);
  static HeapType abstract(AbsHeap h) { return HeapType{static_cast<uint32_t>(h)}; }
  static HeapType index(uint32_t i) { return HeapType{i}; }
  bool is_index() const { return value < static_cast<uint32_t>(AbsHeap::Func); }
  bool is(AbsHeap h) const { return value == static_cast<uint32_t>(h); }
  friend bool operator==(HeapType, HeapType) = default;
};

struct ValType {
  ValKind kind = ValKind::Void;
  bool nullable = false;  // references only
  HeapType heap{};        // references only

  constexpr ValType() = default;
  constexpr ValType(ValKind k) : kind(k) {}  // NOLINT: numeric kinds convert implicitly
  static ValType ref(HeapType h, bool nullable) {
    ValType t(ValKind::Ref);
    t.nullable = nullable;
    t.heap = h;
    return t;
  }
  static ValType funcref() { return ref(HeapType::abstract(AbsHeap::Func), true); }
  static ValType externref() { return ref(HeapType::abstract(AbsHeap::Extern), true); }

  bool is_ref() const { return kind == ValKind::Ref; }
  bool is_num() const { return kind >= ValKind::I32 && kind <= ValKind::F64; }
  bool is_vec() const { return kind == ValKind::V128; }
  friend bool operator==(const ValType& a, const ValType& b) {
    if (a.kind != b.kind) return false;
    return a.kind != ValKind::Ref || (a.nullable == b.nullable && a.heap == b.heap);
  }
};

// Text form as in the text format: i32, funcref, (ref null 3), ...
std::string to_string(ValType t);
std::string to_string(HeapType h);

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  friend bool operator==(const FuncType&, const FuncType&) = default;
};
std::string to_string(const FuncType& t);

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool shared = false;
  bool is64 = false;  // memory64 / table64 index type
  friend bool operator==(const Limits&, const Limits&) = default;
};

struct TableType {
  ValType elem = ValType::funcref();
  Limits limits;
  friend bool operator==(const TableType&, const TableType&) = default;
};

struct MemoryType {
  Limits limits;
  // custom-page-sizes: log2 of the page size in bytes; valid are 16 (64 KiB, the default) and 0.
  uint8_t page_size_log2 = 16;
  uint64_t page_size() const { return uint64_t{1} << page_size_log2; }
  friend bool operator==(const MemoryType&, const MemoryType&) = default;
};

struct GlobalType {
  ValType type;
  bool is_mutable = false;
  friend bool operator==(const GlobalType&, const GlobalType&) = default;
};

enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3, Tag = 4 };
const char* to_string(ExternKind k);

}  // namespace loom
