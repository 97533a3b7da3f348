// Module-level validation (spec 2.0, "Validation > Modules"), then every function body through
// FuncValidator.
#include "valid/validator.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "binary/reader.hpp"
#include "binary/section_id.hpp"
#include "binary/type_reader.hpp"
#include "ir/limits.hpp"
#include "valid/func_validator.hpp"
#include "valid/type_defs.hpp"

namespace loom {
namespace {

constexpr uint64_t kMaxPages32 = uint64_t{1} << 16;
constexpr uint64_t kMaxPages64 = uint64_t{1} << 48;
constexpr uint64_t kMaxTableSize32 = 0xffffffffu;

// The Module keeps no offsets for entries such as imports or exports, so when one of them is
// invalid we find it again in the binary: walk the section headers, then skip entries up to the
// one wanted. Only runs on the error path. Falls back to the section start, then to 0.
class EntryLocator {
 public:
  EntryLocator(const Module& module, const Features& features)
      : module_(module), features_(features) {}

  size_t locate(uint8_t section, std::optional<uint32_t> entry) const {
    const std::vector<uint8_t>& bytes = module_.bytes;
    static constexpr uint8_t kMagic[] = {0x00, 0x61, 0x73, 0x6d};
    if (bytes.size() < 8 || !std::equal(kMagic, kMagic + 4, bytes.begin())) return 0;
    Reader r(std::span<const uint8_t>(bytes).subspan(8), 8);
    while (!r.at_end()) {
      const size_t section_offset = r.offset();
      uint8_t id;
      uint32_t size;
      if (!r.read_u8(id) || !r.read_u32(size) || size > r.remaining()) return 0;
      if (id != section) {
        r.skip(size);
        continue;
      }
      Reader payload(r.data().subspan(r.pos(), size), r.offset());
      uint32_t count;
      if (!entry || !payload.read_u32(count) || *entry >= count) return section_offset;
      for (uint32_t i = 0; i < *entry; ++i) {
        if (!skip_entry(payload, section, i)) return section_offset;
      }
      return payload.offset();
    }
    return 0;
  }

 private:
  // Jumps `r` to absolute offset `target` (the end of a constant expression the Module knows).
  static bool skip_to(Reader& r, size_t target) {
    return target >= r.offset() && r.skip(target - r.offset());
  }

  bool skip_entry(Reader& r, uint8_t section, uint32_t index) const {
    const Features& f = features_;
    uint32_t u32;
    uint8_t byte;
    std::string name;
    switch (section) {
      case kTypeSection: {
        uint32_t count;
        ValType type;
        if (!r.read_u8(byte) || byte != 0x60) return false;  // GC type forms: give up
        for (int list = 0; list < 2; ++list) {
          if (!r.read_count(count)) return false;
          for (uint32_t i = 0; i < count; ++i) {
            if (!read_val_type(r, f, type)) return false;
          }
        }
        return true;
      }
      case kImportSection: {
        if (!r.read_name(name) || !r.read_name(name) || !r.read_u8(byte)) return false;
        TableType table;
        MemoryType memory;
        GlobalType global;
        switch (byte) {
          case 0:
            return r.read_u32(u32);
          case 1:
            return read_table_type(r, f, table);
          case 2:
            return read_memory_type(r, f, memory);
          case 3:
            return read_global_type(r, f, global);
          case 4:
            return r.read_u8(byte) && r.read_u32(u32);
          default:
            return false;
        }
      }
      case kFunctionSection:
        return r.read_u32(u32);
      case kTableSection: {
        if (index >= module_.tables.size()) return false;
        const Table& table = module_.tables[index];
        if (table.has_init) return skip_to(r, table.init.range.end);
        TableType type;
        return read_table_type(r, f, type);
      }
      case kMemorySection: {
        MemoryType memory;
        return read_memory_type(r, f, memory);
      }
      case kGlobalSection:
        if (index >= module_.globals.size()) return false;
        return skip_to(r, module_.globals[index].init.range.end);
      case kExportSection:
        return r.read_name(name) && r.read_u8(byte) && r.read_u32(u32);
      case kTagSection:
        return r.read_u8(byte) && r.read_u32(u32);
      default:
        return false;
    }
  }

  const Module& module_;
  const Features& features_;
};

class ModuleValidator {
 public:
  ModuleValidator(const Module& module, const Features& features)
      : m_(module),
        f_(features),
        locator_(module, features),
        consts_(module, features),
        types_(module) {}

  Status run() {
    if (!check_implementation_limits() || !check_types() || !check_imports() ||
        !check_functions() || !check_tags() || !check_tables() || !check_memories() || !check_globals() ||
        !check_bodies() || !check_elems() || !check_datas() || !check_start() || !check_exports()) {
      return std::move(error_);
    }
    return ok_status();
  }

 private:
  bool fail(size_t offset, std::string message) {
    error_ = Error{};
    error_.message = std::move(message);
    error_.offset = offset;
    error_.kind = ErrorKind::Invalid;
    return false;
  }
  bool fail_at(uint8_t section, std::optional<uint32_t> entry, std::string message) {
    return fail(locator_.locate(section, entry), std::move(message));
  }
  bool const_expr(const ConstExpr& expr, ValType expected, size_t visible_globals) {
    if (consts_.validate(expr, expected, visible_globals)) return true;
    error_ = consts_.take_error();
    return false;
  }

  // Where an import (by position in Module::imports) or a defined entity is described.
  size_t import_offset(uint32_t position) const {
    return locator_.locate(kImportSection, position);
  }

  // Every count of limits.def that a Module shows. The decoder checked them already for a binary;
  // a text module (or one built by hand) is checked here. Bodies are checked by FuncValidator.
  bool check_implementation_limits() {
    struct Count {
      uint64_t value;
      Limit limit;
      uint8_t section;
    };
    const Count counts[] = {
        {m_.bytes.size(), Limit::ModuleBytes, 0},
        {m_.types.size(), Limit::Types, kTypeSection},
        {m_.imports.size(), Limit::Imports, kImportSection},
        {m_.num_funcs(), Limit::Functions, kFunctionSection},
        {m_.num_tables(), Limit::Tables, kTableSection},
        {m_.num_memories(), Limit::Memories, kMemorySection},
        {m_.num_globals(), Limit::Globals, kGlobalSection},
        {m_.num_tags(), Limit::Tags, kTagSection},
        {m_.exports.size(), Limit::Exports, kExportSection},
        {m_.elems.size(), Limit::ElemSegments, kElementSection},
        {m_.datas.size(), Limit::DataSegments, kDataSection},
        {m_.data_count.value_or(0), Limit::DataSegments, kDataCountSection},
    };
    for (const Count& c : counts) {
      if (c.value > limit_value(c.limit)) {
        return fail_at(c.section, std::nullopt, limit_error(c.limit));
      }
    }
    for (uint32_t i = 0; i < m_.types.size(); ++i) {
      if (m_.types[i].params.size() > limit_value(Limit::FunctionParams)) {
        return fail_at(kTypeSection, i, limit_error(Limit::FunctionParams));
      }
      if (m_.types[i].results.size() > limit_value(Limit::FunctionResults)) {
        return fail_at(kTypeSection, i, limit_error(Limit::FunctionResults));
      }
    }
    const uint64_t max_name = limit_value(Limit::NameBytes);
    for (uint32_t i = 0; i < m_.imports.size(); ++i) {
      if (m_.imports[i].module.size() > max_name || m_.imports[i].field.size() > max_name) {
        return fail(import_offset(i), limit_error(Limit::NameBytes));
      }
    }
    for (uint32_t i = 0; i < m_.exports.size(); ++i) {
      if (m_.exports[i].name.size() > max_name) {
        return fail_at(kExportSection, i, limit_error(Limit::NameBytes));
      }
    }
    for (const CustomSection& custom : m_.customs) {
      if (custom.name.size() > max_name)
        return fail(custom.data.begin, limit_error(Limit::NameBytes));
    }
    for (uint32_t i = 0; i < m_.elems.size(); ++i) {
      if (m_.elems[i].item_count() > limit_value(Limit::ElemSegmentItems)) {
        return fail_at(kElementSection, i, limit_error(Limit::ElemSegmentItems));
      }
    }
    return true;
  }

  bool valid_val_type(ValType t) const {
    return !t.is_ref() || !t.heap.is_index() || t.heap.value < m_.types.size();
  }
  std::string unknown_type(ValType t) const {
    return "unknown type " + std::to_string(t.heap.value);
  }

  bool check_types() {
    if (TypeDefError e; !check_type_defs(m_, types_, e)) {
      return fail_at(kTypeSection, e.type, std::move(e.message));
    }
    for (uint32_t i = 0; i < m_.types.size(); ++i) {
      for (const auto* list : {&m_.types[i].params, &m_.types[i].results}) {
        for (ValType t : *list) {
          if (!valid_val_type(t)) return fail_at(kTypeSection, i, unknown_type(t));
        }
      }
      if (m_.types[i].results.size() > 1 && !f_.has(Feature::MultiValue)) {
        return fail_at(kTypeSection, i, "invalid result arity");
      }
    }
    return true;
  }

  // Where a table or memory type is: entry `entry` of `section`. Located only on failure, since
  // locating walks the section (doing it for every entry made 100,000 tables take a minute).
  struct Where {
    uint8_t section;
    uint32_t entry;
  };
  bool fail_at(Where where, std::string message) {
    return fail_at(where.section, where.entry, std::move(message));
  }

  bool check_limits(const Limits& limits, uint64_t range, const std::string& range_message,
                    Where where) {
    if (limits.min > range || (limits.max && *limits.max > range)) {
      return fail_at(where, range_message);
    }
    if (limits.max && limits.min > *limits.max) {
      return fail_at(where, "size minimum must not be greater than maximum");
    }
    return true;
  }

  bool check_table_type(const TableType& type, Where where) {
    if (!valid_val_type(type.elem)) return fail_at(where, unknown_type(type.elem));
    const uint64_t range = type.limits.is64 ? UINT64_MAX : kMaxTableSize32;
    return check_limits(type.limits, range, "table size must be at most 2^32-1", where);
  }

  bool check_memory_type(const MemoryType& type, Where where) {
    const bool is64 = type.limits.is64;
    if (type.page_size_log2 != 16) {
      // custom-page-sizes: 1-byte pages; the range is 2^32-1 (2^64-1) pages, as many as fit.
      if (type.page_size_log2 != 0) return fail_at(where, "invalid custom page size");
      return check_limits(type.limits, is64 ? UINT64_MAX : UINT32_MAX,
                          is64 ? "memory size must be at most 2^64-1 bytes"
                               : "memory size must be at most 2^32-1 bytes",
                          where) &&
             (!type.limits.shared || type.limits.max ||
              fail_at(where, "shared memory must have maximum"));
    }
    if (!check_limits(type.limits, is64 ? kMaxPages64 : kMaxPages32,
                      is64 ? "memory size must be at most 2^48 pages"
                           : "memory size must be at most 65536 pages (4GiB)",
                      where)) {
      return false;
    }
    if (type.limits.shared && !type.limits.max) {
      return fail_at(where, "shared memory must have maximum");
    }
    return true;
  }

  bool check_imports() {
    for (uint32_t i = 0; i < m_.imports.size(); ++i) {
      const Import& imp = m_.imports[i];
      switch (imp.kind) {
        case ExternKind::Func:
        case ExternKind::Tag:
          if (imp.func_type >= m_.types.size()) {
            return fail(import_offset(i), "unknown type " + std::to_string(imp.func_type));
          }
          if (!m_.is_func_type(imp.func_type)) {
            return fail(import_offset(i), "type mismatch: type " + std::to_string(imp.func_type) +
                                              " is not a function type");
          }
          if (imp.kind == ExternKind::Tag && !m_.types[imp.func_type].results.empty()) {
            return fail(import_offset(i), "non-empty tag result type");
          }
          break;
        case ExternKind::Table:
          if (!check_table_type(imp.table, Where{kImportSection, i})) return false;
          break;
        case ExternKind::Memory:
          if (!check_memory_type(imp.memory, Where{kImportSection, i})) return false;
          break;
        case ExternKind::Global:
          if (!valid_val_type(imp.global.type)) {
            return fail(import_offset(i), unknown_type(imp.global.type));
          }
          if (imp.global.is_mutable && !f_.has(Feature::MutableGlobals)) {
            return fail(import_offset(i), "mutable globals cannot be imported");
          }
          break;
      }
    }
    return true;
  }

  bool check_functions() {
    for (uint32_t i = 0; i < m_.functions.size(); ++i) {
      if (m_.functions[i] >= m_.types.size()) {
        return fail_at(kFunctionSection, i, "unknown type " + std::to_string(m_.functions[i]));
      }
      if (!m_.is_func_type(m_.functions[i])) {
        return fail_at(kFunctionSection, i,
                       "type mismatch: type " + std::to_string(m_.functions[i]) +
                           " of a function is not a function type");
      }
    }
    return true;
  }

  // Exceptions: a tag's type is a function type without results.
  bool check_tags() {
    for (uint32_t i = 0; i < m_.tags.size(); ++i) {
      if (m_.tags[i] >= m_.types.size()) {
        return fail_at(kTagSection, i, "unknown type " + std::to_string(m_.tags[i]));
      }
      if (!m_.types[m_.tags[i]].results.empty()) {
        return fail_at(kTagSection, i, "non-empty tag result type");
      }
    }
    return true;
  }

  bool check_tables() {
    for (uint32_t i = 0; i < m_.tables.size(); ++i) {
      const Table& table = m_.tables[i];
      if (!check_table_type(table.type, Where{kTableSection, i})) return false;
      if (table.has_init) {
        // Tables come before globals, so only imported globals are visible.
        if (!const_expr(table.init, table.type.elem, m_.num_imported_globals())) return false;
      } else if (!table.type.elem.nullable) {
        return fail_at(kTableSection, i,
                       "type mismatch: a table of non-nullable references needs an initializer");
      }
    }
    return true;
  }

  bool check_memories() {
    if (m_.num_memories() > 1 && !f_.has(Feature::MultiMemory)) {
      // Point at the second memory, imported or defined.
      if (m_.imported_memories.size() > 1) {
        return fail(import_offset(m_.imported_memories[1]), "multiple memories");
      }
      return fail_at(kMemorySection, static_cast<uint32_t>(1 - m_.imported_memories.size()),
                     "multiple memories");
    }
    for (uint32_t i = 0; i < m_.memories.size(); ++i) {
      if (!check_memory_type(m_.memories[i], Where{kMemorySection, i})) return false;
    }
    return true;
  }

  bool check_globals() {
    // 2.0: initializers may only read imported globals. Extended constants (and GC) also allow
    // earlier globals of the module.
    const bool earlier_visible = f_.has(Feature::ExtendedConst) || f_.has(Feature::Gc);
    for (uint32_t i = 0; i < m_.globals.size(); ++i) {
      const Global& global = m_.globals[i];
      if (!valid_val_type(global.type.type)) {
        return fail_at(kGlobalSection, i, unknown_type(global.type.type));
      }
      const size_t visible = m_.num_imported_globals() + (earlier_visible ? i : 0);
      if (!const_expr(global.init, global.type.type, visible)) return false;
    }
    return true;
  }

  bool check_bodies() {
    if (m_.bodies.size() != m_.functions.size()) {
      return fail(locator_.locate(kFunctionSection, std::nullopt),
                  "function and code section have inconsistent lengths");
    }
    if (m_.bodies.empty()) return true;
    FuncValidator validator(m_, f_);
    const uint32_t first = m_.num_imported_funcs();
    for (uint32_t i = 0; i < m_.bodies.size(); ++i) {
      if (!validator.validate_body(first + i, m_.bodies[i])) {
        error_ = validator.take_error();
        return false;
      }
    }
    return true;
  }

  bool check_elems() {
    const size_t num_globals = m_.num_globals();
    for (uint32_t i = 0; i < m_.elems.size(); ++i) {
      const ElemSegment& seg = m_.elems[i];
      const size_t seg_offset = seg.mode == SegmentMode::Active
                                    ? seg.offset.range.begin
                                    : locator_.locate(kElementSection, i);
      if (!valid_val_type(seg.type)) return fail(seg_offset, unknown_type(seg.type));
      if (seg.mode == SegmentMode::Active) {
        if (seg.table >= m_.num_tables()) {
          return fail(seg_offset, "unknown table " + std::to_string(seg.table));
        }
        const TableType& table = m_.table_type(seg.table);
        if (!types_.matches(seg.type, table.elem)) {
          return fail(seg_offset, "type mismatch: element segment of type " + to_string(seg.type) +
                                      " for a table of " + to_string(table.elem));
        }
        const ValType address = table.limits.is64 ? ValKind::I64 : ValKind::I32;
        if (!const_expr(seg.offset, address, num_globals)) return false;
      }
      for (uint32_t f : seg.func_indices) {
        if (f >= m_.num_funcs()) return fail(seg_offset, "unknown function " + std::to_string(f));
      }
      for (const ConstExpr& item : seg.exprs) {
        if (!const_expr(item, seg.type, num_globals)) return false;
      }
    }
    return true;
  }

  bool check_datas() {
    for (uint32_t i = 0; i < m_.datas.size(); ++i) {
      const DataSegment& seg = m_.datas[i];
      if (seg.mode != SegmentMode::Active) continue;
      if (seg.memory >= m_.num_memories()) {
        return fail(seg.offset.range.begin, "unknown memory " + std::to_string(seg.memory));
      }
      const ValType address = m_.memory_type(seg.memory).limits.is64 ? ValKind::I64 : ValKind::I32;
      if (!const_expr(seg.offset, address, m_.num_globals())) return false;
    }
    return true;
  }

  bool check_start() {
    if (!m_.start) return true;
    const uint32_t func = *m_.start;
    if (func >= m_.num_funcs()) {
      return fail_at(kStartSection, std::nullopt, "unknown function " + std::to_string(func));
    }
    const FuncType& type = m_.func_type(func);
    if (!type.params.empty() || !type.results.empty()) {
      return fail_at(kStartSection, std::nullopt,
                     "start function must have type [] -> [], has " + to_string(type));
    }
    return true;
  }

  bool check_exports() {
    std::unordered_set<std::string_view> names;
    names.reserve(m_.exports.size());
    for (uint32_t i = 0; i < m_.exports.size(); ++i) {
      const Export& exp = m_.exports[i];
      size_t count = 0;
      switch (exp.kind) {
        case ExternKind::Func:
          count = m_.num_funcs();
          break;
        case ExternKind::Table:
          count = m_.num_tables();
          break;
        case ExternKind::Memory:
          count = m_.num_memories();
          break;
        case ExternKind::Global:
          count = m_.num_globals();
          break;
        case ExternKind::Tag:
          count = m_.num_tags();
          break;
      }
      if (exp.index >= count) {
        return fail_at(
            kExportSection, i,
            std::string("unknown ") + to_string(exp.kind) + " " + std::to_string(exp.index));
      }
      if (exp.kind == ExternKind::Global && !f_.has(Feature::MutableGlobals) &&
          m_.global_type(exp.index).is_mutable) {
        return fail_at(kExportSection, i, "mutable globals cannot be exported");
      }
      if (!names.insert(exp.name).second) {
        return fail_at(kExportSection, i, "duplicate export name \"" + exp.name + "\"");
      }
    }
    return true;
  }

  const Module& m_;
  const Features& f_;
  EntryLocator locator_;
  ConstExprValidator consts_;
  TypeRelation types_;
  Error error_;
};

}  // namespace

Status validate_module(const Module& module, const Features& features) {
  return ModuleValidator(module, features).run();
}

}  // namespace loom
