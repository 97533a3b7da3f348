#include "text/lexer.hpp"

#include <gtest/gtest.h>

namespace loom::text {
namespace {

std::vector<TokenKind> kinds(std::string_view src) {
  auto toks = tokenize(src);
  EXPECT_TRUE(toks.ok()) << (toks.ok() ? "" : toks.error().to_string());
  std::vector<TokenKind> out;
  if (toks.ok()) {
    for (const Token& t : toks->tokens) out.push_back(t.kind);
  }
  return out;
}

std::string string_of(std::string_view src) {
  auto toks = tokenize(src);
  EXPECT_TRUE(toks.ok()) << (toks.ok() ? "" : toks.error().to_string());
  if (!toks.ok()) return {};
  EXPECT_EQ(toks->tokens[0].kind, TokenKind::String);
  return toks->string_value(toks->tokens[0]);
}

Error error_of(std::string_view src) {
  auto toks = tokenize(src);
  EXPECT_FALSE(toks.ok()) << "accepted: " << src;
  return toks.ok() ? Error{} : toks.error();
}

using K = TokenKind;

TEST(Lexer, BasicTokens) {
  EXPECT_EQ(kinds("(module $m (func))"),
            (std::vector<K>{K::LParen, K::Keyword, K::Id, K::LParen, K::Keyword, K::RParen,
                            K::RParen, K::Eof}));
  EXPECT_EQ(kinds("42 -1 +0x1p3 inf nan:0x1 offset=4 \"s\""),
            (std::vector<K>{K::Number, K::Number, K::Number, K::Keyword, K::Keyword, K::Keyword,
                            K::String, K::Eof}));
  EXPECT_NE(error_of("a ,").message.find("unexpected character ','"), std::string::npos);
  EXPECT_EQ(kinds("Abc _x .5"), (std::vector<K>{K::Reserved, K::Reserved, K::Reserved, K::Eof}));
}

TEST(Lexer, ParenMatching) {
  auto toks = tokenize("(a (b) (c (d)))");
  ASSERT_TRUE(toks.ok());
  EXPECT_EQ(toks->tokens[0].match, 11u);
  EXPECT_EQ(toks->tokens[2].match, 4u);
  EXPECT_EQ(toks->tokens[5].match, 10u);
  EXPECT_NE(error_of("(a (b)").message.find("unclosed"), std::string::npos);
  EXPECT_NE(error_of("(a))").message.find("unexpected ')'"), std::string::npos);
}

TEST(Lexer, Comments) {
  EXPECT_EQ(kinds(";; line\n(; block (; nested ;) still ;) x"),
            (std::vector<K>{K::Keyword, K::Eof}));
  EXPECT_EQ(kinds("a;;comment\nb"), (std::vector<K>{K::Keyword, K::Keyword, K::Eof}));
  EXPECT_EQ(kinds("(;;)a"), (std::vector<K>{K::Keyword, K::Eof}));
  EXPECT_NE(error_of("(; (; ;)").message.find("unclosed block comment"), std::string::npos);
}

TEST(Lexer, AnnotationsAreSkipped) {
  EXPECT_EQ(kinds("(@name \"x)\" (nested ;; ) \n) y) a"), (std::vector<K>{K::Keyword, K::Eof}));
  EXPECT_FALSE(tokenize("(@name (").ok());
}

TEST(Lexer, Ids) {
  auto toks = tokenize("$abc $\"a b\" $a!#%&'*+-./:<=>?@\\^_`|~");
  ASSERT_TRUE(toks.ok());
  EXPECT_EQ(toks->id_name(toks->tokens[0]), "abc");
  EXPECT_EQ(toks->id_name(toks->tokens[1]), "a b");
  EXPECT_EQ(toks->tokens[2].kind, K::Id);
  EXPECT_EQ(kinds("$"), (std::vector<K>{K::Reserved, K::Eof}));
  EXPECT_FALSE(tokenize("$\"\"").ok());
}

TEST(Lexer, StringEscapes) {
  EXPECT_EQ(string_of(R"("a\tb\nc\rd\"e\'f\\g")"), "a\tb\nc\rd\"e'f\\g");
  EXPECT_EQ(string_of(R"("\00\ff\7F")"), std::string("\0\xff\x7f", 3));
  EXPECT_EQ(string_of(R"("\u{41}\u{e9}\u{20AC}\u{1F600}\u{1_0000}")"),
            "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf0\x90\x80\x80");
  EXPECT_EQ(string_of("\"h\xc3\xa9llo\""), "h\xc3\xa9llo");  // raw UTF-8
  EXPECT_EQ(string_of("\"\""), "");
}

TEST(Lexer, StringErrors) {
  error_of(R"("\q")");
  error_of(R"("\u{D800}")");    // surrogate
  error_of(R"("\u{110000}")");  // beyond Unicode
  error_of(R"("\u{}")");
  error_of(R"("\u{_1}")");
  error_of(R"("\u41")");
  error_of(R"("\4")");
  error_of("\"a\tb\"");  // raw control character
  error_of("\"a\nb\"");
  error_of("\"\x7f\"");
  error_of("\"\xff\"");      // invalid UTF-8
  error_of("\"\xc0\x80\"");  // overlong
  error_of("\"abc");         // unterminated
}

TEST(Lexer, GluedTokensAreReserved) {
  EXPECT_EQ(kinds("\"a\"\"b\""), (std::vector<K>{K::Reserved, K::Eof}));
  EXPECT_EQ(kinds("1\"x\""), (std::vector<K>{K::Reserved, K::Eof}));
  EXPECT_EQ(kinds("$x\"y\""), (std::vector<K>{K::Reserved, K::Eof}));
  EXPECT_EQ(kinds("a(b)c"),
            (std::vector<K>{K::Keyword, K::LParen, K::Keyword, K::RParen, K::Keyword, K::Eof}));
}

TEST(Lexer, Positions) {
  auto toks = tokenize("(a\n  bb\n\t c)", TextOrigin{});
  ASSERT_TRUE(toks.ok());
  EXPECT_EQ(toks->tokens[2].line, 2u);
  EXPECT_EQ(toks->tokens[2].col, 3u);
  EXPECT_EQ(toks->tokens[3].line, 3u);
  EXPECT_EQ(toks->tokens[3].col, 3u);
  auto shifted = tokenize("a b\nc", TextOrigin{10, 5});
  ASSERT_TRUE(shifted.ok());
  EXPECT_EQ(shifted->tokens[1].line, 10u);
  EXPECT_EQ(shifted->tokens[1].col, 7u);
  EXPECT_EQ(shifted->tokens[2].line, 11u);
  EXPECT_EQ(shifted->tokens[2].col, 1u);
  Error e = error_of("(a\n  \"\\q\")");
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.col, 4u);  // the backslash
}

TEST(Lexer, UnexpectedCharacter) {
  Error e = error_of("(a [)");
  EXPECT_EQ(e.col, 4u);
  error_of("\xc3\xa9");  // non-ASCII outside strings
}

}  // namespace
}  // namespace loom::text
