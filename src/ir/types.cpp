#include "ir/types.hpp"

namespace loom {

// The abstract heap type a concrete type of `kind` sits directly below.
AbsHeap abstract_of(CompKind kind) {
  switch (kind) {
    case CompKind::Func:
      return AbsHeap::Func;
    case CompKind::Struct:
      return AbsHeap::Struct;
    case CompKind::Array:
      return AbsHeap::Array;
  }
  return AbsHeap::Func;
}

bool abstract_heap_matches(AbsHeap a, AbsHeap b) {
  if (a == b) return true;
  switch (a) {
    case AbsHeap::None:
      return b == AbsHeap::Any || b == AbsHeap::Eq || b == AbsHeap::I31 || b == AbsHeap::Struct ||
             b == AbsHeap::Array;
    case AbsHeap::I31:
    case AbsHeap::Struct:
    case AbsHeap::Array:
      return b == AbsHeap::Eq || b == AbsHeap::Any;
    case AbsHeap::Eq:
      return b == AbsHeap::Any;
    case AbsHeap::NoFunc:
      return b == AbsHeap::Func;
    case AbsHeap::NoExtern:
      return b == AbsHeap::Extern;
    case AbsHeap::NoExn:
      return b == AbsHeap::Exn;
    default:
      return false;
  }
}

AbsHeap abstract_top(AbsHeap h) {
  switch (h) {
    case AbsHeap::Func:
    case AbsHeap::NoFunc:
      return AbsHeap::Func;
    case AbsHeap::Extern:
    case AbsHeap::NoExtern:
      return AbsHeap::Extern;
    case AbsHeap::Exn:
    case AbsHeap::NoExn:
      return AbsHeap::Exn;
    default:
      return AbsHeap::Any;
  }
}

AbsHeap abstract_bottom(AbsHeap h) {
  switch (abstract_top(h)) {
    case AbsHeap::Func:
      return AbsHeap::NoFunc;
    case AbsHeap::Extern:
      return AbsHeap::NoExtern;
    case AbsHeap::Exn:
      return AbsHeap::NoExn;
    default:
      return AbsHeap::None;
  }
}

std::string to_string(HeapType h) {
  if (h.is_index()) return std::to_string(h.value);
  switch (static_cast<AbsHeap>(h.value)) {
    case AbsHeap::Func:
      return "func";
    case AbsHeap::Extern:
      return "extern";
    case AbsHeap::Any:
      return "any";
    case AbsHeap::Eq:
      return "eq";
    case AbsHeap::I31:
      return "i31";
    case AbsHeap::Struct:
      return "struct";
    case AbsHeap::Array:
      return "array";
    case AbsHeap::None:
      return "none";
    case AbsHeap::NoFunc:
      return "nofunc";
    case AbsHeap::NoExtern:
      return "noextern";
    case AbsHeap::Exn:
      return "exn";
    case AbsHeap::NoExn:
      return "noexn";
  }
  return "?";
}

std::string to_string(ValType t) {
  switch (t.kind) {
    case ValKind::Void:
      return "void";
    case ValKind::I32:
      return "i32";
    case ValKind::I64:
      return "i64";
    case ValKind::F32:
      return "f32";
    case ValKind::F64:
      return "f64";
    case ValKind::V128:
      return "v128";
    case ValKind::Ref:
      if (t.nullable && !t.heap.is_index()) return to_string(t.heap) + "ref";
      return std::string("(ref ") + (t.nullable ? "null " : "") + to_string(t.heap) + ")";
  }
  return "?";
}

std::string to_string(const FuncType& t) {
  std::string out = "[";
  for (size_t i = 0; i < t.params.size(); ++i) out += (i ? " " : "") + to_string(t.params[i]);
  out += "] -> [";
  for (size_t i = 0; i < t.results.size(); ++i) out += (i ? " " : "") + to_string(t.results[i]);
  return out + "]";
}

const char* to_string(ExternKind k) {
  switch (k) {
    case ExternKind::Func:
      return "func";
    case ExternKind::Table:
      return "table";
    case ExternKind::Memory:
      return "memory";
    case ExternKind::Global:
      return "global";
    case ExternKind::Tag:
      return "tag";
  }
  return "?";
}

}  // namespace loom
