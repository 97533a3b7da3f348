// Readers for the type grammar shared by sections and instructions: value types, heap and
// reference types, block types, limits, table/memory/global types.
#pragma once
#include "binary/reader.hpp"
#include "ir/features.hpp"
#include "ir/types.hpp"

namespace loom {

bool read_heap_type(Reader& r, const Features& f, HeapType& out);
bool read_ref_type(Reader& r, const Features& f, ValType& out);
bool read_val_type(Reader& r, const Features& f, ValType& out);
bool read_limits(Reader& r, const Features& f, Limits& out, bool is_memory);
bool read_table_type(Reader& r, const Features& f, TableType& out);
bool read_memory_type(Reader& r, const Features& f, MemoryType& out);
bool read_global_type(Reader& r, const Features& f, GlobalType& out);

// A block type: empty, a single value type, or a type index.
struct BlockType {
  enum class Kind : uint8_t { Empty, Value, Index } kind = Kind::Empty;
  ValType value;
  uint32_t index = 0;
};
bool read_block_type(Reader& r, const Features& f, BlockType& out);

}  // namespace loom
