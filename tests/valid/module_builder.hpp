// A tiny binary-module builder for the validator tests: collects entries per section and emits
// them in the binary format's section order. It writes exactly what it is given, so tests can
// build invalid (but well-formed) modules.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace loom::valid_test {

using Bytes = std::vector<uint8_t>;

// Value type bytes.
inline constexpr uint8_t kI32 = 0x7f, kI64 = 0x7e, kF32 = 0x7d, kF64 = 0x7c, kV128 = 0x7b,
                         kFuncRef = 0x70, kExternRef = 0x6f;

inline void put_u32(Bytes& out, uint64_t value) {
  do {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    if (value) byte |= 0x80;
    out.push_back(byte);
  } while (value);
}

inline void put_s64(Bytes& out, int64_t value) {
  for (;;) {
    const uint8_t byte = value & 0x7f;
    value >>= 7;
    const bool done = (value == 0 && !(byte & 0x40)) || (value == -1 && (byte & 0x40));
    out.push_back(done ? byte : byte | 0x80);
    if (done) return;
  }
}

inline void put_bytes(Bytes& out, const Bytes& bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}

inline void put_name(Bytes& out, std::string_view name) {
  put_u32(out, name.size());
  out.insert(out.end(), name.begin(), name.end());
}

// Concatenates byte pieces: cat({0x41, 0x00}, more, ...).
inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& part : parts) put_bytes(out, part);
  return out;
}

// i32.const with a signed LEB immediate.
inline Bytes i32_const(int32_t value) {
  Bytes out{0x41};
  put_s64(out, value);
  return out;
}

class ModuleBuilder {
 public:
  uint32_t add_type(const Bytes& params, const Bytes& results) {
    Bytes& out = entries_[kType];
    out.push_back(0x60);
    put_u32(out, params.size());
    put_bytes(out, params);
    put_u32(out, results.size());
    put_bytes(out, results);
    return counts_[kType]++;
  }

  void import_func(uint32_t type) {
    import_header(0x00);
    put_u32(entries_[kImport], type);
  }
  void import_table(uint8_t elem, uint32_t min, std::optional<uint32_t> max = std::nullopt) {
    import_header(0x01);
    entries_[kImport].push_back(elem);
    put_limits(entries_[kImport], min, max);
  }
  void import_memory(uint32_t min, std::optional<uint32_t> max = std::nullopt) {
    import_header(0x02);
    put_limits(entries_[kImport], min, max);
  }
  void import_global(uint8_t type, bool is_mutable) {
    import_header(0x03);
    entries_[kImport].push_back(type);
    entries_[kImport].push_back(is_mutable ? 1 : 0);
  }

  // A defined function; `code` is the instruction bytes including the final `end`.
  // `locals` are (count, type) runs.
  uint32_t add_func(uint32_t type, const Bytes& code,
                    const std::vector<std::pair<uint32_t, uint8_t>>& locals = {}) {
    put_u32(entries_[kFunction], type);
    ++counts_[kFunction];
    Bytes body;
    put_u32(body, locals.size());
    for (const auto& [count, local_type] : locals) {
      put_u32(body, count);
      body.push_back(local_type);
    }
    put_bytes(body, code);
    put_u32(entries_[kCode], body.size());
    put_bytes(entries_[kCode], body);
    ++counts_[kCode];
    return counts_[kFunction] - 1;
  }

  void add_table(uint8_t elem, uint32_t min, std::optional<uint32_t> max = std::nullopt) {
    entries_[kTable].push_back(elem);
    put_limits(entries_[kTable], min, max);
    ++counts_[kTable];
  }
  void add_memory(uint32_t min, std::optional<uint32_t> max = std::nullopt) {
    put_limits(entries_[kMemory], min, max);
    ++counts_[kMemory];
  }
  // `init` includes the final `end`.
  void add_global(uint8_t type, bool is_mutable, const Bytes& init) {
    entries_[kGlobal].push_back(type);
    entries_[kGlobal].push_back(is_mutable ? 1 : 0);
    put_bytes(entries_[kGlobal], init);
    ++counts_[kGlobal];
  }
  // kind: 0 func, 1 table, 2 memory, 3 global.
  void add_export(std::string_view name, uint8_t kind, uint32_t index) {
    put_name(entries_[kExport], name);
    entries_[kExport].push_back(kind);
    put_u32(entries_[kExport], index);
    ++counts_[kExport];
  }
  void set_start(uint32_t func) { start_ = func; }
  // Raw element / data segment entries (flags byte onwards).
  void add_elem(const Bytes& raw) {
    put_bytes(entries_[kElem], raw);
    ++counts_[kElem];
  }
  void add_data(const Bytes& raw) {
    put_bytes(entries_[kData], raw);
    ++counts_[kData];
  }
  void set_data_count(uint32_t count) { data_count_ = count; }

  Bytes build() const {
    Bytes out{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    // Binary section order: the data count section sits between element and code sections.
    for (Section s : {kType, kImport, kFunction, kTable, kMemory, kGlobal, kExport}) {
      emit_vector_section(out, s);
    }
    if (start_) {
      Bytes payload;
      put_u32(payload, *start_);
      emit_section(out, 8, payload);
    }
    emit_vector_section(out, kElem);
    if (data_count_) {
      Bytes payload;
      put_u32(payload, *data_count_);
      emit_section(out, 12, payload);
    }
    emit_vector_section(out, kCode);
    emit_vector_section(out, kData);
    return out;
  }

 private:
  enum Section {
    kType,
    kImport,
    kFunction,
    kTable,
    kMemory,
    kGlobal,
    kExport,
    kElem,
    kCode,
    kData,
    kCount
  };
  static constexpr uint8_t kSectionIds[kCount] = {1, 2, 3, 4, 5, 6, 7, 9, 10, 11};

  void import_header(uint8_t kind) {
    put_name(entries_[kImport], "env");
    put_name(entries_[kImport], "x" + std::to_string(counts_[kImport]++));
    entries_[kImport].push_back(kind);
  }
  static void put_limits(Bytes& out, uint32_t min, std::optional<uint32_t> max) {
    out.push_back(max ? 0x01 : 0x00);
    put_u32(out, min);
    if (max) put_u32(out, *max);
  }
  static void emit_section(Bytes& out, uint8_t id, const Bytes& payload) {
    out.push_back(id);
    put_u32(out, payload.size());
    put_bytes(out, payload);
  }
  void emit_vector_section(Bytes& out, Section s) const {
    if (counts_[s] == 0) return;
    Bytes payload;
    put_u32(payload, counts_[s]);
    put_bytes(payload, entries_[s]);
    emit_section(out, kSectionIds[s], payload);
  }

  Bytes entries_[kCount];
  uint32_t counts_[kCount] = {};
  std::optional<uint32_t> start_;
  std::optional<uint32_t> data_count_;
};

}  // namespace loom::valid_test
