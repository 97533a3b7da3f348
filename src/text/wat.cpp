#include "text/wat.hpp"

#include "text/wat_parser.hpp"

namespace loom {
namespace text {

Result<Module> parse_wat_tokens(const TokenList& tokens, size_t begin, size_t end,
                                const Features& features) {
  WatParser parser(tokens, begin, end, features);
  if (!parser.parse_module()) return parser.take_error();
  return parser.take_module();
}

Result<Module> parse_wat(std::string_view text, const Features& features, TextOrigin origin) {
  auto tokens = tokenize(text, origin);
  if (!tokens) return tokens.error();
  return parse_wat_tokens(*tokens, 0, tokens->size() - 1, features);
}

}  // namespace text

Result<Module> parse_wat(std::string_view text, const Features& features) {
  return text::parse_wat(text, features, text::TextOrigin{});
}

}  // namespace loom
