#include "text/wat_annotations.hpp"

#include <algorithm>
#include <array>
#include <span>

#include "binary/reader.hpp"
#include "binary/section_id.hpp"

namespace loom::text {
namespace {

// Section names of a placement, in binary order (kSectionOrder of the encoder).
struct SectionName {
  std::string_view name;
  uint8_t id;
};
constexpr std::array<SectionName, 12> kSections = {{{"type", kTypeSection},
                                                    {"import", kImportSection},
                                                    {"func", kFunctionSection},
                                                    {"table", kTableSection},
                                                    {"memory", kMemorySection},
                                                    {"global", kGlobalSection},
                                                    {"export", kExportSection},
                                                    {"start", kStartSection},
                                                    {"elem", kElementSection},
                                                    {"datacount", kDataCountSection},
                                                    {"code", kCodeSection},
                                                    {"data", kDataSection}}};

bool valid_utf8(const std::string& s) {
  return is_valid_utf8(std::span(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
}

class Annotations {
 public:
  Annotations(std::string_view text, TextOrigin origin, Module& m)
      : text_(text), origin_(origin), m_(m) {}

  Status run(std::vector<Lexer::Span> spans) {
    auto all = tokenize(text_, origin_);
    if (!all.ok()) return all.error();
    tokens_ = std::move(*all);
    // Paren depth before each token, and the depth of module fields.
    depth_before_.resize(tokens_.size());
    size_t depth = 0;
    for (size_t i = 0; i < tokens_.size(); ++i) {  // unclosed parens before token i
      depth_before_[i] = depth;
      if (tokens_[i].kind == TokenKind::LParen) ++depth;
      if (tokens_[i].kind == TokenKind::RParen && depth > 0) --depth;
    }
    field_depth_ = is_kw(1, "module") && tokens_[0].kind == TokenKind::LParen ? 1 : 0;
    std::sort(spans.begin(), spans.end(),
              [](const Lexer::Span& a, const Lexer::Span& b) { return a.begin < b.begin; });
    spans.erase(
        std::unique(spans.begin(), spans.end(),
                    [](const Lexer::Span& a, const Lexer::Span& b) { return a.begin == b.begin; }),
        spans.end());
    for (const Lexer::Span& span : spans) {
      if (!apply(span)) return error_;
    }
    return ok_status();
  }

 private:
  size_t offset_of(const Token& t) const {
    return static_cast<size_t>(t.text.data() - text_.data());
  }
  bool is_kw(size_t i, std::string_view kw) const {
    return i < tokens_.size() && tokens_[i].kind == TokenKind::Keyword && tokens_[i].text == kw;
  }
  // Index of the first token at or after source offset `at`.
  size_t token_after(size_t at) const {
    const auto it =
        std::lower_bound(tokens_.tokens.begin(), tokens_.tokens.end() - 1, at,
                         [&](const Token& t, size_t offset) { return offset_of(t) < offset; });
    return static_cast<size_t>(it - tokens_.tokens.begin());
  }

  bool fail(const Lexer::Span& span, std::string message) {
    uint32_t line = origin_.line, col = origin_.col;
    for (size_t i = 0; i < span.begin; ++i) {
      if (text_[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    error_ = Error{std::move(message)};
    error_.line = line;
    error_.col = col;
    return false;
  }

  bool apply(const Lexer::Span& span) {
    // The annotation's own tokens: "(" "@id" contents... ")" (the id lexes as a reserved token).
    const std::string_view source = text_.substr(span.begin, span.end - span.begin);
    auto inner = tokenize(source.substr(1, source.size() - 2));
    if (!inner.ok()) return fail(span, inner.error().message);
    const TokenList& a = *inner;
    const std::string_view id = a[0].text.substr(1);
    const size_t next = token_after(span.end);  // the token after the annotation
    const size_t depth = depth_before_[next];
    if (id == "custom") return custom(span, a, depth);
    if (id == "name") return name(span, a, next, depth);
    if (id == "metadata.code.branch_hint") return branch_hint(span, a, next, depth);
    return true;  // another metadata.code.* annotation: ignored
  }

  bool custom(const Lexer::Span& span, const TokenList& a, size_t depth) {
    if (depth != field_depth_) return fail(span, "misplaced @custom annotation");
    size_t i = 1;
    if (a[i].kind != TokenKind::String) {
      return fail(span, "@custom annotation: missing section name");
    }
    CustomSection section;
    section.name = a.string_value(a[i++]);
    if (!valid_utf8(section.name))
      return fail(span, "@custom annotation: malformed UTF-8 encoding");
    section.after_section = kDataSection;  // (after last)
    if (a[i].kind == TokenKind::LParen) {
      const bool before = a[i + 1].text == "before", after = a[i + 1].text == "after";
      if (a[i + 1].kind != TokenKind::Keyword || (!before && !after)) {
        return fail(span, "@custom annotation: malformed placement");
      }
      const std::string_view kind = a[i + 2].kind == TokenKind::Keyword ? a[i + 2].text : "";
      if (before && kind == "first") {
        section.after_section = kCustomSection;
      } else if (after && kind == "last") {
        section.after_section = kDataSection;
      } else {
        const auto it = std::find_if(kSections.begin(), kSections.end(),
                                     [&](const SectionName& s) { return s.name == kind; });
        if (it == kSections.end()) return fail(span, "@custom annotation: malformed section kind");
        // (before X) is (after the section that precedes X), or before every section.
        const uint8_t before_id = it == kSections.begin() ? uint8_t{kCustomSection} : (it - 1)->id;
        section.after_section = after ? it->id : before_id;
      }
      if (a[i + 3].kind != TokenKind::RParen) {
        return fail(span, "@custom annotation: malformed placement");
      }
      i += 4;
    }
    const size_t data_begin = m_.bytes.size();
    for (; a[i].kind == TokenKind::String; ++i) {
      const std::string& data = a.string_value(a[i]);
      m_.bytes.insert(m_.bytes.end(), data.begin(), data.end());
    }
    if (a[i].kind != TokenKind::Eof) return fail(span, "@custom annotation: unexpected token");
    section.data = ByteRange{data_begin, m_.bytes.size()};
    m_.customs.push_back(std::move(section));
    return true;
  }

  // The field keyword an annotation follows: `(module $id?`, `(func $id?` or `(tag $id?`.
  std::string_view owner(size_t next) const {
    size_t i = next;  // tokens before `next`: [ "(" kw Id? ]
    if (i > 0 && tokens_[i - 1].kind == TokenKind::Id) --i;
    if (i < 2 || tokens_[i - 2].kind != TokenKind::LParen) return {};
    const Token& kw = tokens_[i - 1];
    return kw.kind == TokenKind::Keyword ? kw.text : std::string_view();
  }

  bool name(const Lexer::Span& span, const TokenList& a, size_t next, size_t depth) {
    if (a[1].kind != TokenKind::String || a[2].kind != TokenKind::Eof) {
      return fail(span, "@name annotation: expected one string");
    }
    const std::string& value = a.string_value(a[1]);
    if (!valid_utf8(value)) return fail(span, "@name annotation: malformed UTF-8 encoding");
    const std::string_view kw = owner(next);
    if (kw == "module" && depth == 1 && field_depth_ == 1) {
      if (module_named_) return fail(span, "@name annotation: multiple module names");
      module_named_ = true;
      m_.names.module = value;
      m_.names.has_module = true;
      return true;
    }
    if (kw == "func" && depth == field_depth_ + 1) return name_function(next, value);
    if (kw == "tag" && depth == field_depth_ + 1) return true;  // Loom keeps no tag names yet
    return fail(span, "misplaced @name annotation");
  }

  // Functions are numbered by their (func ...) and (import ... (func ...)) fields in order
  // (imports precede definitions in the text format).
  bool name_function(size_t next, const std::string& value) {
    uint32_t index = 0;
    for (size_t i = 0; i + 1 < next; ++i) {
      if (tokens_[i].kind != TokenKind::LParen || depth_before_[i] > field_depth_ + 1) continue;
      if (is_kw(i + 1, "func") && (depth_before_[i] == field_depth_ ||
                                   (depth_before_[i] == field_depth_ + 1 && is_import_field(i)))) {
        ++index;
      }
    }
    --index;  // the annotated function itself was counted
    auto& names = m_.names.functions;
    auto it = std::lower_bound(names.begin(), names.end(), index,
                               [](const auto& entry, uint32_t i) { return entry.first < i; });
    if (it != names.end() && it->first == index) {
      it->second = value;
    } else {
      names.insert(it, {index, value});
    }
    return true;
  }
  // Whether the `(` at `i` (one level inside a field) is the description of an import field.
  bool is_import_field(size_t i) const {
    for (size_t j = i; j-- > 0;) {
      if (depth_before_[j] == field_depth_ && tokens_[j].kind == TokenKind::LParen) {
        return is_kw(j + 1, "import");
      }
    }
    return false;
  }

  bool branch_hint(const Lexer::Span& span, const TokenList& a, size_t next, size_t depth) {
    if (depth <= field_depth_) return fail(span, "misplaced @metadata.code.branch_hint annotation");
    if (a[1].kind != TokenKind::String || a[2].kind != TokenKind::Eof ||
        a.string_value(a[1]).size() != 1 || static_cast<uint8_t>(a.string_value(a[1])[0]) > 1) {
      return fail(span, "@metadata.code.branch_hint annotation: malformed hint");
    }
    if (next == last_hinted_) {
      return fail(span, "@metadata.code.branch_hint annotation: duplicate annotation");
    }
    last_hinted_ = next;
    const bool at_if =
        is_kw(next, "if") || (tokens_[next].kind == TokenKind::LParen && is_kw(next + 1, "if"));
    if (!at_if) return fail(span, "@metadata.code.branch_hint annotation: not before an if");
    return true;
  }

  std::string_view text_;
  TextOrigin origin_;
  Module& m_;
  TokenList tokens_;
  std::vector<size_t> depth_before_;
  size_t field_depth_ = 0;
  bool module_named_ = false;
  size_t last_hinted_ = SIZE_MAX;
  Error error_;
};

}  // namespace

Status apply_annotations(std::string_view text, TextOrigin origin,
                         const std::vector<Lexer::Span>& spans, Module& module) {
  return Annotations(text, origin, module).run(spans);
}

}  // namespace loom::text
