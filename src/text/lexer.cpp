#include "text/lexer.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <span>

#include "binary/reader.hpp"
#include "ir/limits.hpp"

namespace loom::text {
namespace {

// idchar: 0-9 a-z A-Z and ! # $ % & ' * + - . / : < = > ? @ \\ ^ _ ` | ~
constexpr std::array<bool, 256> kIdChar = [] {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
  for (char c : std::string_view("!#$%&'*+-./:<=>?@\\^_`|~")) table[static_cast<uint8_t>(c)] = true;
  return table;
}();

bool is_idchar(char c) {
  return kIdChar[static_cast<uint8_t>(c)];
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// Length of the UTF-8 sequence starting at s[0] when it is well formed, else 0.
size_t utf8_sequence_length(std::string_view s) {
  const auto b0 = static_cast<uint8_t>(s[0]);
  size_t len = b0 < 0x80 ? 1 : (b0 >> 5) == 6 ? 2 : (b0 >> 4) == 14 ? 3 : (b0 >> 3) == 30 ? 4 : 0;
  if (len == 0 || len > s.size()) return 0;
  auto bytes = std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), len);
  return is_valid_utf8(bytes) ? len : 0;
}

std::string printable(char c) {
  if (c > 0x20 && c < 0x7f) return std::string(1, c);
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<uint8_t>(c));
  return buf;
}

TokenKind classify(std::string_view run) {
  const char c = run[0];
  if (c >= 'a' && c <= 'z') return TokenKind::Keyword;
  if ((c >= '0' && c <= '9') || c == '+' || c == '-') return TokenKind::Number;
  if (c == '$' && run.size() > 1) return TokenKind::Id;
  return TokenKind::Reserved;
}

}  // namespace

uint32_t Lexer::col() const {
  return static_cast<uint32_t>(state_.pos - state_.line_begin) +
         (state_.line == first_line_ ? first_col_ : 1);
}

Token Lexer::here() const {
  Token at;
  at.line = state_.line;
  at.col = col();
  return at;
}

bool Lexer::is_separator(char c) const {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' ||
         (c == ';' && peek(1) == ';');
}

bool Lexer::next(TokenList& out) {
  Token tok;
  if (!lex(tok, out)) return false;
  out.tokens.push_back(tok);
  return true;
}

bool Lexer::lex(Token& tok, TokenList& out) {
  for (;;) {
    if (!skip_space_and_comments()) return false;
    tok = here();
    if (state_.pos >= src_.size()) {
      tok.kind = TokenKind::Eof;
      return true;
    }
    const size_t start = state_.pos;
    const char c = src_[start];
    if (c == '(') {
      if (peek(1) == '@') {
        if (!skip_annotation()) return false;
        continue;
      }
      ++state_.pos;
      tok.kind = TokenKind::LParen;
      tok.text = src_.substr(start, 1);
      return true;
    }
    if (c == ')') {
      ++state_.pos;
      tok.kind = TokenKind::RParen;
      tok.text = src_.substr(start, 1);
      return true;
    }
    if (c == '"' || (c == '$' && peek(1) == '"')) {
      tok.kind = c == '"' ? TokenKind::String : TokenKind::Id;
      if (c == '$') ++state_.pos;
      std::string value;
      if (!read_string(value)) return false;
      if (c == '$' && value.empty()) return fail(tok, "empty identifier");
      if (c == '$' &&
          !is_valid_utf8(std::span(reinterpret_cast<const uint8_t*>(value.data()), value.size()))) {
        return fail(tok, "malformed UTF-8 encoding in identifier");
      }
      tok.value = static_cast<uint32_t>(out.strings.size());
      out.strings.push_back(std::move(value));
    } else if (is_idchar(c)) {
      size_t pos = start + 1;
      while (pos < src_.size() && is_idchar(src_[pos])) ++pos;
      state_.pos = pos;
      tok.kind = classify(src_.substr(start, pos - start));
    } else {
      return fail(tok, "unexpected character '" + printable(c) + "'");
    }
    // A token must end at a space, a paren, a comment or the end of input; anything glued on
    // (`"a""b"`, `1"x"`, `$x"y"`) makes the whole run one reserved token.
    if (state_.pos < src_.size() && !is_separator(src_[state_.pos])) {
      if (!swallow_reserved()) return false;
      tok.kind = TokenKind::Reserved;
    }
    tok.text = src_.substr(start, state_.pos - start);
    return true;
  }
}

bool Lexer::next_group(TokenList& out, size_t max_depth) {
  const LexState group_start = state_;
  const size_t first = out.tokens.size();
  if (!next(out)) return false;
  if (out.tokens[first].kind != TokenKind::LParen) return true;
  // The unmatched '(' tokens that are kept, by index in `out`; levels deeper than `max_depth` are
  // only counted, so scanning a deeply nested group costs no memory per level (pass 1 of the WAT
  // parser scans the whole file with max_depth 2).
  std::vector<uint32_t> open(1, static_cast<uint32_t>(first));
  size_t depth = 1;
  Token tok;
  while (depth > 0) {
    if (!lex(tok, out)) return false;
    const auto index = static_cast<uint32_t>(out.tokens.size());
    bool keep = depth <= max_depth;
    switch (tok.kind) {
      case TokenKind::LParen:
        if (keep) open.push_back(index);
        ++depth;
        break;
      case TokenKind::RParen:
        if (depth <= open.size()) {
          out.tokens[open.back()].match = index;
          open.pop_back();
        }
        --depth;
        keep = depth <= max_depth;  // kept when its '(' was
        break;
      case TokenKind::Eof:
        return fail(innermost_unclosed(group_start, depth), "unclosed '(': missing ')'");
      default:
        break;
    }
    if (keep) out.tokens.push_back(tok);
  }
  return true;
}

// The last '(' that opened level `depth` (the innermost one left open at the end of the text),
// found by lexing the group again: only an error costs this second pass.
Token Lexer::innermost_unclosed(const LexState& group_start, size_t depth) {
  state_ = group_start;
  TokenList scratch;
  Token tok, last_open;
  size_t level = 0;
  while (lex(tok, scratch) && tok.kind != TokenKind::Eof) {
    if (tok.kind == TokenKind::LParen && ++level == depth) last_open = tok;
    if (tok.kind == TokenKind::RParen) --level;
    scratch.strings.clear();
  }
  return last_open;
}

bool Lexer::skip_space_and_comments() {
  while (state_.pos < src_.size()) {
    const char c = src_[state_.pos];
    if (c == '\n') {
      ++state_.pos;
      newline();
    } else if (c == ' ' || c == '\t' || c == '\r') {
      ++state_.pos;
    } else if (c == ';' && peek(1) == ';') {
      // A line comment ends at a newline: LF, CR or CR LF.
      const size_t eol = src_.find_first_of("\n\r", state_.pos);
      state_.pos = eol == std::string_view::npos ? src_.size() : eol;
    } else if (c == '(' && peek(1) == ';') {
      if (!skip_block_comment()) return false;
    } else {
      break;
    }
  }
  return true;
}

// Block comments nest; a depth counter (not recursion) tracks them.
bool Lexer::skip_block_comment() {
  const Token at = here();
  size_t depth = 0;
  while (state_.pos < src_.size()) {
    const char c = src_[state_.pos];
    if (c == '(' && peek(1) == ';') {
      ++depth;
      state_.pos += 2;
    } else if (c == ';' && peek(1) == ')') {
      state_.pos += 2;
      if (--depth == 0) return true;
    } else {
      ++state_.pos;
      if (c == '\n') newline();
    }
  }
  return fail(at, "unclosed block comment");
}

// Annotations `(@id ...)` are skipped, but their contents must still be tokens: the id is one or
// more idchars or a non-empty UTF-8 string right after "(@", then spaces, comments, strings,
// parens and reserved runs (idchars and , ; [ ] { }), so an illegal character or malformed UTF-8
// there is an error. A depth counter (not recursion) tracks the parens.
bool Lexer::skip_annotation() {
  Token at = here();
  at.text = src_.substr(state_.pos, 2);
  size_t depth = 0;
  auto is_reserved_char = [&](char c) {
    return is_idchar(c) || c == ',' || c == '[' || c == ']' || c == '{' || c == '}' ||
           (c == ';' && peek(1) != ';');
  };
  auto open = [&]() {  // at "(@"
    const Token id_at = here();
    state_.pos += 2;
    ++depth;
    if (state_.pos < src_.size() && src_[state_.pos] == '"') {
      std::string id;
      if (!read_string(id)) return false;
      if (id.empty()) return fail(id_at, "empty annotation id");
      if (!is_valid_utf8(std::span(reinterpret_cast<const uint8_t*>(id.data()), id.size()))) {
        return fail(id_at, "malformed UTF-8 encoding");
      }
      return true;
    }
    if (state_.pos >= src_.size() || !is_idchar(src_[state_.pos])) {
      return fail(id_at, "empty annotation id");
    }
    while (state_.pos < src_.size() && is_idchar(src_[state_.pos])) ++state_.pos;
    return true;
  };
  if (!open()) return false;
  std::string ignored;
  while (depth > 0) {
    if (!skip_space_and_comments()) return false;
    if (state_.pos >= src_.size()) return fail(at, "unclosed annotation");
    const char c = src_[state_.pos];
    if (c == '(') {  // (a nested `(@x ...)` is a '(' and a reserved token `@x`)
      ++state_.pos;
      ++depth;
    } else if (c == ')') {
      ++state_.pos;
      --depth;
    } else if (c == '"') {
      if (!read_string(ignored)) return false;
      ignored.clear();
    } else if (is_reserved_char(c)) {
      while (state_.pos < src_.size() && is_reserved_char(src_[state_.pos])) ++state_.pos;
    } else {
      const bool ascii = static_cast<uint8_t>(c) < 0x80;
      if (!ascii && utf8_sequence_length(src_.substr(state_.pos)) == 0) {
        return fail(here(), "malformed UTF-8 encoding");
      }
      return fail(here(), "illegal character '" + printable(c) + "' in annotation");
    }
  }
  return true;
}

bool Lexer::swallow_reserved() {
  while (state_.pos < src_.size() && !is_separator(src_[state_.pos])) {
    if (src_[state_.pos] == '"') {
      std::string ignored;
      if (!read_string(ignored)) return false;
    } else {
      ++state_.pos;
    }
  }
  return true;
}

// Reads "..." at the current position, decoding escapes into `value`.
bool Lexer::read_string(std::string& value) {
  Token at = here();
  ++state_.pos;  // opening quote
  for (;;) {
    if (state_.pos >= src_.size()) return fail(at, "unclosed string");
    const char c = src_[state_.pos];
    if (c == '"') {
      ++state_.pos;
      return true;
    }
    const auto u = static_cast<uint8_t>(c);
    if (u < 0x20 || u == 0x7f) return fail(here(), "illegal control character in string");
    if (c == '\\') {
      if (!read_escape(value)) return false;
      continue;
    }
    if (u < 0x80) {
      value += c;
      ++state_.pos;
      continue;
    }
    const size_t len = utf8_sequence_length(src_.substr(state_.pos));
    if (len == 0) return fail(at, "malformed UTF-8 encoding in string");
    value.append(src_.substr(state_.pos, len));
    state_.pos += len;
  }
}

bool Lexer::read_escape(std::string& value) {
  const Token at = here();
  const char e = peek(1);
  state_.pos += 2;
  switch (e) {
    case 't':
      value += '\t';
      return true;
    case 'n':
      value += '\n';
      return true;
    case 'r':
      value += '\r';
      return true;
    case '"':
      value += '"';
      return true;
    case '\'':
      value += '\'';
      return true;
    case '\\':
      value += '\\';
      return true;
    case 'u':
      return read_unicode_escape(value, at);
    default:
      break;
  }
  const int hi = hex_value(e), lo = hex_value(peek(0));
  if (hi < 0 || lo < 0) return fail(at, "illegal escape in string");
  ++state_.pos;
  value += static_cast<char>(hi * 16 + lo);
  return true;
}

// \u{hexnum}: a Unicode scalar value (no surrogates, at most 0x10FFFF).
bool Lexer::read_unicode_escape(std::string& value, const Token& at) {
  if (peek(0) != '{') return fail(at, "illegal escape in string");
  ++state_.pos;
  uint32_t cp = 0;
  bool any = false, last_underscore = false;
  while (state_.pos < src_.size() && src_[state_.pos] != '}') {
    const char c = src_[state_.pos++];
    if (c == '_' && any && !last_underscore) {
      last_underscore = true;
      continue;
    }
    const int h = hex_value(c);
    if (h < 0) return fail(at, "illegal escape in string");
    cp = cp * 16 + static_cast<uint32_t>(h);
    if (cp > 0x10ffff) return fail(at, "code point out of range in string escape");
    any = true;
    last_underscore = false;
  }
  if (state_.pos >= src_.size() || !any || last_underscore) {
    return fail(at, "illegal escape in string");
  }
  ++state_.pos;  // '}'
  if (cp >= 0xd800 && cp < 0xe000) return fail(at, "surrogate code point in string escape");
  append_utf8(value, cp);
  return true;
}

// Lexical errors point at a position; `at` carries the line and column.
bool Lexer::fail(const Token& at, std::string message) {
  if (!failed_) {
    error_.message = std::move(message);
    error_.line = at.line;
    error_.col = at.col;
    failed_ = true;
  }
  return false;
}

Error error_at(const Token& t, std::string message) {
  Error e;
  e.line = t.line;
  e.col = t.col;
  if (t.kind == TokenKind::Eof) {
    e.message = std::move(message) + " at end of input";
  } else if (!t.text.empty()) {
    std::string_view shown = t.text.substr(0, 40);
    e.message = std::move(message) + " (at '" + std::string(shown) +
                (t.text.size() > 40 ? "...'" : "'") + ")";
  } else {
    e.message = std::move(message);
  }
  return e;
}

Result<TokenList> tokenize(std::string_view source, TextOrigin origin) {
  if (source.size() > limit_value(Limit::ModuleBytes)) {
    return Error{"text too large: " + limit_error(Limit::ModuleBytes)};  // token indices are 32-bit
  }
  Lexer lexer(source, origin);
  TokenList out;
  // A guess (a token per 4 bytes), capped: a huge reservation can fail where growing would not.
  out.tokens.reserve(std::min<size_t>(source.size() / 4, size_t{1} << 20) + 16);
  std::vector<uint32_t> open;  // indices of unmatched '(' tokens
  for (;;) {
    const auto index = static_cast<uint32_t>(out.tokens.size());
    if (!lexer.next(out)) return lexer.error();
    const Token& tok = out.tokens[index];
    if (tok.kind == TokenKind::Eof) break;
    if (tok.kind == TokenKind::LParen) {
      open.push_back(index);
    } else if (tok.kind == TokenKind::RParen) {
      if (open.empty()) {
        lexer.fail(tok, "unexpected ')': no matching '('");
        return lexer.error();
      }
      out.tokens[open.back()].match = index;
      open.pop_back();
    }
  }
  if (!open.empty()) {
    lexer.fail(out.tokens[open.back()], "unclosed '(': missing ')'");  // at the open paren
    return lexer.error();
  }
  return out;
}

}  // namespace loom::text
