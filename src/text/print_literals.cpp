// Exact text spellings of strings, names and floats for the printer.
#include <charconv>
#include <cstdio>
#include <cstring>

#include "text/printer.hpp"

namespace loom::text {
namespace {

bool is_idchar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::strchr("!#$%&'*+-./:<=>?@\\^_`|~", c) != nullptr && c != '\0';
}

// Shortest decimal that reads back to the same value, or nan/inf spellings with payloads.
template <typename Float, typename Bits>
std::string float_literal(Bits bits, unsigned significand_bits) {
  const Bits sign_bit = Bits{1} << (sizeof(Bits) * 8 - 1);
  const Bits exp_mask = static_cast<Bits>(~sign_bit & ~((Bits{1} << significand_bits) - 1));
  const Bits payload = bits & ((Bits{1} << significand_bits) - 1);
  std::string sign = (bits & sign_bit) ? "-" : "";
  if ((bits & exp_mask) == exp_mask) {
    if (payload == 0) return sign + "inf";
    if (payload == Bits{1} << (significand_bits - 1)) return sign + "nan";
    char buf[32];
    std::snprintf(buf, sizeof buf, "nan:0x%llx", static_cast<unsigned long long>(payload));
    return sign + buf;
  }
  Float value;
  std::memcpy(&value, &bits, sizeof value);
  char buf[64];
  auto result = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, result.ptr);
}

}  // namespace

std::string quote_string(std::string_view bytes) {
  std::string out = "\"";
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f && c != '"' && c != '\\') {
      out += c;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "\\%02x", u);
      out += buf;
    }
  }
  return out + "\"";
}

std::string id_for_name(std::string_view name) {
  bool plain = !name.empty();
  for (char c : name) plain = plain && is_idchar(c);
  if (plain) return "$" + std::string(name);
  return "$" + quote_string(name);
}

std::string f32_literal(uint32_t bits) {
  return float_literal<float>(bits, 23);
}
std::string f64_literal(uint64_t bits) {
  return float_literal<double>(bits, 52);
}

}  // namespace loom::text
