#include "text/wast.hpp"

#include <algorithm>

#include "text/lexer.hpp"
#include "text/literals.hpp"

namespace loom::text {
namespace {

class WastParser {
 public:
  WastParser(std::string_view src, const TokenList& t) : src_(src), t_(t) {}

  Result<WastScript> run() {
    WastScript script;
    if (is_module_field(pos_ + 1)) {
      // A script that is just module fields is one inline module.
      WastCommand cmd;
      cmd.line = cur().line;
      cmd.col = cur().col;
      cmd.module.emplace();
      cmd.module->line = cur().line;
      cmd.module->col = cur().col;
      cmd.module->text = std::string(src_.substr(offset_of(cur())));
      script.commands.push_back(std::move(cmd));
      return script;
    }
    while (cur().kind != TokenKind::Eof) {
      WastCommand cmd;
      if (!command(cmd)) return std::move(error_);
      script.commands.push_back(std::move(cmd));
    }
    return script;
  }

 private:
  const Token& cur() const { return t_[pos_]; }
  // Lookahead past the end reads the final Eof token.
  const Token& tok(size_t i) const { return t_[std::min(i, t_.size() - 1)]; }
  bool is_kw(std::string_view kw, size_t at) const {
    return tok(at).kind == TokenKind::Keyword && tok(at).text == kw;
  }
  bool is_lparen_kw(std::string_view kw) const {
    return cur().kind == TokenKind::LParen && is_kw(kw, pos_ + 1);
  }
  bool fail(std::string message) { return fail(cur(), std::move(message)); }
  bool fail(const Token& at, std::string message) {
    if (!failed_) error_ = error_at(at, std::move(message));
    failed_ = true;
    return false;
  }
  bool expect_lparen() {
    if (cur().kind != TokenKind::LParen) return fail("unexpected token, expected '('");
    ++pos_;
    return true;
  }
  bool expect_rparen() {
    if (cur().kind != TokenKind::RParen) return fail("unexpected token, expected ')'");
    ++pos_;
    return true;
  }
  std::optional<std::string> opt_id() {
    if (cur().kind != TokenKind::Id) return std::nullopt;
    return std::string(t_.id_name(t_[pos_++]));
  }
  bool string(std::string& out) {
    if (cur().kind != TokenKind::String) return fail("unexpected token, expected a string");
    out = t_.string_value(t_[pos_++]);
    return true;
  }
  bool is_module_field(size_t at) const {
    for (std::string_view kw : {"type", "import", "func", "table", "memory", "global", "export",
                                "start", "elem", "data"}) {
      if (is_kw(kw, at)) return true;
    }
    return false;
  }
  size_t offset_of(const Token& t) const {
    return static_cast<size_t>(t.text.data() - src_.data());
  }

  bool command(WastCommand& cmd) {
    const Token& open = cur();
    cmd.line = open.line;
    cmd.col = open.col;
    if (open.kind != TokenKind::LParen || tok(pos_ + 1).kind != TokenKind::Keyword) {
      return fail("unexpected token, expected a command");
    }
    const std::string_view kw = tok(pos_ + 1).text;
    using K = WastCommand::Kind;
    if (kw == "module") {
      if (is_kw("instance", pos_ + 2)) {
        pos_ += 3;
        cmd.kind = K::ModuleInstance;
        cmd.instance = opt_id();
        cmd.instance_of = opt_id();
        return expect_rparen();
      }
      cmd.kind = K::Module;
      cmd.module.emplace();
      return module(*cmd.module);
    }
    if (kw == "register") {
      pos_ += 2;
      cmd.kind = K::Register;
      if (!string(cmd.name)) return false;
      cmd.instance_of = opt_id();
      return expect_rparen();
    }
    if (kw == "invoke" || kw == "get") {
      cmd.kind = K::Action;
      cmd.action.emplace();
      return action(*cmd.action);
    }
    pos_ += 2;
    if (kw == "assert_return") {
      cmd.kind = K::AssertReturn;
      cmd.action.emplace();
      if (!action(*cmd.action)) return false;
      while (cur().kind != TokenKind::RParen) {
        WastResult r;
        if (!result(r)) return false;
        cmd.results.push_back(std::move(r));
      }
      return expect_rparen();
    }
    if (kw == "assert_exception") {
      cmd.kind = K::AssertException;
      cmd.action.emplace();
      return action(*cmd.action) && expect_rparen();
    }
    if (kw == "assert_trap" || kw == "assert_exhaustion") {
      cmd.kind = kw == "assert_trap" ? K::AssertTrap : K::AssertExhaustion;
      if (is_lparen_kw("module")) {
        cmd.module.emplace();
        if (!module(*cmd.module)) return false;
      } else {
        cmd.action.emplace();
        if (!action(*cmd.action)) return false;
      }
      return string(cmd.message) && expect_rparen();
    }
    // The _custom forms are about custom annotations/sections, which Loom checks: the same.
    if (kw == "assert_malformed" || kw == "assert_invalid" || kw == "assert_unlinkable" ||
        kw == "assert_uninstantiable" || kw == "assert_malformed_custom" ||
        kw == "assert_invalid_custom") {
      cmd.kind = kw.starts_with("assert_malformed") ? K::AssertMalformed
                 : kw.starts_with("assert_invalid") ? K::AssertInvalid
                 : kw == "assert_unlinkable" ? K::AssertUnlinkable
                                             : K::AssertUninstantiable;
      cmd.module.emplace();
      if (!is_lparen_kw("module")) return fail("unexpected token, expected '(module'");
      if (!module(*cmd.module)) return false;
      return string(cmd.message) && expect_rparen();
    }
    return fail(tok(pos_ - 1), "unknown command");
  }

  bool module(WastModule& m) {
    const size_t close = cur().match;
    pos_ += 2;  // '(' 'module'
    if (is_kw("definition", pos_)) {
      m.definition = true;
      ++pos_;
    }
    m.name = opt_id();
    if (is_kw("binary", pos_) || is_kw("quote", pos_)) {
      const bool binary = is_kw("binary", pos_);
      m.kind = binary ? WastModule::Kind::Binary : WastModule::Kind::Quote;
      m.line = cur().line;
      m.col = cur().col;
      ++pos_;
      while (cur().kind == TokenKind::String) {
        const std::string& s = t_.string_value(t_[pos_++]);
        if (binary)
          m.binary.insert(m.binary.end(), s.begin(), s.end());
        else
          m.text += s;
      }
      return expect_rparen();
    }
    // A text module: keep its fields' source text for the runner.
    m.kind = WastModule::Kind::Text;
    const Token& first = cur();
    m.line = first.line;
    m.col = first.col;
    const size_t begin = offset_of(first);
    const size_t end = offset_of(tok(close));
    m.text = std::string(src_.substr(begin, end - begin));
    pos_ = close + 1;
    return true;
  }

  bool action(WastAction& a) {
    if (!expect_lparen()) return false;
    if (is_kw("invoke", pos_))
      a.kind = WastAction::Kind::Invoke;
    else if (is_kw("get", pos_))
      a.kind = WastAction::Kind::Get;
    else
      return fail("unexpected token, expected 'invoke' or 'get'");
    ++pos_;
    a.module = opt_id();
    if (!string(a.field)) return false;
    while (cur().kind != TokenKind::RParen) {
      WastValue v;
      if (!value(v, /*is_result=*/false)) return false;
      a.args.push_back(std::move(v));
    }
    return expect_rparen();
  }

  bool result(WastResult& r) {
    if (is_lparen_kw("either")) {
      pos_ += 2;
      while (cur().kind != TokenKind::RParen) {
        WastValue v;
        if (!value(v, true)) return false;
        r.alternatives.push_back(std::move(v));
      }
      return expect_rparen();
    }
    WastValue v;
    if (!value(v, true)) return false;
    r.alternatives.push_back(std::move(v));
    return true;
  }

  static NanPattern nan_pattern(std::string_view text) {
    if (text == "nan:canonical") return NanPattern::Canonical;
    if (text == "nan:arithmetic") return NanPattern::Arithmetic;
    return NanPattern::None;
  }

  bool literal_status(LiteralStatus s) {
    if (s == LiteralStatus::Ok) return true;
    return fail(s == LiteralStatus::OutOfRange ? "constant out of range" : "malformed number");
  }

  // An integer or float of `bits` width; results may use a NaN pattern instead.
  bool number(bool is_float, unsigned bits, bool is_result, uint64_t& out, NanPattern& nan) {
    const Token& t = cur();
    if (t.kind != TokenKind::Number && t.kind != TokenKind::Keyword) {
      return fail("unexpected token, expected a number");
    }
    ++pos_;
    nan = NanPattern::None;
    if (is_float && is_result) {
      nan = nan_pattern(t.text);
      if (nan != NanPattern::None) return true;
    }
    if (!is_float) {
      if (t.kind != TokenKind::Number) return fail(t, "unexpected token, expected an integer");
      return literal_status(parse_integer(t.text, bits, out));
    }
    if (bits == 32) {
      uint32_t f = 0;
      if (!literal_status(parse_f32(t.text, f))) return false;
      out = f;
      return true;
    }
    return literal_status(parse_f64(t.text, out));
  }

  bool value(WastValue& v, bool is_result) {
    if (!expect_lparen()) return false;
    const Token& head = cur();
    if (head.kind != TokenKind::Keyword) return fail("unexpected token, expected a constant");
    const std::string_view k = head.text;
    ++pos_;
    using K = WastValue::Kind;
    if (k == "i32.const" || k == "i64.const" || k == "f32.const" || k == "f64.const") {
      const bool is_float = k[0] == 'f';
      const unsigned bits = k[1] == '3' ? 32 : 64;
      v.kind = is_float ? (bits == 32 ? K::F32 : K::F64) : (bits == 32 ? K::I32 : K::I64);
      if (!number(is_float, bits, is_result, v.bits, v.nan)) return false;
    } else if (k == "v128.const") {
      if (!v128(v, is_result)) return false;
    } else if (k == "ref.null") {
      v.kind = K::RefNull;
      if (cur().kind == TokenKind::Keyword) {
        const std::string_view h = cur().text;
        v.heap = HeapType::abstract(h == "extern" ? AbsHeap::Extern : AbsHeap::Func);
        ++pos_;
      } else if (cur().kind != TokenKind::RParen || !is_result) {
        return fail("unexpected token, expected a heap type");
      }
    } else if (k == "ref.extern" || k == "ref.func" || k == "ref.host") {
      v.kind = k == "ref.extern" ? K::RefExtern : k == "ref.func" ? K::RefFunc : K::RefHost;
      if (cur().kind == TokenKind::Number) {
        if (!literal_status(parse_unsigned(cur().text, 32, v.bits))) return false;
        v.has_payload = true;
        ++pos_;
      } else if (!is_result) {
        return fail("unexpected token, expected a reference index");
      }
    } else {
      return fail(head, "unknown constant");
    }
    return expect_rparen();
  }

  bool v128(WastValue& v, bool is_result) {
    v.kind = WastValue::Kind::V128;
    if (cur().kind != TokenKind::Keyword) return fail("unexpected token, expected a v128 shape");
    const std::string_view shape = cur().text;
    unsigned bits = 0;
    bool is_float = false;
    if (shape == "i8x16")
      bits = 8;
    else if (shape == "i16x8")
      bits = 16;
    else if (shape == "i32x4")
      bits = 32;
    else if (shape == "i64x2")
      bits = 64;
    else if (shape == "f32x4")
      bits = 32, is_float = true;
    else if (shape == "f64x2")
      bits = 64, is_float = true;
    else
      return fail("unexpected token, expected a v128 shape");
    ++pos_;
    v.lane_count = static_cast<uint8_t>(128 / bits);
    v.lane_type = is_float ? (bits == 32 ? ValKind::F32 : ValKind::F64)
                           : (bits == 64 ? ValKind::I64 : ValKind::I32);
    for (unsigned lane = 0; lane < v.lane_count; ++lane) {
      uint64_t x = 0;
      NanPattern nan = NanPattern::None;
      if (!number(is_float, bits, is_result, x, nan)) return false;
      if (is_float) v.lane_nan[lane] = nan;
      for (unsigned b = 0; b < bits / 8; ++b) {
        v.v128[lane * bits / 8 + b] = static_cast<uint8_t>(x >> (8 * b));
      }
    }
    return true;
  }

  std::string_view src_;
  const TokenList& t_;
  size_t pos_ = 0;
  bool failed_ = false;
  Error error_;
};

}  // namespace

Result<WastScript> parse_wast(std::string_view text) {
  auto tokens = tokenize(text);
  if (!tokens) return tokens.error();
  return WastParser(text, *tokens).run();
}

}  // namespace loom::text
