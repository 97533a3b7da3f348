// Numeric literals of the text format. Tokens keep their text (lexer.hpp); the parser converts
// them here once it knows the expected type, with the spec's exact rules: `_` only between digits,
// iN accepts uN or sN ranges, floats are rounded to nearest-even and a value that rounds to
// infinity is out of range, nan:0xN payloads must be non-zero and fit the significand.
#pragma once
#include <cstdint>
#include <string_view>

namespace loom::text {

enum class LiteralStatus : uint8_t { Ok, Malformed, OutOfRange };

// uN: unsigned decimal or 0x-hex, no sign.
LiteralStatus parse_unsigned(std::string_view text, unsigned bits, uint64_t& out);
// iN: uN or sN; the result is the two's complement bit pattern in the low `bits` bits.
LiteralStatus parse_integer(std::string_view text, unsigned bits, uint64_t& out);
// fN: the IEEE bit pattern.
LiteralStatus parse_f32(std::string_view text, uint32_t& out);
LiteralStatus parse_f64(std::string_view text, uint64_t& out);

}  // namespace loom::text
