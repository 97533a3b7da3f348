// Pass 2: each module field in order, with the inline import/export, inline element and data
// abbreviations. Indices were assigned by pass 1 (wat_scan.cpp) in the same order.
#include <algorithm>

#include "binary/reader.hpp"
#include "text/wat_parser.hpp"

namespace loom::text {
namespace {

// The function index when `bytes` is exactly `ref.func x end`, else nullopt.
std::optional<uint32_t> single_ref_func(std::span<const uint8_t> bytes) {
  if (bytes.size() < 3 || bytes[0] != 0xd2 || bytes.back() != 0x0b) return std::nullopt;
  Reader r(bytes.subspan(1, bytes.size() - 2));
  uint32_t index = 0;
  if (!r.read_u32(index) || !r.at_end()) return std::nullopt;
  return index;
}

}  // namespace

// Lexes again the field that pass 1 found at `at`.
bool WatParser::lex_field(const LexState& at) {
  clear_tokens();
  lexer_.restore(at);
  if (!lexer_.next_group(tokens_)) return lex_failed();
  end_tokens();
  return true;
}

bool WatParser::parse_fields() {
  m_.bytes.reserve(text_size_ / 8);  // code is roughly a tenth of its text
  for (const LexState& at : fields_) {
    if (!lex_field(at)) return false;
    pos_ = 1;
    field_close_ = t_[0].match;
    if (!parse_field(0)) return false;
    if (pos_ != t_[0].match + 1) return fail("unexpected token");
  }
  if (uses_data_index_) m_.data_count = static_cast<uint32_t>(m_.datas.size());
  finish_names();
  return true;
}

bool WatParser::parse_field(size_t open) {
  const std::string_view k = cur().text;
  ++pos_;
  if (k == "type") {
    pos_ = t_[open].match + 1;  // parsed by pass 1
    return true;
  }
  if (k == "import") return parse_import();
  if (k == "func") return parse_func();
  if (k == "table") return parse_table();
  if (k == "memory") return parse_memory();
  if (k == "global") return parse_global();
  if (k == "export") return parse_export();
  if (k == "start") return parse_start();
  if (k == "elem") return parse_elem();
  if (k == "data") return parse_data();
  if (k == "tag") return parse_tag();
  return fail(t_[open + 1], "unknown module field");
}

bool WatParser::parse_import() {
  Import imp;
  if (!parse_name(imp.module) || !parse_name(imp.field)) return false;
  if (cur().kind != TokenKind::LParen) return unexpected();
  const Token& kind = tok(pos_ + 1);
  pos_ += 2;
  opt_id();
  if (kind.text == "func") {
    imp.kind = ExternKind::Func;
    const Token& at = cur();
    TypeUse use;
    if (!parse_typeuse(use, /*allow_names=*/true)) return false;
    if (!resolve_typeuse(use, at, imp.func_type)) return false;
  } else if (kind.text == "table") {
    imp.kind = ExternKind::Table;
    if (!parse_table_type(imp.table)) return false;
  } else if (kind.text == "memory") {
    imp.kind = ExternKind::Memory;
    if (!parse_memory_type(imp.memory)) return false;
  } else if (kind.text == "global") {
    imp.kind = ExternKind::Global;
    if (!parse_global_type(imp.global)) return false;
  } else if (kind.text == "tag") {
    imp.kind = ExternKind::Tag;
    const Token& at = cur();
    TypeUse use;
    if (!parse_typeuse(use, /*allow_names=*/false)) return false;
    if (!resolve_typeuse(use, at, imp.func_type)) return false;
  } else {
    return fail(kind, "unexpected token, expected an import kind");
  }
  if (!expect_rparen() || !expect_rparen()) return false;
  m_.add_import(std::move(imp));
  return true;
}

bool WatParser::parse_inline_exports(ExternKind kind, uint32_t index) {
  while (is_lparen_kw("export")) {
    pos_ += 2;
    Export e;
    e.kind = kind;
    e.index = index;
    if (!parse_name(e.name) || !expect_rparen()) return false;
    m_.exports.push_back(std::move(e));
  }
  return true;
}

bool WatParser::parse_inline_import(Import& imp) {
  if (!expect_lparen_kw("import")) return false;
  return parse_name(imp.module) && parse_name(imp.field) && expect_rparen();
}

// Parameters (named by the type use) and `(local $x t)` / `(local t*)` declarations; binds local
// $ids and merges runs of equal types into one LocalDecl.
bool WatParser::parse_locals(const TypeUse& use, const Token& at, FunctionBody& body,
                             NameMap& local_names) {
  locals_.clear();
  uint32_t local_index = 0;
  auto name_local = [&](std::string_view name, const Token& where) {
    if (!name.empty()) {
      if (!locals_.emplace(name, local_index).second) {
        return fail(where, "duplicate local $" + std::string(name));
      }
      local_names.emplace_back(local_index, std::string(name));
    }
    ++local_index;
    return true;
  };
  for (std::string_view name : use.param_names) {
    if (!name_local(name, at)) return false;
  }
  auto add_local = [&](ValType t) {
    if (!body.locals.empty() && body.locals.back().type == t) {
      ++body.locals.back().count;
    } else {
      body.locals.push_back(LocalDecl{1, t});
    }
    ++body.local_count;
  };
  while (is_lparen_kw("local")) {
    pos_ += 2;
    if (cur().kind == TokenKind::Id) {
      const Token& where = cur();
      if (!name_local(t_.id_name(t_[pos_++]), where)) return false;
      ValType t;
      if (!parse_val_type(t)) return false;
      add_local(t);
    } else {
      while (!at_rparen()) {
        ValType t;
        if (!parse_val_type(t)) return false;
        add_local(t);
        ++local_index;
      }
    }
    if (!expect_rparen()) return false;
  }
  return true;
}

bool WatParser::parse_func() {
  opt_id();
  const auto index = static_cast<uint32_t>(m_.num_funcs());
  if (!parse_inline_exports(ExternKind::Func, index)) return false;
  const Token& at = cur();
  if (is_lparen_kw("import")) {
    Import imp;
    imp.kind = ExternKind::Func;
    if (!parse_inline_import(imp)) return false;
    TypeUse use;
    const Token& use_at = cur();
    if (!parse_typeuse(use, true) || !resolve_typeuse(use, use_at, imp.func_type)) return false;
    m_.add_import(std::move(imp));
    return expect_rparen();
  }
  TypeUse use;
  uint32_t type_index = 0;
  if (!parse_typeuse(use, true) || !resolve_typeuse(use, at, type_index)) return false;
  m_.functions.push_back(type_index);

  FunctionBody body;
  NameMap local_names;
  if (!parse_locals(use, at, body, local_names)) return false;
  labels_.reset();
  body.code.begin = m_.bytes.size();
  body.offset = body.code.begin;
  if (!parse_instrs(field_end(), m_.bytes)) return false;
  m_.bytes.push_back(0x0b);
  body.code.end = m_.bytes.size();
  m_.bodies.push_back(std::move(body));
  if (!local_names.empty()) m_.names.locals.emplace_back(index, std::move(local_names));
  return expect_rparen();
}

bool WatParser::parse_table() {
  opt_id();
  const auto index = static_cast<uint32_t>(m_.num_tables());
  if (!parse_inline_exports(ExternKind::Table, index)) return false;
  if (is_lparen_kw("import")) {
    Import imp;
    imp.kind = ExternKind::Table;
    if (!parse_inline_import(imp) || !parse_table_type(imp.table)) return false;
    m_.add_import(std::move(imp));
    return expect_rparen();
  }
  Table table;
  // `(table $t? i64? reftype (elem ...))`: a table sized to fit an active segment at offset 0.
  const bool is64 = is_keyword("i64") && tok(pos_ + 1).kind != TokenKind::Number &&
                    features_.has(Feature::Memory64);
  if (is64) ++pos_;
  if (!is_index_token() && !is_keyword("i64")) {
    table.type.limits.is64 = is64;
    if (!parse_ref_type(table.type.elem)) return false;
    if (!expect_lparen_kw("elem")) return false;
    ElemSegment seg;
    seg.mode = SegmentMode::Active;
    seg.table = index;
    seg.type = table.type.elem;
    seg.offset.range.begin = m_.bytes.size();
    for (uint8_t b : {is64 ? 0x42 : 0x41, 0x00, 0x0b}) m_.bytes.push_back(b);  // i32/i64.const 0
    seg.offset.range.end = m_.bytes.size();
    const bool indices = cur().kind != TokenKind::LParen;
    if (!parse_elem_items(seg, indices)) return false;
    table.type.limits.min = seg.item_count();
    table.type.limits.max = seg.item_count();
    m_.tables.push_back(table);
    m_.elems.push_back(std::move(seg));
    return expect_rparen() && expect_rparen();
  }
  if (!parse_table_type(table.type)) return false;
  if (!at_rparen()) {  // 3.0: an initializer expression for every element
    table.has_init = true;
    if (!parse_const_expr(field_end(), table.init)) return false;
  }
  m_.tables.push_back(table);
  return expect_rparen();
}

bool WatParser::parse_memory() {
  opt_id();
  const auto index = static_cast<uint32_t>(m_.num_memories());
  if (!parse_inline_exports(ExternKind::Memory, index)) return false;
  if (is_lparen_kw("import")) {
    Import imp;
    imp.kind = ExternKind::Memory;
    if (!parse_inline_import(imp) || !parse_memory_type(imp.memory)) return false;
    m_.add_import(std::move(imp));
    return expect_rparen();
  }
  MemoryType mem;
  // `(memory $m? (data "..."))`: a memory sized to fit an active segment at offset 0.
  // (custom-page-sizes: `(memory i64? (pagesize N) (data "..."))` counts pages of that size.)
  const size_t data_at = is_lparen_kw("pagesize", pos_ + 1) ? pos_ + 5 : pos_ + 1;
  const bool is64 = is_keyword("i64") && is_lparen_kw("data", data_at);
  if (is64) ++pos_;
  const bool has_page_size = is_lparen_kw("pagesize") && is_lparen_kw("data", pos_ + 4);
  if (has_page_size && !parse_page_size(mem)) return false;
  if (is_lparen_kw("data")) {
    pos_ += 2;
    DataSegment seg;
    seg.mode = SegmentMode::Active;
    seg.memory = index;
    seg.flags = index == 0 ? 0 : 2;
    seg.offset.range.begin = m_.bytes.size();
    for (uint8_t b : {is64 ? 0x42 : 0x41, 0x00, 0x0b}) m_.bytes.push_back(b);
    seg.offset.range.end = m_.bytes.size();
    if (!parse_data_strings(seg.init)) return false;
    const uint64_t page = mem.page_size();
    const uint64_t pages = (seg.init.size() + page - 1) / page;
    mem.limits.min = pages;
    mem.limits.max = pages;
    mem.limits.is64 = is64;
    m_.memories.push_back(mem);
    m_.datas.push_back(seg);
    return expect_rparen() && expect_rparen();
  }
  if (!parse_memory_type(mem)) return false;
  m_.memories.push_back(mem);
  return expect_rparen();
}

bool WatParser::parse_global() {
  opt_id();
  const auto index = static_cast<uint32_t>(m_.num_globals());
  if (!parse_inline_exports(ExternKind::Global, index)) return false;
  if (is_lparen_kw("import")) {
    Import imp;
    imp.kind = ExternKind::Global;
    if (!parse_inline_import(imp) || !parse_global_type(imp.global)) return false;
    m_.add_import(std::move(imp));
    return expect_rparen();
  }
  Global g;
  if (!parse_global_type(g.type)) return false;
  if (!parse_const_expr(field_end(), g.init)) return false;
  m_.globals.push_back(g);
  return expect_rparen();
}

bool WatParser::parse_export() {
  Export e;
  if (!parse_name(e.name)) return false;
  if (cur().kind != TokenKind::LParen) return unexpected();
  const std::string_view kind = tok(pos_ + 1).text;
  Space s;
  if (kind == "func")
    e.kind = ExternKind::Func, s = Space::Func;
  else if (kind == "table")
    e.kind = ExternKind::Table, s = Space::Table;
  else if (kind == "memory")
    e.kind = ExternKind::Memory, s = Space::Memory;
  else if (kind == "global")
    e.kind = ExternKind::Global, s = Space::Global;
  else if (kind == "tag")
    e.kind = ExternKind::Tag, s = Space::Tag;
  else
    return fail(tok(pos_ + 1), "unexpected token, expected an export kind");
  pos_ += 2;
  if (!parse_index(s, e.index) || !expect_rparen()) return false;
  m_.exports.push_back(std::move(e));
  return expect_rparen();
}

bool WatParser::parse_start() {
  uint32_t func = 0;
  if (!parse_index(Space::Func, func)) return false;
  if (m_.start) return fail("multiple start sections");
  m_.start = func;
  return expect_rparen();
}

// `(offset instr*)` or a single folded instruction.
bool WatParser::parse_offset(ConstExpr& out) {
  if (is_lparen_kw("offset")) {
    const size_t close = t_[pos_].match;
    pos_ += 2;
    if (!parse_const_expr(close, out)) return false;
    return expect_rparen();
  }
  if (cur().kind != TokenKind::LParen) return unexpected();
  return parse_const_expr(t_[pos_].match + 1, out);
}

// Element items: function indices, or expressions `(item instr*)` / `(instr)`.
bool WatParser::parse_elem_items(ElemSegment& seg, bool indices) {
  std::vector<ConstExpr> exprs;
  if (indices) {
    while (!at_rparen()) {
      uint32_t f = 0;
      if (!parse_index(Space::Func, f)) return false;
      seg.func_indices.push_back(f);
    }
  } else {
    while (!at_rparen()) {
      ConstExpr e;
      if (cur().kind != TokenKind::LParen) return unexpected();
      if (is_lparen_kw("item")) {
        const size_t close = t_[pos_].match;
        pos_ += 2;
        if (!parse_const_expr(close, e) || !expect_rparen()) return false;
      } else if (!parse_const_expr(t_[pos_].match + 1, e)) {
        return false;
      }
      exprs.push_back(e);
    }
  }
  // Items that are all `ref.func x` of a funcref segment are written as plain indices (flags 0-3),
  // otherwise as expressions (flags 4-7), as other tools do. The segment keeps its written type
  // (funcref), while a list of plain indices is (ref func) with typed references.
  bool all_ref_func = seg.type == ValType::funcref();
  std::vector<uint32_t> funcs;
  for (const ConstExpr& e : exprs) {
    auto f = all_ref_func ? single_ref_func(m_.slice(e.range)) : std::nullopt;
    if (!f) {
      all_ref_func = false;
      break;
    }
    funcs.push_back(*f);
  }
  if (!indices) {
    if (all_ref_func)
      seg.func_indices = std::move(funcs);
    else
      seg.exprs = std::move(exprs);
  }
  const bool uses_exprs = !indices && !all_ref_func;
  uint32_t flags = 0;
  switch (seg.mode) {
    case SegmentMode::Active:
      flags = (seg.table != 0 || (uses_exprs && seg.type != ValType::funcref())) ? 2 : 0;
      break;
    case SegmentMode::Passive:
      flags = 1;
      break;
    case SegmentMode::Declarative:
      flags = 3;
      break;
  }
  seg.flags = flags | (uses_exprs ? 4 : 0);
  return true;
}

bool WatParser::parse_elem() {
  opt_id();
  ElemSegment seg;
  seg.mode = SegmentMode::Passive;
  bool explicit_table = false;
  if (is_keyword("declare")) {
    seg.mode = SegmentMode::Declarative;
    ++pos_;
  } else {
    if (is_lparen_kw("table")) {
      pos_ += 2;
      if (!parse_index(Space::Table, seg.table) || !expect_rparen()) return false;
      explicit_table = true;
    } else if (cur().kind == TokenKind::Number) {
      if (!parse_index(Space::Table, seg.table)) return false;  // MVP form: a bare table index
      explicit_table = true;
    }
    const bool has_offset =
        is_lparen_kw("offset") ||
        (cur().kind == TokenKind::LParen && tok(pos_ + 1).kind == TokenKind::Keyword &&
         !is_lparen_kw("item") && !is_lparen_kw("ref"));
    if (has_offset) {
      seg.mode = SegmentMode::Active;
      if (!parse_offset(seg.offset)) return false;
    } else if (explicit_table) {
      return fail("unexpected token, expected an offset");
    }
  }
  // Element list: `func x*`, `reftype expr*`, or (active, MVP form) just `x*`.
  bool indices = true;
  if (features_.has(Feature::FunctionReferences)) {
    seg.type = ValType::ref(HeapType::abstract(AbsHeap::Func), false);
  }
  if (is_keyword("func")) {
    ++pos_;
  } else if (is_keyword("funcref") || is_keyword("externref") || is_lparen_kw("ref")) {
    if (!parse_ref_type(seg.type)) return false;
    indices = false;
  } else if (seg.mode != SegmentMode::Active || explicit_table) {
    return fail("unexpected token, expected an element list");
  }
  if (!parse_elem_items(seg, indices)) return false;
  m_.elems.push_back(std::move(seg));
  return expect_rparen();
}

bool WatParser::parse_data_strings(ByteRange& out) {
  out.begin = m_.bytes.size();
  while (cur().kind == TokenKind::String) {
    const std::string& s = t_.string_value(t_[pos_++]);
    m_.bytes.insert(m_.bytes.end(), s.begin(), s.end());
  }
  out.end = m_.bytes.size();
  return true;
}

bool WatParser::parse_data() {
  opt_id();
  DataSegment seg;
  seg.mode = SegmentMode::Passive;
  seg.flags = 1;
  bool explicit_memory = false;
  if (is_lparen_kw("memory")) {
    pos_ += 2;
    if (!parse_index(Space::Memory, seg.memory) || !expect_rparen()) return false;
    explicit_memory = true;
  } else if (cur().kind == TokenKind::Number) {
    if (!parse_index(Space::Memory, seg.memory)) return false;  // MVP form
    explicit_memory = true;
  }
  if (cur().kind == TokenKind::LParen) {
    seg.mode = SegmentMode::Active;
    seg.flags = seg.memory == 0 ? 0 : 2;
    if (!parse_offset(seg.offset)) return false;
  } else if (explicit_memory) {
    return fail("unexpected token, expected an offset");
  }
  if (!parse_data_strings(seg.init)) return false;
  m_.datas.push_back(seg);
  return expect_rparen();
}

void WatParser::finish_names() {
  if (module_id_) {
    m_.names.has_module = true;
    m_.names.module = *module_id_;
  }
  std::sort(func_ids_.begin(), func_ids_.end());
  m_.names.functions = std::move(func_ids_);
  std::sort(m_.names.locals.begin(), m_.names.locals.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
}

}  // namespace loom::text
