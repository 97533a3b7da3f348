// Bounds-checked byte reader with the LEB128 rules of the binary format.
//
// Every read returns false on failure and records the first error (message + absolute offset).
// LEB128 values are rejected exactly as the spec says: more bytes than ceil(N/7) is "integer
// representation too long", unused bits in the last byte that are not zero (unsigned) or not a sign
// extension (signed) is "integer too large".
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "util/result.hpp"

namespace loom {

class Reader {
 public:
  Reader() = default;
  // `base` is the absolute offset of data[0], so error offsets refer to the whole file.
  explicit Reader(std::span<const uint8_t> data, size_t base = 0) : data_(data), base_(base) {}

  size_t offset() const { return base_ + pos_; }
  size_t pos() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool at_end() const { return pos_ >= data_.size(); }
  std::span<const uint8_t> data() const { return data_; }
  // For hot loops (InstrReader): the next unread byte, and consuming `n` bytes already checked
  // against remaining().
  const uint8_t* cursor() const { return data_.data() + pos_; }
  void advance(size_t n) { pos_ += n; }

  bool read_u8(uint8_t& out) {
    if (pos_ >= data_.size()) {
      fail_eof();
      return false;  // spelled out so the compiler sees `out` is unused on failure
    }
    out = data_[pos_++];
    return true;
  }
  bool peek_u8(uint8_t& out) const {
    if (pos_ >= data_.size()) return false;
    out = data_[pos_];
    return true;
  }
  bool read_u32(uint32_t& out) {
    if (pos_ < data_.size() && data_[pos_] < 0x80) {
      out = data_[pos_++];
      return true;
    }
    uint64_t v;
    if (!read_leb_unsigned(32, v)) return false;
    out = static_cast<uint32_t>(v);
    return true;
  }
  bool read_u64(uint64_t& out) { return read_leb_unsigned(64, out); }
  bool read_s32(int32_t& out) {
    if (pos_ < data_.size() && data_[pos_] < 0x80) {  // one byte: sign-extend its 7 bits
      out = static_cast<int8_t>(data_[pos_++] << 1) >> 1;
      return true;
    }
    int64_t v;
    if (!read_leb_signed(32, v)) return false;
    out = static_cast<int32_t>(v);
    return true;
  }
  bool read_s33(int64_t& out) { return read_leb_signed(33, out); }
  bool read_s64(int64_t& out) { return read_leb_signed(64, out); }
  bool read_fixed_u32(uint32_t& out);  // little endian, for f32 bits
  bool read_fixed_u64(uint64_t& out);  // little endian, for f64 bits
  bool read_bytes(size_t n, std::span<const uint8_t>& out);
  bool skip(size_t n);
  // A name: vec(byte) that must be valid UTF-8.
  bool read_name(std::string& out);
  // A vector length, checked against the bytes left (each element takes at least
  // `min_element_size` bytes), so no allocation is ever sized by an untrusted count.
  bool read_count(uint32_t& out, size_t min_element_size = 1);

  // Records an error at the current offset (first error wins) and returns false.
  bool fail(std::string message) { return fail_at(offset(), std::move(message)); }
  bool fail_at(size_t offset, std::string message);
  bool failed() const { return failed_; }
  const Error& error() const { return error_; }
  Error take_error() { return std::move(error_); }

  // The error to report when input ends early; a body or section reader uses its own wording.
  void set_eof_message(const char* message) { eof_message_ = message; }

 private:
  bool fail_eof() { return fail(eof_message_); }
  bool read_leb_unsigned(unsigned bits, uint64_t& out);
  bool read_leb_signed(unsigned bits, int64_t& out);

  std::span<const uint8_t> data_;
  size_t base_ = 0;
  size_t pos_ = 0;
  bool failed_ = false;
  Error error_;
  const char* eof_message_ = "unexpected end";
};

// True when the bytes are well-formed UTF-8 (no overlongs, surrogates or values above U+10FFFF).
bool is_valid_utf8(std::span<const uint8_t> bytes);

}  // namespace loom
