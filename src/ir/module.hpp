// The module model shared by every stage: decoder and text parser produce it; validator, printer,
// encoder, interpreter and JIT consume it.
//
// Code stays bytes (DESIGN.md): function bodies and constant expressions are byte ranges into the
// module's own copy of its binary (`bytes`), decoded on demand by InstrReader. Ranges are offsets,
// not pointers, so a Module can be moved or copied freely.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ir/types.hpp"

namespace loom {

// [begin, end) byte offsets into Module::bytes.
struct ByteRange {
  size_t begin = 0;
  size_t end = 0;
  size_t size() const { return end - begin; }
  bool empty() const { return begin == end; }
};

// A constant expression: the instruction bytes including the final `end`.
struct ConstExpr {
  ByteRange range;
};

struct Import {
  std::string module;
  std::string field;
  ExternKind kind = ExternKind::Func;
  uint32_t func_type = 0;  // Func: type index; Tag: type index
  TableType table;         // Table
  MemoryType memory;       // Memory
  GlobalType global;       // Global
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
};

struct Global {
  GlobalType type;
  ConstExpr init;
};

struct Table {
  TableType type;
  bool has_init = false;  // 3.0 table with an initializer expression (0x40 0x00 prefix)
  ConstExpr init;
};

enum class SegmentMode : uint8_t { Active, Passive, Declarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::Active;
  uint32_t flags = 0;  // binary encoding 0..7, kept so the encoder can reproduce it
  uint32_t table = 0;  // active only
  ConstExpr offset;    // active only
  ValType type = ValType::funcref();
  // Exactly one of these holds the items: function indices for flags 0-3, expressions for 4-7.
  std::vector<uint32_t> func_indices;
  std::vector<ConstExpr> exprs;
  size_t item_count() const { return flags & 4 ? exprs.size() : func_indices.size(); }
};

struct DataSegment {
  SegmentMode mode = SegmentMode::Active;
  uint32_t flags = 0;   // binary encoding 0..2
  uint32_t memory = 0;  // active only
  ConstExpr offset;     // active only
  ByteRange init;
};

struct LocalDecl {
  uint32_t count = 0;
  ValType type;
};

struct FunctionBody {
  size_t offset = 0;  // file offset of the body size field's payload (the locals vector)
  std::vector<LocalDecl> locals;
  uint64_t local_count = 0;  // total declared locals (not counting params)
  ByteRange code;            // instructions, including the final `end`
};

// A custom section, with the id of the section it followed (0 = before any known section).
struct CustomSection {
  std::string name;
  ByteRange data;
  uint8_t after_section = 0;
};

using NameMap = std::vector<std::pair<uint32_t, std::string>>;  // sorted by index

struct Names {
  std::string module;
  bool has_module = false;
  NameMap functions;
  std::vector<std::pair<uint32_t, NameMap>> locals;  // function index -> local names
};

struct Module {
  std::vector<uint8_t> bytes;  // the binary every ByteRange refers to

  std::vector<FuncType> types;
  // Parallel to `types` when the module uses 3.0 type forms; an absent entry is a final function
  // type in a rec group of its own (what every 2.0 type is). Read it through type_def().
  std::vector<TypeDef> type_defs;
  std::vector<Import> imports;
  std::vector<uint32_t> functions;  // type index of each defined function
  std::vector<Table> tables;
  std::vector<MemoryType> memories;
  std::vector<Global> globals;
  std::vector<uint32_t> tags;  // type index of each defined tag (exceptions)
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::optional<uint32_t> data_count;
  std::vector<FunctionBody> bodies;
  std::vector<DataSegment> datas;
  std::vector<CustomSection> customs;
  Names names;

  // Positions in `imports` of the imports of each kind, so index spaces (imports first) can be
  // looked up in O(1). Maintained by add_import.
  std::vector<uint32_t> imported_funcs, imported_tables, imported_memories, imported_globals,
      imported_tags;

  void add_import(Import imp);

  std::span<const uint8_t> slice(ByteRange r) const {
    return std::span<const uint8_t>(bytes).subspan(r.begin, r.size());
  }

  uint32_t num_imported_funcs() const { return uint32_t(imported_funcs.size()); }
  uint32_t num_imported_tables() const { return uint32_t(imported_tables.size()); }
  uint32_t num_imported_memories() const { return uint32_t(imported_memories.size()); }
  uint32_t num_imported_globals() const { return uint32_t(imported_globals.size()); }
  size_t num_funcs() const { return imported_funcs.size() + functions.size(); }
  size_t num_tables() const { return imported_tables.size() + tables.size(); }
  size_t num_memories() const { return imported_memories.size() + memories.size(); }
  size_t num_globals() const { return imported_globals.size() + globals.size(); }
  size_t num_tags() const { return imported_tags.size() + tags.size(); }
  uint32_t num_imported_tags() const { return uint32_t(imported_tags.size()); }
  // Type index of tag `tag` (imports first); `tag` must be < num_tags().
  uint32_t tag_type_index(uint32_t tag) const {
    return tag < imported_tags.size() ? imports[imported_tags[tag]].func_type
                                      : tags[tag - imported_tags.size()];
  }

  // Type lookups across the index spaces (imports first). Indices must be in range.
  uint32_t func_type_index(uint32_t func) const;
  const FuncType& func_type(uint32_t func) const { return types[func_type_index(func)]; }
  const TableType& table_type(uint32_t table) const;
  const MemoryType& memory_type(uint32_t memory) const;
  const GlobalType& global_type(uint32_t global) const;

  const TypeDef& type_def(uint32_t type) const;
  bool is_func_type(uint32_t type) const { return type_def(type).kind == CompKind::Func; }

  // Name from the name section, or empty.
  std::string_view func_name(uint32_t func) const;
};

}  // namespace loom
