// Cursor helpers and index spaces of the WAT parser.
#include "text/wat_parser.hpp"

#include <span>

#include "binary/reader.hpp"
#include "text/literals.hpp"

namespace loom::text {

bool WatParser::fail(const Token& at, std::string message) {
  if (!failed_) {
    failed_ = true;
    error_ = error_at(at, std::move(message));
  }
  return false;
}

bool WatParser::expect_lparen_kw(std::string_view kw) {
  if (!is_lparen_kw(kw)) return fail("expected '(" + std::string(kw) + "'");
  pos_ += 2;
  return true;
}

bool WatParser::expect_rparen() {
  if (!at_rparen()) return fail("unexpected token, expected ')'");
  ++pos_;
  return true;
}

bool WatParser::expect_keyword(std::string_view kw) {
  if (!is_keyword(kw)) return fail("expected '" + std::string(kw) + "'");
  ++pos_;
  return true;
}

std::optional<std::string_view> WatParser::opt_id() {
  if (cur().kind != TokenKind::Id) return std::nullopt;
  return t_.id_name(t_[pos_++]);
}

bool WatParser::parse_string(std::string& out) {
  if (cur().kind != TokenKind::String) return fail("unexpected token, expected a string");
  out = t_.string_value(t_[pos_++]);
  return true;
}

bool WatParser::parse_name(std::string& out) {
  const Token& at = cur();
  if (!parse_string(out)) return false;
  auto bytes = std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(out.data()), out.size());
  if (!is_valid_utf8(bytes)) return fail(at, "malformed UTF-8 encoding");
  return true;
}

namespace {
const char* literal_error(LiteralStatus s) {
  return s == LiteralStatus::OutOfRange ? "constant out of range" : "malformed number";
}
}  // namespace

bool WatParser::parse_u32(uint32_t& out) {
  uint64_t v = 0;
  if (!parse_u64(v)) return false;
  if (v > UINT32_MAX) return fail(t_[pos_ - 1], "constant out of range");
  out = static_cast<uint32_t>(v);
  return true;
}

bool WatParser::parse_u64(uint64_t& out) {
  if (cur().kind != TokenKind::Number) return fail("unexpected token, expected a number");
  const LiteralStatus s = parse_unsigned(cur().text, 64, out);
  if (s != LiteralStatus::Ok) return fail(literal_error(s));
  ++pos_;
  return true;
}

bool WatParser::parse_int_literal(unsigned bits, uint64_t& out) {
  if (cur().kind != TokenKind::Number) return fail("unexpected token, expected an integer");
  const LiteralStatus s = parse_integer(cur().text, bits, out);
  if (s != LiteralStatus::Ok) return fail(literal_error(s));
  ++pos_;
  return true;
}

bool WatParser::parse_float_literal(bool is64, uint64_t& out) {
  if (cur().kind != TokenKind::Number && cur().kind != TokenKind::Keyword) {
    return fail("unexpected token, expected a float");
  }
  LiteralStatus s;
  if (is64) {
    s = parse_f64(cur().text, out);
  } else {
    uint32_t bits = 0;
    s = parse_f32(cur().text, bits);
    out = bits;
  }
  if (s != LiteralStatus::Ok) return fail(literal_error(s));
  ++pos_;
  return true;
}

bool WatParser::bind_id(Space s, std::optional<std::string_view> id, uint32_t index,
                        const Token& at) {
  if (!id) return true;
  auto [it, inserted] = space(s).ids.emplace(std::string(*id), index);
  if (!inserted) return fail(at, "duplicate identifier $" + std::string(*id));
  return true;
}

namespace {
const char* space_name(Space s) {
  switch (s) {
    case Space::Func:
      return "function";
    case Space::Table:
      return "table";
    case Space::Memory:
      return "memory";
    case Space::Global:
      return "global";
    case Space::Type:
      return "type";
    case Space::Elem:
      return "elem segment";
    case Space::Data:
      return "data segment";
    case Space::Tag:
      return "tag";
    case Space::Count_:
      break;
  }
  return "?";
}
}  // namespace

bool WatParser::parse_index(Space s, uint32_t& out) {
  if (cur().kind == TokenKind::Number) return parse_u32(out);
  if (cur().kind != TokenKind::Id) {
    return fail(std::string("unexpected token, expected a ") + space_name(s) + " index");
  }
  const IndexSpace& sp = space(s);
  auto it = sp.ids.find(t_.id_name(cur()));
  if (it == sp.ids.end()) return fail(std::string("unknown ") + space_name(s));
  out = it->second;
  ++pos_;
  return true;
}

bool WatParser::parse_opt_index(Space s, uint32_t& out) {
  out = 0;
  if (!is_index_token()) return true;
  return parse_index(s, out);
}

}  // namespace loom::text
