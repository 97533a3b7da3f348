#include "binary/decoder.hpp"

#include <algorithm>

#include "binary/instr_reader.hpp"
#include "binary/name_section.hpp"
#include "binary/reader.hpp"
#include "binary/section_id.hpp"
#include "binary/type_reader.hpp"
#include "ir/limits.hpp"

namespace loom {
namespace {

// Position of each known section in the required order (data count sits between element and
// code, tag between memory and global); 0 for unknown ids.
int section_rank(uint8_t id) {
  static constexpr int kRanks[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};
  return id < sizeof(kRanks) / sizeof(kRanks[0]) ? kRanks[id] : 0;
}

// Fails at `at` with the error naming `limit` when `count` exceeds it. `spec_wording` starts the
// message where the spec testsuite expects its own words (binary.wast: "too many locals").
bool check_limit(Reader& r, uint64_t count, Limit limit, size_t at,
                 std::string_view spec_wording = {}) {
  if (count <= limit_value(limit)) return true;
  std::string message = spec_wording.empty() ? std::string() : std::string(spec_wording) + ": ";
  return r.fail_at(at, message + limit_error(limit));
}

// Reads a vector count (checked against the bytes left first, as read_count does), then checks
// it, plus `already` entries counted elsewhere (imports), against `limit`.
bool read_limited_count(Reader& r, uint32_t& count, Limit limit, size_t min_element_size,
                        uint64_t already = 0) {
  const size_t at = r.offset();
  return r.read_count(count, min_element_size) && check_limit(r, already + count, limit, at);
}

// A name (import, export, custom section) no longer than the name-bytes limit.
bool read_limited_name(Reader& r, std::string& out) {
  const size_t at = r.offset();
  if (!r.read_name(out)) return false;
  return check_limit(r, out.size(), Limit::NameBytes, at);
}

class Decoder {
 public:
  Decoder(Module& module, const Features& features) : m_(module), f_(features) {}

  Status run();

 private:
  Status fail(const Reader& r) { return r.error(); }
  bool decode_section(uint8_t id, Reader& r);
  bool decode_types(Reader& r);
  bool read_sub_type(Reader& r, uint8_t form, uint32_t rec_pos, uint32_t rec_size);
  bool read_composite_type(Reader& r, uint8_t form, FuncType& sig, TypeDef& def);
  bool decode_imports(Reader& r);
  bool decode_functions(Reader& r);
  bool decode_tables(Reader& r);
  bool decode_memories(Reader& r);
  bool decode_globals(Reader& r);
  bool decode_exports(Reader& r);
  bool decode_start(Reader& r);
  bool decode_elements(Reader& r);
  bool decode_data_count(Reader& r);
  bool decode_code(Reader& r);
  bool decode_datas(Reader& r);
  bool decode_custom(Reader& r, uint8_t after_section);
  bool decode_tags(Reader& r);
  bool read_const_expr(Reader& r, ConstExpr& out);
  bool read_extern_kind(Reader& r, ExternKind& out, const char* what);

  Module& m_;
  const Features& f_;
  bool saw_function_section_ = false;
  bool saw_code_section_ = false;
  size_t code_section_offset_ = 0;
};

Status Decoder::run() {
  Reader r(m_.bytes);
  r.set_eof_message("unexpected end");
  std::span<const uint8_t> header;
  static constexpr uint8_t kMagic[] = {0x00, 0x61, 0x73, 0x6d};
  // As the spec's reference decoder: a file shorter than the magic ends early, whatever it holds.
  if (!r.read_bytes(4, header)) return Error{"unexpected end: no magic header", 0};
  if (!std::equal(header.begin(), header.end(), kMagic)) {
    return Error{"magic header not detected", 0};
  }
  uint32_t version;
  if (!r.read_fixed_u32(version)) return Error{"unexpected end: no version", 4};
  if (version != 1) return Error{"unknown binary version", 4};

  int last_rank = 0;
  uint8_t last_id = 0;
  while (!r.at_end()) {
    const size_t section_start = r.offset();
    uint8_t id;
    uint32_t size;
    r.read_u8(id);
    if (id != kCustomSection && section_rank(id) == 0) {
      return Error{"malformed section id " + std::to_string(id), section_start};
    }
    if (id == kTagSection && !f_.has(Feature::Exceptions)) {
      return Error{"malformed section id 13 (tag section needs --enable-exceptions)",
                   section_start};
    }
    if (!r.read_u32(size)) return fail(r);
    if (size > r.remaining()) {
      return Error{"length out of bounds: section size " + std::to_string(size) + " but only " +
                       std::to_string(r.remaining()) + " bytes left",
                   r.offset()};
    }
    if (id != kCustomSection) {
      const int rank = section_rank(id);
      if (rank <= last_rank) {
        return Error{"unexpected content after last section (section " + std::to_string(id) +
                         (rank == last_rank ? " repeated)" : " out of order)"),
                     section_start};
      }
      last_rank = rank;
      last_id = id;
    }
    Reader section(r.data().subspan(r.pos(), size), r.offset());
    section.set_eof_message("unexpected end of section or function");
    r.skip(size);
    const bool ok =
        id == kCustomSection ? decode_custom(section, last_id) : decode_section(id, section);
    if (!ok) return fail(section);
    if (!section.at_end()) return Error{"section size mismatch", section.offset()};
  }

  if (m_.functions.size() != m_.bodies.size()) {
    return Error{"function and code section have inconsistent lengths",
                 saw_code_section_ ? code_section_offset_ : m_.bytes.size()};
  }
  if (m_.data_count && *m_.data_count != m_.datas.size()) {
    return Error{"data count and data section have inconsistent lengths", m_.bytes.size()};
  }
  return ok_status();
}

bool Decoder::decode_section(uint8_t id, Reader& r) {
  switch (id) {
    case kTypeSection:
      return decode_types(r);
    case kImportSection:
      return decode_imports(r);
    case kFunctionSection:
      return decode_functions(r);
    case kTableSection:
      return decode_tables(r);
    case kMemorySection:
      return decode_memories(r);
    case kGlobalSection:
      return decode_globals(r);
    case kExportSection:
      return decode_exports(r);
    case kStartSection:
      return decode_start(r);
    case kElementSection:
      return decode_elements(r);
    case kDataCountSection:
      return decode_data_count(r);
    case kCodeSection:
      return decode_code(r);
    case kDataSection:
      return decode_datas(r);
    case kTagSection:
      return decode_tags(r);
    default:
      return r.fail("malformed section id " + std::to_string(id));
  }
}

// GC type forms (3.0): rec groups (0x4e), subtypes (0x50 / 0x4f final), and struct (0x5f) and
// array (0x5e) composite types beside function types (0x60).
bool Decoder::read_composite_type(Reader& r, uint8_t form, FuncType& sig, TypeDef& def) {
  const bool gc = f_.has(Feature::Gc);
  if (form == 0x60) {
    def.kind = CompKind::Func;
    for (auto* list : {&sig.params, &sig.results}) {
      uint32_t n;
      const Limit limit = list == &sig.params ? Limit::FunctionParams : Limit::FunctionResults;
      if (!read_limited_count(r, n, limit, 1)) return false;
      list->resize(n);
      for (ValType& t : *list) {
        if (!read_val_type(r, f_, t)) return false;
      }
    }
    if (sig.results.size() > 1 && !f_.has(Feature::MultiValue)) {
      return r.fail("invalid result arity (multiple results need --enable-multi-value)");
    }
    return true;
  }
  if (!gc || (form != 0x5f && form != 0x5e)) {
    return r.fail_at(r.offset() - 1, "malformed functype: expected 0x60");
  }
  def.kind = form == 0x5f ? CompKind::Struct : CompKind::Array;
  uint32_t n = 1;
  if (def.kind == CompKind::Struct && !read_limited_count(r, n, Limit::StructFields, 2)) {
    return false;
  }
  def.fields.resize(n);
  for (FieldType& field : def.fields) {
    uint8_t byte;
    if (!r.peek_u8(byte)) return r.fail("unexpected end");
    if (byte == 0x78 || byte == 0x77) {
      r.skip(1);
      field.type = ValKind::I32;
      field.packed = byte == 0x78 ? Packed::I8 : Packed::I16;
    } else if (!read_val_type(r, f_, field.type)) {
      return false;
    }
    uint8_t mut;
    if (!r.read_u8(mut)) return false;
    if (mut > 1) return r.fail_at(r.offset() - 1, "malformed mutability");
    field.is_mutable = mut == 1;
  }
  return true;
}

bool Decoder::read_sub_type(Reader& r, uint8_t form, uint32_t rec_pos, uint32_t rec_size) {
  FuncType sig;
  TypeDef def;
  def.rec_pos = rec_pos;
  def.rec_size = rec_size;
  if (f_.has(Feature::Gc) && (form == 0x50 || form == 0x4f)) {
    def.is_final = form == 0x4f;
    uint32_t supers;
    if (!r.read_count(supers, 1)) return false;
    if (supers > 1) return r.fail("invalid supertype count: at most one");
    if (supers == 1 && !r.read_u32(def.super)) return false;
    if (!r.read_u8(form)) return false;
  }
  if (!read_composite_type(r, form, sig, def)) return false;
  const bool plain = def == TypeDef{};
  if (!plain || !m_.type_defs.empty()) {
    m_.type_defs.resize(m_.types.size());  // earlier plain types get default entries
    m_.type_defs.push_back(std::move(def));
  }
  m_.types.push_back(std::move(sig));
  return true;
}

bool Decoder::decode_types(Reader& r) {
  // Without GC every entry is one function type; with it an entry is a rec group or one type.
  uint32_t count;
  const bool gc = f_.has(Feature::Gc);
  if (!read_limited_count(r, count, gc ? Limit::RecGroups : Limit::Types, gc ? 2 : 3)) {
    return false;
  }
  m_.types.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    uint8_t form;
    if (!r.read_u8(form)) return false;
    if (!(gc && form == 0x4e)) {
      if (!read_sub_type(r, form, 0, 1)) return false;
      if (!check_limit(r, m_.types.size(), Limit::Types, r.offset())) return false;
      continue;
    }
    const size_t at = r.offset();
    uint32_t size;
    if (!r.read_count(size, 2) || !check_limit(r, m_.types.size() + size, Limit::Types, at)) {
      return false;
    }
    for (uint32_t k = 0; k < size; ++k) {
      if (!r.read_u8(form) || !read_sub_type(r, form, k, size)) return false;
    }
  }
  return true;
}

bool Decoder::read_extern_kind(Reader& r, ExternKind& out, const char* what) {
  uint8_t kind;
  if (!r.read_u8(kind)) return false;
  const uint8_t max_kind = f_.has(Feature::Exceptions) ? 4 : 3;
  if (kind > max_kind) return r.fail_at(r.offset() - 1, std::string("malformed ") + what + " kind");
  out = static_cast<ExternKind>(kind);
  return true;
}

bool Decoder::decode_imports(Reader& r) {
  uint32_t count;
  if (!read_limited_count(r, count, Limit::Imports, 4)) return false;
  m_.imports.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    Import imp;
    const size_t at = r.offset();
    if (!read_limited_name(r, imp.module) || !read_limited_name(r, imp.field)) return false;
    if (!read_extern_kind(r, imp.kind, "import")) return false;
    bool ok = true;
    switch (imp.kind) {
      case ExternKind::Func:
        ok = r.read_u32(imp.func_type);
        break;
      case ExternKind::Table:
        ok = read_table_type(r, f_, imp.table);
        break;
      case ExternKind::Memory:
        ok = read_memory_type(r, f_, imp.memory);
        break;
      case ExternKind::Global:
        ok = read_global_type(r, f_, imp.global);
        break;
      case ExternKind::Tag: {
        uint8_t attribute;
        ok = r.read_u8(attribute) && r.read_u32(imp.func_type);
        if (ok && attribute != 0) ok = r.fail("malformed tag attribute");
        break;
      }
    }
    if (!ok) return false;
    m_.add_import(std::move(imp));
    // Imports alone can exceed the smaller per-kind limits (memories).
    if (!check_limit(r, m_.num_funcs(), Limit::Functions, at) ||
        !check_limit(r, m_.num_tables(), Limit::Tables, at) ||
        !check_limit(r, m_.num_memories(), Limit::Memories, at) ||
        !check_limit(r, m_.num_globals(), Limit::Globals, at) ||
        !check_limit(r, m_.imported_tags.size(), Limit::Tags, at)) {
      return false;
    }
  }
  return true;
}

// Tag section (exceptions): vec(attribute 0, type index); imported tags count towards `tags`.
bool Decoder::decode_tags(Reader& r) {
  uint32_t count;
  if (!read_limited_count(r, count, Limit::Tags, 2, m_.num_imported_tags())) return false;
  m_.tags.resize(count);
  for (uint32_t& type_index : m_.tags) {
    uint8_t attribute;
    if (!r.read_u8(attribute)) return false;
    if (attribute != 0) return r.fail_at(r.offset() - 1, "malformed tag attribute");
    if (!r.read_u32(type_index)) return false;
  }
  return true;
}

bool Decoder::decode_functions(Reader& r) {
  saw_function_section_ = true;
  uint32_t count;
  if (!read_limited_count(r, count, Limit::Functions, 1, m_.num_imported_funcs())) return false;
  m_.functions.resize(count);
  for (uint32_t& type_index : m_.functions) {
    if (!r.read_u32(type_index)) return false;
  }
  return true;
}

bool Decoder::decode_tables(Reader& r) {
  uint32_t count;
  if (!read_limited_count(r, count, Limit::Tables, 2, m_.num_imported_tables())) return false;
  m_.tables.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    Table table;
    uint8_t first;
    if (r.peek_u8(first) && first == 0x40 && f_.has(Feature::FunctionReferences)) {
      // 3.0: 0x40 0x00 tabletype expr — a table with an explicit initializer.
      uint8_t zero;
      r.read_u8(first);
      if (!r.read_u8(zero)) return false;
      if (zero != 0) return r.fail_at(r.offset() - 1, "malformed table");
      table.has_init = true;
      if (!read_table_type(r, f_, table.type) || !read_const_expr(r, table.init)) return false;
    } else if (!read_table_type(r, f_, table.type)) {
      return false;
    }
    m_.tables.push_back(table);
  }
  return true;
}

bool Decoder::decode_memories(Reader& r) {
  uint32_t count;
  if (!read_limited_count(r, count, Limit::Memories, 2, m_.num_imported_memories())) return false;
  m_.memories.resize(count);
  for (MemoryType& memory : m_.memories) {
    if (!read_memory_type(r, f_, memory)) return false;
  }
  return true;
}

bool Decoder::read_const_expr(Reader& r, ConstExpr& out) {
  // Find the expression's end by decoding instructions; nested blocks (invalid in a constant
  // expression, but well-formed) keep their own `end`.
  InstrReader in(r.data().subspan(r.pos()), r.offset(), f_);
  const size_t begin = r.offset();
  size_t depth = 0;
  Instr instr;
  for (;;) {
    if (in.at_end()) return r.fail_at(in.offset(), "unexpected end of section or function");
    if (!in.next(instr))
      return r.fail_at(in.error().offset.value_or(r.offset()), in.error().message);
    if (instr.op == Opcode::Block || instr.op == Opcode::Loop || instr.op == Opcode::If)
      ++depth;
    else if (instr.op == Opcode::End && depth-- == 0)
      break;
  }
  const size_t end = in.offset();
  r.skip(end - begin);
  out.range = ByteRange{begin, end};
  return true;
}

bool Decoder::decode_globals(Reader& r) {
  uint32_t count;
  if (!read_limited_count(r, count, Limit::Globals, 3, m_.num_imported_globals())) return false;
  m_.globals.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    Global global;
    if (!read_global_type(r, f_, global.type) || !read_const_expr(r, global.init)) return false;
    m_.globals.push_back(global);
  }
  return true;
}

bool Decoder::decode_exports(Reader& r) {
  uint32_t count;
  if (!read_limited_count(r, count, Limit::Exports, 3)) return false;
  m_.exports.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    Export exp;
    if (!read_limited_name(r, exp.name) || !read_extern_kind(r, exp.kind, "export") ||
        !r.read_u32(exp.index)) {
      return false;
    }
    m_.exports.push_back(std::move(exp));
  }
  return true;
}

bool Decoder::decode_start(Reader& r) {
  uint32_t func;
  if (!r.read_u32(func)) return false;
  m_.start = func;
  return true;
}

bool Decoder::decode_elements(Reader& r) {
  uint32_t count;
  if (!read_limited_count(r, count, Limit::ElemSegments, 2)) return false;
  m_.elems.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    ElemSegment seg;
    const size_t at = r.offset();
    if (!r.read_u32(seg.flags)) return false;
    if (seg.flags > 7) return r.fail_at(at, "malformed elements segment kind");
    const bool passive_or_declarative = seg.flags & 1;
    const bool explicit_table = seg.flags & 2;
    const bool uses_exprs = seg.flags & 4;
    if (!passive_or_declarative) {
      seg.mode = SegmentMode::Active;
      if (explicit_table && !r.read_u32(seg.table)) return false;
      if (!read_const_expr(r, seg.offset)) return false;
    } else {
      seg.mode = explicit_table ? SegmentMode::Declarative : SegmentMode::Passive;
    }
    // Flags 0 and 4 imply funcref; the others spell out an elemkind (0x00) or a reference type.
    // Function indices are never null: with typed references their type is (ref func).
    if (!uses_exprs && (f_.has(Feature::FunctionReferences) || f_.has(Feature::Gc))) {
      seg.type = ValType::ref(HeapType::abstract(AbsHeap::Func), false);
    }
    if (seg.flags != 0 && seg.flags != 4) {
      if (uses_exprs) {
        if (!read_ref_type(r, f_, seg.type)) return false;
      } else {
        uint8_t elem_kind;
        if (!r.read_u8(elem_kind)) return false;
        if (elem_kind != 0) return r.fail_at(r.offset() - 1, "malformed element kind");
      }
    }
    uint32_t items;
    if (!read_limited_count(r, items, Limit::ElemSegmentItems, 1)) return false;
    if (uses_exprs) {
      seg.exprs.resize(items);
      for (ConstExpr& expr : seg.exprs) {
        if (!read_const_expr(r, expr)) return false;
      }
    } else {
      seg.func_indices.resize(items);
      for (uint32_t& func : seg.func_indices) {
        if (!r.read_u32(func)) return false;
      }
    }
    m_.elems.push_back(std::move(seg));
  }
  return true;
}

bool Decoder::decode_data_count(Reader& r) {
  uint32_t count;
  const size_t at = r.offset();
  if (!r.read_u32(count) || !check_limit(r, count, Limit::DataSegments, at)) return false;
  m_.data_count = count;
  return true;
}

bool Decoder::decode_code(Reader& r) {
  saw_code_section_ = true;
  code_section_offset_ = r.offset();
  uint32_t count;
  if (!r.read_count(count, 2)) return false;
  if (count != m_.functions.size()) {
    return r.fail_at(code_section_offset_, "function and code section have inconsistent lengths");
  }
  m_.bodies.resize(count);
  for (uint32_t index = 0; index < count; ++index) {
    FunctionBody& body = m_.bodies[index];
    uint32_t size;
    const size_t size_at = r.offset();
    if (!r.read_u32(size)) return false;
    if (size > r.remaining()) return r.fail("unexpected end of section or function");
    if (!check_limit(r, size, Limit::FunctionBodyBytes, size_at)) return false;
    Reader b(r.data().subspan(r.pos(), size), r.offset());
    b.set_eof_message("unexpected end of section or function");
    r.skip(size);
    body.offset = b.offset();
    // Errors inside the body reader are reported through the section reader.
    auto forward_error = [&] {
      return r.fail_at(b.error().offset.value_or(b.offset()), b.error().message);
    };
    uint32_t groups;
    if (!b.read_count(groups, 2)) return forward_error();
    body.locals.resize(groups);
    // The limit counts parameters too (when the type is known; validation rejects the rest).
    const uint32_t type_index = m_.functions[index];
    const uint64_t params =
        type_index < m_.types.size() ? m_.types[type_index].params.size() : uint64_t{0};
    uint64_t total = 0;
    for (LocalDecl& decl : body.locals) {
      const size_t count_at = b.offset();
      if (!b.read_u32(decl.count)) return forward_error();
      total += decl.count;
      if (!check_limit(r, params + total, Limit::FunctionLocals, count_at, "too many locals")) {
        return false;
      }
      if (!read_val_type(b, f_, decl.type)) return forward_error();
    }
    body.local_count = total;
    body.code = ByteRange{b.offset(), b.offset() + b.remaining()};
    if (body.code.empty()) return r.fail_at(b.offset(), "unexpected end of section or function");
  }
  return true;
}

bool Decoder::decode_datas(Reader& r) {
  uint32_t count;
  if (!read_limited_count(r, count, Limit::DataSegments, 2)) return false;
  if (m_.data_count && count != *m_.data_count) {
    return r.fail_at(r.offset(), "data count and data section have inconsistent lengths");
  }
  m_.datas.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    DataSegment seg;
    const size_t at = r.offset();
    if (!r.read_u32(seg.flags)) return false;
    if (seg.flags > 2) return r.fail_at(at, "malformed data segment kind");
    seg.mode = seg.flags == 1 ? SegmentMode::Passive : SegmentMode::Active;
    if (seg.flags == 2 && !r.read_u32(seg.memory)) return false;
    if (seg.mode == SegmentMode::Active && !read_const_expr(r, seg.offset)) return false;
    uint32_t size;
    if (!r.read_u32(size)) return false;
    if (size > r.remaining()) return r.fail("unexpected end of section or function");
    seg.init = ByteRange{r.offset(), r.offset() + size};
    r.skip(size);
    m_.datas.push_back(seg);
  }
  return true;
}

bool Decoder::decode_custom(Reader& r, uint8_t after_section) {
  CustomSection custom;
  custom.after_section = after_section;
  if (!read_limited_name(r, custom.name)) return false;
  custom.data = ByteRange{r.offset(), r.offset() + r.remaining()};
  r.skip(r.remaining());
  if (custom.name == "name") {
    decode_name_section(m_.slice(custom.data), custom.data.begin, m_.names);
  }
  m_.customs.push_back(std::move(custom));
  return true;
}

}  // namespace

namespace {

Error module_too_large() {
  Error error{limit_error(Limit::ModuleBytes), 0};
  error.kind = ErrorKind::Malformed;
  return error;
}

}  // namespace

Result<Module> decode_module(std::span<const uint8_t> bytes, const Features& features) {
  if (bytes.size() > limit_value(Limit::ModuleBytes)) return module_too_large();
  return decode_module(std::vector<uint8_t>(bytes.begin(), bytes.end()), features);
}

Result<Module> decode_module(std::vector<uint8_t> bytes, const Features& features) {
  if (bytes.size() > limit_value(Limit::ModuleBytes)) return module_too_large();
  Module module;
  module.bytes = std::move(bytes);
  Decoder decoder(module, features);
  Status status = decoder.run();
  if (!status) {
    status.error().kind = ErrorKind::Malformed;
    return std::move(status.error());
  }
  return module;
}

}  // namespace loom
