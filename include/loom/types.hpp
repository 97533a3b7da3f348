// Types and values of the public API: what modules import and export and what functions take.
#pragma once
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "loom/result.hpp"

namespace loom::api {

enum class ValKind : uint8_t { I32, I64, F32, F64, V128, FuncRef, ExternRef };
enum class ExternKind : uint8_t { Func, Table, Memory, Global, Tag };

struct V128 {
  uint8_t bytes[16];
  friend bool operator==(const V128& a, const V128& b) {
    return std::memcmp(a.bytes, b.bytes, 16) == 0;
  }
};

// The untagged 16-byte cell values travel in between host and wasm (typed calls use it).
union alignas(16) RawVal {
  int32_t i32;
  int64_t i64;
  float f32;
  double f64;
  V128 v128;
  void* ref;
};
static_assert(sizeof(RawVal) == 16);

struct FuncType {
  std::vector<ValKind> params;
  std::vector<ValKind> results;
  friend bool operator==(const FuncType&, const FuncType&) = default;
};
LOOM_API std::string to_string(ValKind kind);
LOOM_API std::string to_string(const FuncType& type);  // "(i32, i32) -> (i32)"

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  friend bool operator==(const Limits&, const Limits&) = default;
};
struct MemoryType {
  Limits limits;  // in 64 KiB pages
  bool is64 = false;
  friend bool operator==(const MemoryType&, const MemoryType&) = default;
};
struct TableType {
  ValKind element = ValKind::FuncRef;
  Limits limits;
  bool is64 = false;
  friend bool operator==(const TableType&, const TableType&) = default;
};
struct GlobalType {
  ValKind content = ValKind::I32;
  bool is_mutable = false;
  friend bool operator==(const GlobalType&, const GlobalType&) = default;
};

// The type of an import or export: `kind` says which member applies.
struct ExternType {
  ExternKind kind = ExternKind::Func;
  FuncType func;
  TableType table;
  MemoryType memory;
  GlobalType global;
};
struct ImportType {
  std::string module;
  std::string name;
  ExternType type;
};
struct ExportType {
  std::string name;
  ExternType type;
};

class Func;
namespace detail {
struct StoreState;
}

// A tagged value. A funcref holds a function of one store; an externref an opaque host pointer.
class Val {
 public:
  Val() : Val(int32_t{0}) {}
  Val(int32_t v) : kind_(ValKind::I32) { raw_.i32 = v; }  // NOLINT: implicit on purpose
  Val(int64_t v) : kind_(ValKind::I64) { raw_.i64 = v; }  // NOLINT
  Val(float v) : kind_(ValKind::F32) { raw_.f32 = v; }    // NOLINT
  Val(double v) : kind_(ValKind::F64) { raw_.f64 = v; }   // NOLINT
  Val(V128 v) : kind_(ValKind::V128) { raw_.v128 = v; }   // NOLINT
  Val(const Func& func);                                  // NOLINT: a funcref
  static Val externref(void* host) { return Val(ValKind::ExternRef, host, nullptr); }
  static Val null(ValKind ref_kind) { return Val(ref_kind, nullptr, nullptr); }
  // The zero value of `kind` (0, 0.0, zero vector or null).
  static Val zero(ValKind kind) { return Val(kind, nullptr, nullptr); }

  ValKind kind() const { return kind_; }
  int32_t i32() const { return raw_.i32; }
  int64_t i64() const { return raw_.i64; }
  float f32() const { return raw_.f32; }
  double f64() const { return raw_.f64; }
  V128 v128() const { return raw_.v128; }
  void* externref() const { return raw_.ref; }
  // The function of a funcref; nullopt for null (or another kind).
  std::optional<Func> funcref() const;
  bool is_null() const {
    return (kind_ == ValKind::FuncRef || kind_ == ValKind::ExternRef) && !raw_.ref;
  }

  // The raw cell; for a funcref its function object (see Func), meaningful with its store.
  const RawVal& raw() const { return raw_; }
  detail::StoreState* store_state() const { return store_; }
  static Val from_raw(ValKind kind, const RawVal& raw, detail::StoreState* store) {
    Val v(kind, nullptr, store);
    v.raw_ = raw;
    return v;
  }

 private:
  Val(ValKind kind, void* ref, detail::StoreState* store) : kind_(kind), store_(store) {
    raw_.v128 = {};
    raw_.ref = ref;
  }
  ValKind kind_;
  RawVal raw_{};
  detail::StoreState* store_ = nullptr;  // funcref: the store the function lives in
};

}  // namespace loom::api

#ifndef LOOM_BUILDING_LIBRARY
namespace loom {
using namespace ::loom::api;
}  // namespace loom
#endif
