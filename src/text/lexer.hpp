// Tokenizer for the WebAssembly text format (WAT and WAST scripts).
//
// Tokens carry line:col positions, the decoded value of each string, and for every '(' the index
// of its matching ')', so that parsers can skip or bound any s-expression in O(1). Paren matching
// uses an explicit stack: nothing recurses per nesting level. Numbers are kept as text: their
// meaning depends on the type the parser expects (see literals.hpp).
//
// tokenize() lexes a whole file at once (WAST scripts). The WAT parser instead drives a Lexer
// itself and lexes one module field at a time into a reused TokenList, so large modules never
// build a token array for the whole file.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace loom::text {

enum class TokenKind : uint8_t {
  LParen,
  RParen,
  Keyword,   // starts with a lowercase letter: i32.add, offset=4, nan:0x1, inf
  Number,    // starts with a digit or a sign: 42, -0x1p3, +inf (checked when parsed)
  Id,        // $name or $"name"
  String,    // "..." (decoded value in TokenList::strings)
  Reserved,  // any other run of identifier characters: always a syntax error where it appears
  Eof,
};

struct Token {
  TokenKind kind = TokenKind::Eof;
  std::string_view text;  // the exact source text
  uint32_t line = 1, col = 1;
  uint32_t value = 0;  // String and quoted Id: index into TokenList::strings
  uint32_t match = 0;  // LParen: index of the matching RParen
};

struct TokenList {
  std::vector<Token> tokens;  // always ends with an Eof token
  std::vector<std::string> strings;

  const Token& operator[](size_t i) const { return tokens[i]; }
  size_t size() const { return tokens.size(); }
  // Decoded bytes of a String token.
  const std::string& string_value(const Token& t) const { return strings[t.value]; }
  // The name of an Id token without the '$' (decoded for $"..." ids).
  std::string_view id_name(const Token& t) const {
    if (t.text.size() > 1 && t.text[1] == '"') return strings[t.value];
    return t.text.substr(1);
  }
};

// Where the text starts in a larger file, so errors point into that file (WAST modules).
struct TextOrigin {
  uint32_t line = 1, col = 1;
};

Result<TokenList> tokenize(std::string_view source, TextOrigin origin = {});

// Where lexing resumes: a Lexer can be rewound to any state() it reported.
struct LexState {
  size_t pos = 0;
  size_t line_begin = 0;  // offset of the first character of the current line
  uint32_t line = 1;
};

// Produces tokens on demand, appending them (and decoded strings) to a TokenList.
class Lexer {
 public:
  Lexer(std::string_view src, TextOrigin origin)
      : src_(src), state_{0, 0, origin.line}, first_line_(origin.line), first_col_(origin.col) {}

  // Appends the next token to `out`, an Eof token at the end of input. Parens are not matched.
  bool next(TokenList& out);
  // Appends the next token, or when it is '(' every token up to its matching ')' (setting the
  // `match` of each '(' to an index in `out`). An unclosed '(' is an error; a ')' or the Eof token
  // is appended alone. Tokens nested more than `max_depth` parens inside the group are lexed
  // (and checked) but not appended.
  bool next_group(TokenList& out, size_t max_depth = SIZE_MAX);

  LexState state() const { return state_; }
  void restore(const LexState& s) { state_ = s; }
  // The first error (lexical or passed to fail()).
  const Error& error() const { return error_; }
  // The annotations with meaning to Loom (`(@custom`, `(@name`, `(@metadata.code.*`) the lexer
  // skipped, as source byte ranges; a range lexed twice (after restore()) is listed twice.
  struct Span {
    size_t begin, end;
  };
  const std::vector<Span>& known_annotations() const { return known_annotations_; }
  bool fail(const Token& at, std::string message);

 private:
  char peek(size_t ahead) const {
    return state_.pos + ahead < src_.size() ? src_[state_.pos + ahead] : '\0';
  }
  bool lex(Token& tok, TokenList& out);  // the next token; decoded strings go to `out`
  uint32_t col() const;
  bool is_separator(char c) const;
  void newline() {
    ++state_.line;
    state_.line_begin = state_.pos;
  }
  bool skip_space_and_comments();
  bool skip_block_comment();
  bool skip_annotation();
  bool swallow_reserved();
  bool read_string(std::string& value);
  bool read_escape(std::string& value);
  bool read_unicode_escape(std::string& value, const Token& at);
  Token here() const;  // a token at the current position (for error positions)
  Token innermost_unclosed(const LexState& group_start, size_t depth);

  std::string_view src_;
  LexState state_;
  uint32_t first_line_, first_col_;
  bool failed_ = false;
  Error error_;
  std::vector<Span> known_annotations_;
};

// Builds a text-format error at a token: "unexpected token" style messages quote the token.
Error error_at(const Token& t, std::string message);

}  // namespace loom::text
