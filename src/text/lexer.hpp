// Tokenizer for the WebAssembly text format (WAT and WAST scripts).
//
// Produces every token at once, with line:col positions, the decoded value of each string, and for
// every '(' the index of its matching ')'. Paren matching is done here with an explicit stack so
// that the parsers can skip or bound any s-expression in O(1) and nothing recurses per nesting
// level. Numbers are kept as text: their meaning depends on the type the parser expects
// (see literals.hpp).
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

// Builds a text-format error at a token: "unexpected token" style messages quote the token.
Error error_at(const Token& t, std::string message);

}  // namespace loom::text
