// Pass 1: find the module's fields, give every function, table, memory, global, type, elem and
// data definition its index and bind its $id, so that pass 2 can resolve forward references.
// Explicit type definitions are parsed here so implicit ones (pass 2) come after all of them.
#include "text/wat_parser.hpp"

namespace loom::text {

bool WatParser::parse_module() {
  // `(module $id? field*)` or bare fields.
  if (is_lparen_kw("module") && t_[pos_].match + 1u == end_) {
    end_ = t_[pos_].match;
    pos_ += 2;
    module_id_ = opt_id();
  }
  if (!scan()) return false;
  return parse_fields();
}

bool WatParser::scan() {
  const size_t start = pos_;
  while (pos_ < end_) {
    if (cur().kind != TokenKind::LParen) return fail("unexpected token, expected a module field");
    const size_t open = pos_;
    fields_.push_back(open);
    if (!scan_field(open)) return false;
    pos_ = t_[open].match + 1;
  }
  pos_ = start;
  return true;
}

bool WatParser::scan_field(size_t open) {
  pos_ = open + 1;
  const Token& kw = cur();
  if (kw.kind != TokenKind::Keyword) return fail("unexpected token, expected a module field");
  ++pos_;
  const std::string_view k = kw.text;
  bool is_import = false;
  if (k == "type") {
    const Token& at = cur();
    auto id = opt_id();
    if (!bind_id(Space::Type, id, static_cast<uint32_t>(m_.types.size()), at)) return false;
    FuncType ft;
    if (!parse_func_type(ft)) return false;
    add_type(std::move(ft));
    ++space(Space::Type).count;
    return expect_rparen();
  }
  if (k == "func") return scan_import_or_def(Space::Func, open, is_import);
  if (k == "global") return scan_import_or_def(Space::Global, open, is_import);
  if (k == "table") {
    if (!scan_import_or_def(Space::Table, open, is_import)) return false;
    // `(table ... reftype (elem ...))` also defines an (anonymous) element segment.
    for (size_t i = pos_; i < t_[open].match; ++i) {
      if (is_lparen_kw("elem", i)) {
        ++space(Space::Elem).count;
        break;
      }
      if (t_[i].kind == TokenKind::LParen && !is_lparen_kw("ref", i)) i = t_[i].match;
    }
    return true;
  }
  if (k == "memory") {
    if (!scan_import_or_def(Space::Memory, open, is_import)) return false;
    for (size_t i = pos_; i < t_[open].match; ++i) {
      if (is_lparen_kw("data", i)) {
        ++space(Space::Data).count;
        break;
      }
      if (t_[i].kind == TokenKind::LParen) i = t_[i].match;
    }
    return true;
  }
  if (k == "import") {
    // (import "m" "n" (kind $id? ...))
    for (int i = 0; i < 2; ++i) {
      if (cur().kind != TokenKind::String) return fail("unexpected token, expected a string");
      ++pos_;
    }
    if (cur().kind != TokenKind::LParen) return fail("unexpected token, expected an import kind");
    if (seen_definition_) return fail(kw, "import after definition");
    const std::string_view kind = tok(pos_ + 1).text;
    Space s;
    if (kind == "func")
      s = Space::Func;
    else if (kind == "table")
      s = Space::Table;
    else if (kind == "memory")
      s = Space::Memory;
    else if (kind == "global")
      s = Space::Global;
    else
      return fail(tok(pos_ + 1), "unexpected token, expected an import kind");
    pos_ += 2;
    const Token& at = cur();
    auto id = opt_id();
    const uint32_t index = space(s).count++;
    if (s == Space::Func && id) func_ids_.emplace_back(index, std::string(*id));
    return bind_id(s, id, index, at);
  }
  if (k == "elem" || k == "data") {
    const Space s = k == "elem" ? Space::Elem : Space::Data;
    const Token& at = cur();
    auto id = opt_id();
    return bind_id(s, id, space(s).count++, at);
  }
  if (k == "export" || k == "start") return true;
  return fail(kw, "unknown module field");
}

// func/table/memory/global: `$id? (export ...)* (import ...)?` decides import vs definition.
bool WatParser::scan_import_or_def(Space s, size_t open, bool& is_import) {
  const Token& at = cur();
  auto id = opt_id();
  while (is_lparen_kw("export")) pos_ = t_[pos_].match + 1;
  is_import = is_lparen_kw("import");
  if (is_import && seen_definition_) return fail(at, "import after definition");
  if (!is_import) seen_definition_ = true;
  IndexSpace& sp = space(s);
  const uint32_t index = sp.count++;
  if (s == Space::Func && id) func_ids_.emplace_back(index, std::string(*id));
  return bind_id(s, id, index, at);
}

}  // namespace loom::text
