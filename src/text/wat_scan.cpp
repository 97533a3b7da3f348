// Pass 1: find the module's fields, give every function, table, memory, global, type, elem and
// data definition its index and bind its $id, so that pass 2 can resolve forward references.
// Explicit type definitions are parsed here so implicit ones (pass 2) come after all of them.
#include "text/wat_parser.hpp"

namespace loom::text {

bool WatParser::parse_module() {
  if (!scan()) return false;
  return parse_fields();
}

bool WatParser::lex_failed() {
  failed_ = true;
  error_ = lexer_.error();  // a lexical error wins over a syntax error in an earlier field
  return false;
}

void WatParser::clear_tokens() {
  tokens_.tokens.clear();
  tokens_.strings.clear();
}

void WatParser::end_tokens() {
  Token eof = tokens_.tokens.back();
  eof.kind = TokenKind::Eof;
  eof.text = {};
  tokens_.tokens.push_back(eof);
}

// Pass 1 keeps only the tokens of a field that it looks at: the field's own and those of its
// direct children (`(export "x")`, `(import ...)`, `(elem ...)`), not function bodies.
constexpr size_t kScanDepth = 2;

// Pass 1 lexes all of the text, so that, as when the whole file was tokenized before parsing, a
// lexical error anywhere is reported rather than a pass-1 error in an earlier field.
bool WatParser::scan() {
  const LexState start = lexer_.state();
  clear_tokens();
  if (!lexer_.next(tokens_)) return lex_failed();
  if (t_[0].kind == TokenKind::LParen) {
    if (!lexer_.next(tokens_)) return lex_failed();
    if (is_keyword("module", 1)) return scan_module();
  }
  lexer_.restore(start);
  bool scan_ok = true;
  return scan_top_level(scan_ok) && scan_ok;
}

// After `(module`: `$id? field* )`, which must be all of the text; otherwise the text is a
// sequence of bare fields, the first of which, `(module ...)`, is not a module field.
bool WatParser::scan_module() {
  const Token open = t_[0], module_kw = t_[1];
  const LexState after_kw = lexer_.state();
  clear_tokens();
  if (!lexer_.next(tokens_)) return lex_failed();
  if (t_[0].kind == TokenKind::Id) {
    module_id_ = std::string(t_.id_name(t_[0]));
  } else {
    lexer_.restore(after_kw);
  }
  bool scan_ok = true;
  for (;;) {
    const LexState at = lexer_.state();
    clear_tokens();
    if (!lexer_.next_group(tokens_, kScanDepth)) return lex_failed();
    if (t_[0].kind == TokenKind::RParen) break;
    if (t_[0].kind == TokenKind::Eof) {
      lexer_.fail(open, "unclosed '(': missing ')'");
      return lex_failed();
    }
    scan_group(at, scan_ok);
  }
  const LexState after_module = lexer_.state();
  clear_tokens();
  if (!lexer_.next(tokens_)) return lex_failed();
  if (t_[0].kind == TokenKind::Eof) return scan_ok;
  lexer_.restore(after_module);
  bool ignored = false;
  if (!scan_top_level(ignored)) return false;
  failed_ = false;  // this error comes first
  return fail(module_kw, "unknown module field");
}

// Lexes s-expressions up to the end of the text, scanning each as a module field while scan_ok.
bool WatParser::scan_top_level(bool& scan_ok) {
  for (;;) {
    const LexState at = lexer_.state();
    clear_tokens();
    if (!lexer_.next_group(tokens_, kScanDepth)) return lex_failed();
    if (t_[0].kind == TokenKind::Eof) return true;
    if (t_[0].kind == TokenKind::RParen) {
      lexer_.fail(t_[0], "unexpected ')': no matching '('");
      return lex_failed();
    }
    scan_group(at, scan_ok);
  }
}

// Scans the s-expression just lexed (from `at`); after the first pass-1 error only lexing goes on.
void WatParser::scan_group(const LexState& at, bool& scan_ok) {
  if (!scan_ok) return;
  if (is_keyword("type", 1)) {  // type definitions are parsed in pass 1: lex all of it
    const LexState after = lexer_.state();
    lexer_.restore(at);
    clear_tokens();
    if (!lexer_.next_group(tokens_)) return;  // lexed without error before
    lexer_.restore(after);
  }
  end_tokens();
  pos_ = 0;
  if (cur().kind != TokenKind::LParen) {
    scan_ok = fail("unexpected token, expected a module field");
    return;
  }
  fields_.push_back(at);
  scan_ok = scan_field(0);
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
  if (k == "tag") return scan_import_or_def(Space::Tag, open, is_import);
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
    else if (kind == "tag")
      s = Space::Tag;
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
