#include "text/wat.hpp"

#include "ir/limits.hpp"
#include "text/wat_annotations.hpp"
#include "text/wat_parser.hpp"

namespace loom {
namespace text {

// The text of tokens [begin, end) is parsed again (the parser lexes one field at a time).
Result<Module> parse_wat_tokens(const TokenList& tokens, size_t begin, size_t end,
                                const Features& features) {
  if (begin >= end) return parse_wat(std::string_view(), features, TextOrigin{});
  const Token& first = tokens[begin];
  const Token& last = tokens[end - 1];
  const char* const text_end = last.text.data() + last.text.size();
  const std::string_view text(first.text.data(), static_cast<size_t>(text_end - first.text.data()));
  return parse_wat(text, features, TextOrigin{first.line, first.col});
}

Result<Module> parse_wat(std::string_view text, const Features& features, TextOrigin origin) {
  if (text.size() > limit_value(Limit::ModuleBytes)) {
    return Error{"text too large: " + limit_error(Limit::ModuleBytes)};  // token indices are 32-bit
  }
  WatParser parser(text, origin, features);
  if (!parser.parse_module()) return parser.take_error();
  Module module = parser.take_module();
  if (!parser.lexer().known_annotations().empty()) {
    Status applied = apply_annotations(text, origin, parser.lexer().known_annotations(), module);
    if (!applied.ok()) return applied.error();
  }
  return module;
}

}  // namespace text

Result<Module> parse_wat(std::string_view text, const Features& features) {
  return text::parse_wat(text, features, text::TextOrigin{});
}

}  // namespace loom
