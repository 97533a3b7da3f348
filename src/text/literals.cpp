#include "text/literals.hpp"

#include <locale.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

namespace loom::text {
namespace {

int digit_value(char c, bool hex) {
  if (c >= '0' && c <= '9') return c - '0';
  if (!hex) return -1;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Consumes `digit ('_'? digit)*` from text[pos]; appends the digits (without '_') to `out`.
// Returns false when there is no digit or an underscore is not between two digits.
bool scan_digits(std::string_view text, size_t& pos, bool hex, std::string& out) {
  const size_t start = pos;
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == '_') {
      if (pos == start || pos + 1 >= text.size() || digit_value(text[pos + 1], hex) < 0) {
        return false;
      }
      ++pos;
      continue;
    }
    if (digit_value(c, hex) < 0) break;
    out += c;
    ++pos;
  }
  return pos > start;
}

bool strip_sign(std::string_view& text, bool& negative) {
  negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
    return true;
  }
  return false;
}

// Parses an unsigned magnitude; `overflow` reports values that do not fit in 64 bits.
LiteralStatus parse_magnitude(std::string_view text, uint64_t& out, bool& overflow) {
  const bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  if (text.size() >= 2 && text[0] == '0' && text[1] == 'X') return LiteralStatus::Malformed;
  size_t pos = hex ? 2 : 0;
  std::string digits;
  if (!scan_digits(text, pos, hex, digits) || pos != text.size()) return LiteralStatus::Malformed;
  uint64_t value = 0;
  overflow = false;
  const uint64_t base = hex ? 16 : 10;
  for (char c : digits) {
    const auto d = static_cast<uint64_t>(digit_value(c, hex));
    if (value > (UINT64_MAX - d) / base) overflow = true;
    value = value * base + d;
  }
  out = value;
  return LiteralStatus::Ok;
}

locale_t c_locale() {
  static locale_t loc = newlocale(LC_ALL_MASK, "C", nullptr);
  return loc;
}

template <typename Bits>
struct FloatLayout;
template <>
struct FloatLayout<uint32_t> {
  static constexpr unsigned kSignificand = 23;
  static constexpr uint32_t kExpMask = 0x7f800000u;
};
template <>
struct FloatLayout<uint64_t> {
  static constexpr unsigned kSignificand = 52;
  static constexpr uint64_t kExpMask = 0x7ff0000000000000ull;
};

// Checks the float grammar and produces a clean string for strtod (no '_'), or handles inf/nan.
template <typename Bits>
LiteralStatus parse_float(std::string_view text, Bits& out) {
  using L = FloatLayout<Bits>;
  constexpr Bits kSign = Bits{1} << (sizeof(Bits) * 8 - 1);
  bool negative = false;
  strip_sign(text, negative);
  const Bits sign = negative ? kSign : 0;
  if (text == "inf") {
    out = sign | L::kExpMask;
    return LiteralStatus::Ok;
  }
  if (text == "nan") {
    out = sign | L::kExpMask | (Bits{1} << (L::kSignificand - 1));
    return LiteralStatus::Ok;
  }
  if (text.substr(0, 6) == "nan:0x") {
    uint64_t payload = 0;
    bool overflow = false;
    if (parse_magnitude(text.substr(4), payload, overflow) != LiteralStatus::Ok) {
      return LiteralStatus::Malformed;
    }
    if (overflow || payload == 0 || payload >= (uint64_t{1} << L::kSignificand)) {
      return LiteralStatus::OutOfRange;
    }
    out = sign | L::kExpMask | static_cast<Bits>(payload);
    return LiteralStatus::Ok;
  }
  const bool hex = text.size() > 2 && text[0] == '0' && text[1] == 'x';
  std::string clean = negative ? "-" : "";
  size_t pos = 0;
  if (hex) {
    clean += "0x";
    pos = 2;
  }
  if (!scan_digits(text, pos, hex, clean)) return LiteralStatus::Malformed;
  if (pos < text.size() && text[pos] == '.') {
    clean += '.';
    ++pos;
    if (pos < text.size() && digit_value(text[pos], hex) >= 0) {
      if (!scan_digits(text, pos, hex, clean)) return LiteralStatus::Malformed;
    }
  }
  if (pos < text.size()) {
    const char e = text[pos];
    if (hex ? (e != 'p' && e != 'P') : (e != 'e' && e != 'E')) return LiteralStatus::Malformed;
    clean += e;
    ++pos;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) clean += text[pos++];
    if (!scan_digits(text, pos, /*hex=*/false, clean)) return LiteralStatus::Malformed;
    if (pos != text.size()) return LiteralStatus::Malformed;
  }
  // glibc's strtod/strtof round correctly (nearest, ties to even) for decimal and hex input.
  errno = 0;
  Bits bits;
  if constexpr (sizeof(Bits) == 4) {
    const float f = strtof_l(clean.c_str(), nullptr, c_locale());
    if (std::isinf(f)) return LiteralStatus::OutOfRange;
    std::memcpy(&bits, &f, sizeof bits);
  } else {
    const double d = strtod_l(clean.c_str(), nullptr, c_locale());
    if (std::isinf(d)) return LiteralStatus::OutOfRange;
    std::memcpy(&bits, &d, sizeof bits);
  }
  out = bits;
  return LiteralStatus::Ok;
}

}  // namespace

LiteralStatus parse_unsigned(std::string_view text, unsigned bits, uint64_t& out) {
  if (text.empty() || text[0] == '+' || text[0] == '-') return LiteralStatus::Malformed;
  bool overflow = false;
  const LiteralStatus s = parse_magnitude(text, out, overflow);
  if (s != LiteralStatus::Ok) return s;
  if (overflow || (bits < 64 && out >> bits)) return LiteralStatus::OutOfRange;
  return LiteralStatus::Ok;
}

LiteralStatus parse_integer(std::string_view text, unsigned bits, uint64_t& out) {
  bool negative = false;
  const bool has_sign = strip_sign(text, negative);
  uint64_t magnitude = 0;
  bool overflow = false;
  const LiteralStatus s = parse_magnitude(text, magnitude, overflow);
  if (s != LiteralStatus::Ok) return s;
  if (overflow) return LiteralStatus::OutOfRange;
  const uint64_t mask = bits == 64 ? UINT64_MAX : (uint64_t{1} << bits) - 1;
  const uint64_t half = uint64_t{1} << (bits - 1);  // 2^(N-1)
  if (!has_sign) {
    if (magnitude > mask) return LiteralStatus::OutOfRange;
    out = magnitude;
  } else if (negative) {
    if (magnitude > half) return LiteralStatus::OutOfRange;
    out = (0 - magnitude) & mask;
  } else {
    if (magnitude >= half) return LiteralStatus::OutOfRange;
    out = magnitude;
  }
  return LiteralStatus::Ok;
}

LiteralStatus parse_f32(std::string_view text, uint32_t& out) {
  return parse_float(text, out);
}
LiteralStatus parse_f64(std::string_view text, uint64_t& out) {
  return parse_float(text, out);
}

}  // namespace loom::text
