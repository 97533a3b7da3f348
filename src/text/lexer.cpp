#include "text/lexer.hpp"

#include <cstdio>
#include <span>

#include "binary/reader.hpp"

namespace loom::text {
namespace {

bool is_idchar(char c) {
  if (c >= '0' && c <= '9') return true;
  if (c >= 'a' && c <= 'z') return true;
  if (c >= 'A' && c <= 'Z') return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '/':
    case ':':
    case '<':
    case '=':
    case '>':
    case '?':
    case '@':
    case '\\':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
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

class Lexer {
 public:
  Lexer(std::string_view src, TextOrigin origin)
      : src_(src), line_(origin.line), line_start_col_(origin.col) {}

  Result<TokenList> run() {
    std::vector<uint32_t> open;  // indices of unmatched '(' tokens
    for (;;) {
      if (!skip_space_and_comments()) return take_error();
      if (pos_ >= src_.size()) break;
      const size_t start = pos_;
      const char c = src_[pos_];
      Token tok;
      tok.line = line_;
      tok.col = col();
      if (c == '(' && peek(1) == '@') {
        if (!skip_annotation()) return take_error();
        continue;
      }
      if (c == '(') {
        ++pos_;
        tok.kind = TokenKind::LParen;
        open.push_back(static_cast<uint32_t>(out_.tokens.size()));
      } else if (c == ')') {
        ++pos_;
        tok.kind = TokenKind::RParen;
        if (open.empty()) return fail(tok, "unexpected ')': no matching '('");
        out_.tokens[open.back()].match = static_cast<uint32_t>(out_.tokens.size());
        open.pop_back();
      } else if (c == '"') {
        tok.kind = TokenKind::String;
        if (!read_string(tok)) return take_error();
      } else if (c == '$' && peek(1) == '"') {
        ++pos_;
        tok.kind = TokenKind::Id;
        if (!read_string(tok)) return take_error();
        if (out_.strings[tok.value].empty()) return fail(tok, "empty identifier");
      } else if (is_idchar(c)) {
        while (pos_ < src_.size() && is_idchar(src_[pos_])) ++pos_;
        tok.kind = classify(src_.substr(start, pos_ - start));
      } else {
        return fail(tok, "unexpected character '" + printable(c) + "'");
      }
      // A token must end at a space, a paren, a comment or the end of input; anything glued on
      // (`"a""b"`, `1"x"`, `$x"y"`) makes the whole run one reserved token.
      if (tok.kind != TokenKind::LParen && tok.kind != TokenKind::RParen && pos_ < src_.size() &&
          !is_separator(src_[pos_])) {
        if (!swallow_reserved()) return take_error();
        tok.kind = TokenKind::Reserved;
      }
      tok.text = src_.substr(start, pos_ - start);
      out_.tokens.push_back(tok);
    }
    if (!open.empty()) {
      return fail(out_.tokens[open.back()], "unclosed '(': missing ')'");  // at the open paren
    }
    Token eof;
    eof.kind = TokenKind::Eof;
    eof.line = line_;
    eof.col = col();
    out_.tokens.push_back(eof);
    return std::move(out_);
  }

 private:
  char peek(size_t ahead) const { return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0'; }
  uint32_t col() const {
    return static_cast<uint32_t>(pos_ - line_begin_) + (line_ == first_line_ ? line_start_col_ : 1);
  }
  bool is_separator(char c) const {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' ||
           (c == ';' && peek(1) == ';');
  }

  static TokenKind classify(std::string_view run) {
    const char c = run[0];
    if (c >= 'a' && c <= 'z') return TokenKind::Keyword;
    if ((c >= '0' && c <= '9') || c == '+' || c == '-') return TokenKind::Number;
    if (c == '$' && run.size() > 1) return TokenKind::Id;
    return TokenKind::Reserved;
  }

  void newline() {
    ++line_;
    line_begin_ = pos_;
  }

  bool skip_space_and_comments() {
    while (pos_ < src_.size()) {
      const char c = src_[pos_];
      if (c == '\n') {
        ++pos_;
        newline();
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else if (c == ';' && peek(1) == ';') {
        while (pos_ < src_.size() && src_[pos_] != '\n') ++pos_;
      } else if (c == '(' && peek(1) == ';') {
        if (!skip_block_comment()) return false;
      } else {
        break;
      }
    }
    return true;
  }

  // Block comments nest; a depth counter (not recursion) tracks them.
  bool skip_block_comment() {
    Token at;
    at.line = line_;
    at.col = col();
    size_t depth = 0;
    while (pos_ < src_.size()) {
      const char c = src_[pos_];
      if (c == '(' && peek(1) == ';') {
        ++depth;
        pos_ += 2;
      } else if (c == ';' && peek(1) == ')') {
        pos_ += 2;
        if (--depth == 0) return true;
      } else {
        ++pos_;
        if (c == '\n') newline();
      }
    }
    return fail_bool(at, "unclosed block comment");
  }

  // Annotations `(@id ...)` are skipped with their balanced contents (strings and comments inside
  // are honoured so a ')' in them does not end the annotation).
  bool skip_annotation() {
    Token at;
    at.line = line_;
    at.col = col();
    at.text = src_.substr(pos_, 2);
    size_t depth = 0;
    while (pos_ < src_.size()) {
      const char c = src_[pos_];
      if (c == '"') {
        Token s;
        if (!read_string(s)) return false;
        continue;
      }
      if ((c == ';' && peek(1) == ';') || (c == '(' && peek(1) == ';')) {
        if (!skip_space_and_comments()) return false;
        continue;
      }
      ++pos_;
      if (c == '\n') newline();
      if (c == '(') ++depth;
      if (c == ')' && --depth == 0) return true;
    }
    return fail_bool(at, "unclosed annotation");
  }

  bool swallow_reserved() {
    while (pos_ < src_.size() && !is_separator(src_[pos_])) {
      if (src_[pos_] == '"') {
        Token s;
        if (!read_string(s)) return false;
      } else {
        ++pos_;
      }
    }
    return true;
  }

  // Reads "..." at pos_, decoding escapes into a new TokenList::strings entry.
  bool read_string(Token& tok) {
    Token at;
    at.line = line_;
    at.col = col();
    std::string value;
    ++pos_;  // opening quote
    for (;;) {
      if (pos_ >= src_.size()) return fail_bool(at, "unclosed string");
      const char c = src_[pos_];
      if (c == '"') {
        ++pos_;
        break;
      }
      const auto u = static_cast<uint8_t>(c);
      if (u < 0x20 || u == 0x7f) {
        at.col = col();
        at.line = line_;
        return fail_bool(at, "illegal control character in string");
      }
      if (c != '\\') {
        const size_t len = utf8_sequence_length(src_.substr(pos_));
        if (len == 0) return fail_bool(at, "malformed UTF-8 encoding in string");
        value.append(src_.substr(pos_, len));
        pos_ += len;
        continue;
      }
      if (!read_escape(value)) return false;
    }
    tok.value = static_cast<uint32_t>(out_.strings.size());
    out_.strings.push_back(std::move(value));
    return true;
  }

  bool read_escape(std::string& value) {
    Token at;
    at.line = line_;
    at.col = col();
    const char e = peek(1);
    pos_ += 2;
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
    if (hi < 0 || lo < 0) return fail_bool(at, "illegal escape in string");
    ++pos_;
    value += static_cast<char>(hi * 16 + lo);
    return true;
  }

  // \u{hexnum}: a Unicode scalar value (no surrogates, at most 0x10FFFF).
  bool read_unicode_escape(std::string& value, const Token& at) {
    if (peek(0) != '{') return fail_bool(at, "illegal escape in string");
    ++pos_;
    uint32_t cp = 0;
    bool any = false, last_underscore = false;
    while (pos_ < src_.size() && src_[pos_] != '}') {
      const char c = src_[pos_++];
      if (c == '_' && any && !last_underscore) {
        last_underscore = true;
        continue;
      }
      const int h = hex_value(c);
      if (h < 0) return fail_bool(at, "illegal escape in string");
      cp = cp * 16 + static_cast<uint32_t>(h);
      if (cp > 0x10ffff) return fail_bool(at, "code point out of range in string escape");
      any = true;
      last_underscore = false;
    }
    if (pos_ >= src_.size() || !any || last_underscore) {
      return fail_bool(at, "illegal escape in string");
    }
    ++pos_;  // '}'
    if (cp >= 0xd800 && cp < 0xe000) return fail_bool(at, "surrogate code point in string escape");
    append_utf8(value, cp);
    return true;
  }

  // Lexical errors point at a position; `at` carries the line and column.
  bool fail_bool(const Token& at, std::string message) {
    if (!failed_) {
      error_.message = std::move(message);
      error_.line = at.line;
      error_.col = at.col;
      failed_ = true;
    }
    return false;
  }
  Result<TokenList> fail(const Token& at, std::string message) {
    fail_bool(at, std::move(message));
    return take_error();
  }
  Result<TokenList> take_error() { return std::move(error_); }

  std::string_view src_;
  size_t pos_ = 0;
  uint32_t line_;
  const uint32_t first_line_ = line_;
  size_t line_begin_ = 0;
  uint32_t line_start_col_;
  TokenList out_;
  bool failed_ = false;
  Error error_;
};

}  // namespace

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
  return Lexer(source, origin).run();
}

}  // namespace loom::text
