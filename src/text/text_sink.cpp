#include "text/text_sink.hpp"

#include <algorithm>

namespace loom::text {

void TextSink::newline(int depth) {
  static constexpr std::string_view kSpaces =
      "\n                                                                                ";
  static_assert(kSpaces.size() == 1 + 2 * kMaxIndentDepth);
  *this << kSpaces.substr(0, 1 + 2 * static_cast<size_t>(std::clamp(depth, 0, kMaxIndentDepth)));
}

void TextSink::quoted(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  *this << '"';
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f && c != '"' && c != '\\') {
      *this << c;
    } else {
      const char escape[3] = {'\\', kHex[u >> 4], kHex[u & 15]};
      *this << std::string_view(escape, 3);
    }
  }
  *this << '"';
}

void TextSink::write_through(std::string_view s) {
  if (failed_) return;
  if (auto* out = std::get_if<std::ostream*>(&target_)) {
    (*out)->write(s.data(), static_cast<std::streamsize>(s.size()));
    failed_ = !**out;
  } else if (auto* file = std::get_if<std::FILE*>(&target_)) {
    failed_ = std::fwrite(s.data(), 1, s.size(), *file) != s.size();
  } else {
    std::get<std::string*>(target_)->append(s);
  }
}

bool TextSink::flush() {
  if (!buffer_.empty()) {
    write_through(buffer_);
    buffer_.clear();
  }
  return !failed_;
}

}  // namespace loom::text
