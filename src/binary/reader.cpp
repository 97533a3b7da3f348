#include "binary/reader.hpp"

namespace loom {

bool Reader::fail_at(size_t at, std::string message) {
  if (!failed_) {
    failed_ = true;
    error_.message = std::move(message);
    error_.offset = at;
  }
  return false;
}

bool Reader::read_leb_unsigned(unsigned bits, uint64_t& out) {
  const size_t start = offset();
  const unsigned max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  for (unsigned i = 0; i < max_bytes; ++i) {
    if (pos_ >= data_.size()) return fail_eof();
    const uint8_t byte = data_[pos_++];
    const unsigned shift = 7 * i;
    if (i == max_bytes - 1) {
      if (byte & 0x80) return fail_at(start, "integer representation too long");
      const unsigned used = bits - shift;  // value bits in this last byte
      if (byte >> used) return fail_at(start, "integer too large");
    }
    result |= uint64_t(byte & 0x7f) << shift;
    if (!(byte & 0x80)) break;
  }
  out = result;
  return true;
}

bool Reader::read_leb_signed(unsigned bits, int64_t& out) {
  const size_t start = offset();
  const unsigned max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  unsigned shift = 0;
  uint8_t byte = 0;
  for (unsigned i = 0; i < max_bytes; ++i) {
    if (pos_ >= data_.size()) return fail_eof();
    byte = data_[pos_++];
    if (i == max_bytes - 1) {
      if (byte & 0x80) return fail_at(start, "integer representation too long");
      // The unused high bits must all equal the value's sign bit.
      const unsigned used = bits - 7 * i;  // value bits in this byte, sign bit included
      const uint8_t sign_bit = (byte >> (used - 1)) & 1;
      const uint8_t unused = byte >> used;
      const uint8_t expected = sign_bit ? (0x7f >> used) : 0;
      if (unused != expected) return fail_at(start, "integer too large");
    }
    result |= uint64_t(byte & 0x7f) << shift;
    shift += 7;
    if (!(byte & 0x80)) break;
  }
  if (shift < 64 && (byte & 0x40)) result |= ~uint64_t{0} << shift;
  out = static_cast<int64_t>(result);
  return true;
}

bool Reader::read_fixed_u32(uint32_t& out) {
  if (remaining() < 4) return fail_eof();
  out = 0;
  for (int i = 0; i < 4; ++i) out |= uint32_t(data_[pos_ + i]) << (8 * i);
  pos_ += 4;
  return true;
}

bool Reader::read_fixed_u64(uint64_t& out) {
  if (remaining() < 8) return fail_eof();
  out = 0;
  for (int i = 0; i < 8; ++i) out |= uint64_t(data_[pos_ + i]) << (8 * i);
  pos_ += 8;
  return true;
}

bool Reader::read_bytes(size_t n, std::span<const uint8_t>& out) {
  if (remaining() < n) return fail_eof();
  out = data_.subspan(pos_, n);
  pos_ += n;
  return true;
}

bool Reader::skip(size_t n) {
  if (remaining() < n) return fail_eof();
  pos_ += n;
  return true;
}

bool Reader::read_count(uint32_t& out, size_t min_element_size) {
  if (!read_u32(out)) return false;
  if (min_element_size && uint64_t(out) * min_element_size > remaining()) {
    return fail(eof_message_);
  }
  return true;
}

bool Reader::read_name(std::string& out) {
  uint32_t length;
  if (!read_u32(length)) return false;
  if (length > remaining()) return fail("length out of bounds");
  auto bytes = data_.subspan(pos_, length);
  if (!is_valid_utf8(bytes)) return fail("malformed UTF-8 encoding");
  out.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  pos_ += length;
  return true;
}

bool is_valid_utf8(std::span<const uint8_t> s) {
  size_t i = 0;
  while (i < s.size()) {
    const uint8_t c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t need;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0)
      need = 1, cp = c & 0x1f;
    else if ((c & 0xf0) == 0xe0)
      need = 2, cp = c & 0x0f;
    else if ((c & 0xf8) == 0xf0)
      need = 3, cp = c & 0x07;
    else
      return false;
    if (s.size() - i <= need) return false;
    for (size_t k = 1; k <= need; ++k) {
      if ((s[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[need] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += need + 1;
  }
  return true;
}

}  // namespace loom
