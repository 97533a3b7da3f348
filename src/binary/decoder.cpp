#include "binary/decoder.hpp"

#include <algorithm>

#include "binary/instr_reader.hpp"
#include "binary/name_section.hpp"
#include "binary/reader.hpp"
#include "binary/section_id.hpp"
#include "binary/type_reader.hpp"

namespace loom {
namespace {

// Position of each known section in the required order (data count sits between element and
// code, tag between memory and global); 0 for unknown ids.
int section_rank(uint8_t id) {
  static constexpr int kRanks[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};
  return id < sizeof(kRanks) / sizeof(kRanks[0]) ? kRanks[id] : 0;
}

constexpr uint32_t kMaxLocals = UINT32_MAX;

class Decoder {
 public:
  Decoder(Module& module, const Features& features) : m_(module), f_(features) {}

  Status run();

 private:
  Status fail(const Reader& r) { return r.error(); }
  bool decode_section(uint8_t id, Reader& r);
  bool decode_types(Reader& r);
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
    default:
      return r.fail("malformed section id " + std::to_string(id));
  }
}

bool Decoder::decode_types(Reader& r) {
  uint32_t count;
  if (!r.read_count(count, 3)) return false;
  m_.types.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    uint8_t form;
    if (!r.read_u8(form)) return false;
    if (form != 0x60) return r.fail_at(r.offset() - 1, "malformed functype: expected 0x60");
    FuncType type;
    for (auto* list : {&type.params, &type.results}) {
      uint32_t n;
      if (!r.read_count(n)) return false;
      list->resize(n);
      for (ValType& t : *list) {
        if (!read_val_type(r, f_, t)) return false;
      }
    }
    if (type.results.size() > 1 && !f_.has(Feature::MultiValue)) {
      return r.fail("invalid result arity (multiple results need --enable-multi-value)");
    }
    m_.types.push_back(std::move(type));
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
  if (!r.read_count(count, 4)) return false;
  m_.imports.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    Import imp;
    if (!r.read_name(imp.module) || !r.read_name(imp.field)) return false;
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
  }
  return true;
}

bool Decoder::decode_functions(Reader& r) {
  saw_function_section_ = true;
  uint32_t count;
  if (!r.read_count(count)) return false;
  m_.functions.resize(count);
  for (uint32_t& type_index : m_.functions) {
    if (!r.read_u32(type_index)) return false;
  }
  return true;
}

bool Decoder::decode_tables(Reader& r) {
  uint32_t count;
  if (!r.read_count(count, 2)) return false;
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
  if (!r.read_count(count, 2)) return false;
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
  if (!r.read_count(count, 3)) return false;
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
  if (!r.read_count(count, 3)) return false;
  m_.exports.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    Export exp;
    if (!r.read_name(exp.name) || !read_extern_kind(r, exp.kind, "export") ||
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
  if (!r.read_count(count, 2)) return false;
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
    if (!r.read_count(items)) return false;
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
  if (!r.read_u32(count)) return false;
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
  for (FunctionBody& body : m_.bodies) {
    uint32_t size;
    if (!r.read_u32(size)) return false;
    if (size > r.remaining()) return r.fail("unexpected end of section or function");
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
    uint64_t total = 0;
    for (LocalDecl& decl : body.locals) {
      if (!b.read_u32(decl.count)) return forward_error();
      total += decl.count;
      if (total > kMaxLocals) return r.fail_at(b.offset(), "too many locals");
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
  if (!r.read_count(count, 2)) return false;
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
  if (!r.read_name(custom.name)) return false;
  custom.data = ByteRange{r.offset(), r.offset() + r.remaining()};
  r.skip(r.remaining());
  if (custom.name == "name") {
    decode_name_section(m_.slice(custom.data), custom.data.begin, m_.names);
  }
  m_.customs.push_back(std::move(custom));
  return true;
}

}  // namespace

Result<Module> decode_module(std::vector<uint8_t> bytes, const Features& features) {
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
