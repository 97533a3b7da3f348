// Types in the text format: value/reference/heap types, limits, table/memory/global types, and
// type uses with their abbreviations (inline signatures matched against or added to the types).

#include <bit>

#include "text/wat_parser.hpp"

namespace loom::text {

namespace {
std::optional<AbsHeap> abstract_heap(std::string_view kw) {
  if (kw == "func") return AbsHeap::Func;
  if (kw == "extern") return AbsHeap::Extern;
  if (kw == "any") return AbsHeap::Any;
  if (kw == "eq") return AbsHeap::Eq;
  if (kw == "i31") return AbsHeap::I31;
  if (kw == "struct") return AbsHeap::Struct;
  if (kw == "array") return AbsHeap::Array;
  if (kw == "none") return AbsHeap::None;
  if (kw == "nofunc") return AbsHeap::NoFunc;
  if (kw == "noextern") return AbsHeap::NoExtern;
  if (kw == "exn") return AbsHeap::Exn;
  if (kw == "noexn") return AbsHeap::NoExn;
  return std::nullopt;
}

bool is_gc_heap(AbsHeap h) {
  return h != AbsHeap::Func && h != AbsHeap::Extern;
}
}  // namespace

bool WatParser::parse_heap_type(HeapType& out) {
  if (cur().kind == TokenKind::Keyword) {
    auto h = abstract_heap(cur().text);
    if (!h || (is_gc_heap(*h) && !features_.has(Feature::Gc) &&
               !((*h == AbsHeap::Exn || *h == AbsHeap::NoExn) &&
                 features_.has(Feature::Exceptions)))) {
      return fail("unknown heap type");
    }
    out = HeapType::abstract(*h);
    ++pos_;
    return true;
  }
  if (is_index_token() && features_.has(Feature::FunctionReferences)) {
    uint32_t index = 0;
    if (!parse_index(Space::Type, index)) return false;
    out = HeapType::index(index);
    return true;
  }
  return fail("unexpected token, expected a heap type");
}

bool WatParser::parse_ref_type(ValType& out) {
  if (is_keyword("funcref")) {
    out = ValType::funcref();
  } else if (is_keyword("externref")) {
    out = ValType::externref();
  } else if (features_.has(Feature::Exceptions) &&
             (is_keyword("exnref") || is_keyword("nullexnref"))) {
    out = ValType::ref(HeapType::abstract(is_keyword("exnref") ? AbsHeap::Exn : AbsHeap::NoExn),
                       true);
  } else if (is_lparen_kw("ref") &&
             (features_.has(Feature::FunctionReferences) || features_.has(Feature::Exceptions))) {
    pos_ += 2;
    const bool nullable = is_keyword("null");
    if (nullable) ++pos_;
    HeapType h;
    if (!parse_heap_type(h)) return false;
    out = ValType::ref(h, nullable);
    return expect_rparen();
  } else {
    return fail("unexpected token, expected a reference type");
  }
  ++pos_;
  return true;
}

bool WatParser::is_val_type_start() const {
  if (cur().kind == TokenKind::LParen) return is_keyword("ref", pos_ + 1);
  if (cur().kind != TokenKind::Keyword) return false;
  const std::string_view k = cur().text;
  return k == "i32" || k == "i64" || k == "f32" || k == "f64" || k == "v128" || k == "funcref" ||
         k == "externref" || k == "exnref" || k == "nullexnref";
}

bool WatParser::parse_val_type(ValType& out) {
  if (cur().kind == TokenKind::Keyword) {
    const std::string_view k = cur().text;
    ValKind kind = ValKind::Void;
    if (k == "i32")
      kind = ValKind::I32;
    else if (k == "i64")
      kind = ValKind::I64;
    else if (k == "f32")
      kind = ValKind::F32;
    else if (k == "f64")
      kind = ValKind::F64;
    else if (k == "v128" && features_.has(Feature::Simd))
      kind = ValKind::V128;
    if (kind != ValKind::Void) {
      out = ValType(kind);
      ++pos_;
      return true;
    }
  }
  if (!is_val_type_start()) return fail("unexpected token, expected a value type");
  return parse_ref_type(out);
}

bool WatParser::parse_limits(Limits& out) {
  if (!parse_u64(out.min)) return false;
  if (cur().kind == TokenKind::Number) {
    uint64_t max = 0;
    if (!parse_u64(max)) return false;
    out.max = max;
  }
  return true;
}

bool WatParser::parse_table_type(TableType& out) {
  if (is_keyword("i64") && features_.has(Feature::Memory64)) {
    out.limits.is64 = true;
    ++pos_;
  }
  if (!parse_limits(out.limits)) return false;
  return parse_ref_type(out.elem);
}

bool WatParser::parse_memory_type(MemoryType& out) {
  if (is_keyword("i64") && features_.has(Feature::Memory64)) {
    out.limits.is64 = true;
    ++pos_;
  }
  if (!parse_limits(out.limits)) return false;
  if (is_keyword("shared") && features_.has(Feature::Threads)) {
    out.limits.shared = true;
    ++pos_;
  }
  return parse_page_size(out);
}

// custom-page-sizes: `(pagesize N)`, N a power of two (the validator accepts 1 and 65536).
bool WatParser::parse_page_size(MemoryType& out) {
  if (!is_lparen_kw("pagesize") || !features_.has(Feature::CustomPageSizes)) return true;
  pos_ += 2;
  uint64_t size = 0;
  if (!parse_u64(size)) return false;
  if (!std::has_single_bit(size)) return fail("invalid custom page size");
  out.page_size_log2 = static_cast<uint8_t>(std::countr_zero(size));
  return expect_rparen();
}

bool WatParser::parse_global_type(GlobalType& out) {
  if (is_lparen_kw("mut")) {
    pos_ += 2;
    out.is_mutable = true;
    if (!parse_val_type(out.type)) return false;
    return expect_rparen();
  }
  out.is_mutable = false;
  return parse_val_type(out.type);
}

// (param $x t) | (param t*) ... then (result t*)*; params may not follow results.
bool WatParser::parse_param_results(TypeUse& use, bool allow_names) {
  while (is_lparen_kw("param")) {
    use.has_inline = true;
    pos_ += 2;
    if (cur().kind == TokenKind::Id) {
      if (!allow_names) return fail("unexpected token, parameter names are not allowed here");
      use.param_names.push_back(t_.id_name(t_[pos_++]));
      ValType v;
      if (!parse_val_type(v)) return false;
      use.sig.params.push_back(v);
    } else {
      while (!at_rparen()) {
        ValType v;
        if (!parse_val_type(v)) return false;
        use.sig.params.push_back(v);
        use.param_names.emplace_back();
      }
    }
    if (!expect_rparen()) return false;
  }
  while (is_lparen_kw("result")) {
    use.has_inline = true;
    pos_ += 2;
    while (!at_rparen()) {
      ValType v;
      if (!parse_val_type(v)) return false;
      use.sig.results.push_back(v);
    }
    if (!expect_rparen()) return false;
  }
  return true;
}

bool WatParser::parse_typeuse(TypeUse& use, bool allow_names) {
  if (is_lparen_kw("type")) {
    pos_ += 2;
    uint32_t index = 0;
    if (!parse_index(Space::Type, index)) return false;
    use.index = index;
    if (!expect_rparen()) return false;
  }
  return parse_param_results(use, allow_names);
}

bool WatParser::parse_func_type(FuncType& out) {
  if (!expect_lparen_kw("func")) return false;
  TypeUse use;
  if (!parse_param_results(use, /*allow_names=*/true)) return false;
  out = std::move(use.sig);
  return expect_rparen();
}

std::string WatParser::signature_key(const FuncType& sig) {
  std::vector<uint8_t> bytes;
  ByteWriter w(bytes);
  w.u32(static_cast<uint32_t>(sig.params.size()));
  for (ValType v : sig.params) w.val_type(v);
  for (ValType v : sig.results) w.val_type(v);
  return std::string(bytes.begin(), bytes.end());
}

void WatParser::add_type(FuncType sig) {
  // Only the first of equal types is ever matched by an inline signature.
  type_index_.emplace(signature_key(sig), static_cast<uint32_t>(m_.types.size()));
  m_.types.push_back(std::move(sig));
}

// Hashed, so modules with many inline signatures stay linear.
uint32_t WatParser::find_or_add_type(const FuncType& sig) {
  auto it = type_index_.find(signature_key(sig));
  if (it != type_index_.end()) return it->second;
  add_type(sig);
  return static_cast<uint32_t>(m_.types.size() - 1);
}

// The abbreviations of typeuse: `(type x)` alone takes x's signature; an inline signature alone
// uses the first matching type or adds one; both must agree.
bool WatParser::resolve_typeuse(TypeUse& use, const Token& at, uint32_t& index) {
  if (!use.index) {
    index = find_or_add_type(use.sig);
    return true;
  }
  index = *use.index;
  const FuncType* def = type_at(index);
  if (use.has_inline) {
    if (def && *def != use.sig) return fail(at, "inline function type does not match (type)");
  } else if (def) {
    use.sig = *def;
    use.param_names.assign(def->params.size(), std::string_view());
  }
  return true;
}

}  // namespace loom::text
