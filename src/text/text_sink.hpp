// Buffered text output for the printer: writes to an std::ostream, a FILE* or a string in chunks,
// so printing a module holds one buffer, never the whole text. Indentation is capped at
// kMaxIndentDepth levels (printer.hpp says why), which keeps the output linear in the input.
#pragma once
#include <charconv>
#include <concepts>
#include <cstdio>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>

namespace loom::text {

class TextSink {
 public:
  // Indentation stops growing at this depth: 40 levels are 80 columns of spaces, already wider
  // than a terminal, so deeper levels would only add bytes a reader cannot use (10,000 nested
  // blocks would otherwise print 100 MB of spaces). The structure stays exact: `end`s and parens.
  static constexpr int kMaxIndentDepth = 40;

  explicit TextSink(std::ostream& out) : target_(&out) { buffer_.reserve(kBufferSize); }
  explicit TextSink(std::FILE* out) : target_(out) { buffer_.reserve(kBufferSize); }
  explicit TextSink(std::string& out) : target_(&out) { buffer_.reserve(kBufferSize); }
  TextSink(const TextSink&) = delete;
  TextSink& operator=(const TextSink&) = delete;
  ~TextSink() { flush(); }

  TextSink& operator<<(std::string_view s) {
    if (buffer_.size() + s.size() > kBufferSize) {
      flush();
      if (s.size() > kBufferSize) return write_through(s), *this;
    }
    buffer_.append(s);
    return *this;
  }
  TextSink& operator<<(const std::string& s) { return *this << std::string_view(s); }
  TextSink& operator<<(const char* s) { return *this << std::string_view(s); }
  TextSink& operator<<(char c) {
    if (buffer_.size() + 1 > kBufferSize) flush();
    buffer_ += c;
    return *this;
  }
  template <std::integral T>
  requires(!std::same_as<T, char> && !std::same_as<T, bool>) TextSink& operator<<(T value) {
    char digits[24];
    auto result = std::to_chars(digits, digits + sizeof digits, value);
    return *this << std::string_view(digits, static_cast<size_t>(result.ptr - digits));
  }

  // A line break and `depth` levels of two-space indentation (at most kMaxIndentDepth).
  void newline(int depth);
  // A string literal with escapes (text::quote_string), written without building it.
  void quoted(std::string_view bytes);

  // Writes out the buffer; false once any write has failed (later output is dropped).
  bool flush();
  bool failed() const { return failed_; }

 private:
  static constexpr size_t kBufferSize = size_t{1} << 16;
  void write_through(std::string_view s);

  std::variant<std::ostream*, std::FILE*, std::string*> target_;
  std::string buffer_;
  bool failed_ = false;
};

}  // namespace loom::text
