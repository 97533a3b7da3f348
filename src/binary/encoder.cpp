#include "binary/encoder.hpp"

#include <algorithm>
#include <array>

#include "binary/section_id.hpp"
#include "binary/writer.hpp"

namespace loom {
namespace {

// Known sections in the order the binary format requires (data count sits before code).
constexpr std::array<uint8_t, 13> kSectionOrder = {
    kTypeSection,    kImportSection,    kFunctionSection, kTableSection,
    kMemorySection,  kTagSection,       kGlobalSection,    kExportSection,   kStartSection,
    kElementSection, kDataCountSection, kCodeSection,     kDataSection};

class Encoder {
 public:
  Encoder(const Module& m, const EncodeOptions& o) : m_(m), opt_(o), w_(out_) {}

  std::vector<uint8_t> run() {
    w_.bytes(std::string_view("\0asm\1\0\0\0", 8));
    write_customs_after(kCustomSection);
    for (uint8_t id : kSectionOrder) {
      write_section(id);
      write_customs_after(id);
    }
    if (opt_.write_names && opt_.write_customs && !has_custom("name") && has_names()) {
      write_custom("name", encode_name_section(m_.names));
    }
    return std::move(out_);
  }

 private:
  bool has_custom(std::string_view name) const {
    return std::any_of(m_.customs.begin(), m_.customs.end(),
                       [&](const CustomSection& c) { return c.name == name; });
  }
  bool has_names() const {
    return m_.names.has_module || !m_.names.functions.empty() || !m_.names.locals.empty();
  }

  void write_customs_after(uint8_t id) {
    if (!opt_.write_customs) return;
    for (const CustomSection& c : m_.customs) {
      if (c.after_section != id) continue;
      auto data = m_.slice(c.data);
      write_custom(c.name, std::vector<uint8_t>(data.begin(), data.end()));
    }
  }

  void write_custom(std::string_view name, const std::vector<uint8_t>& payload) {
    w_.u8(kCustomSection);
    const size_t start = w_.begin_sized();
    w_.name(name);
    w_.bytes(payload);
    w_.end_sized(start);
  }

  void expr(const ConstExpr& e) { w_.bytes(m_.slice(e.range)); }

  // Writes section `id` when the module has anything for it.
  void write_section(uint8_t id) {
    if (!has_section(id)) return;
    w_.u8(id);
    const size_t start = w_.begin_sized();
    switch (id) {
      case kTypeSection:
        types();
        break;
      case kImportSection:
        imports();
        break;
      case kFunctionSection:
        functions();
        break;
      case kTableSection:
        tables();
        break;
      case kMemorySection:
        memories();
        break;
      case kGlobalSection:
        globals();
        break;
      case kTagSection:
        count(m_.tags.size());
        for (uint32_t type_index : m_.tags) {
          w_.u8(0);  // attribute: exception
          w_.u32(type_index);
        }
        break;
      case kExportSection:
        exports();
        break;
      case kStartSection:
        w_.u32(*m_.start);
        break;
      case kElementSection:
        elems();
        break;
      case kDataCountSection:
        w_.u32(*m_.data_count);
        break;
      case kCodeSection:
        code();
        break;
      case kDataSection:
        datas();
        break;
      default:
        break;
    }
    w_.end_sized(start);
  }

  bool has_section(uint8_t id) const {
    switch (id) {
      case kTypeSection:
        return !m_.types.empty();
      case kImportSection:
        return !m_.imports.empty();
      case kFunctionSection:
        return !m_.functions.empty();
      case kTableSection:
        return !m_.tables.empty();
      case kMemorySection:
        return !m_.memories.empty();
      case kGlobalSection:
        return !m_.globals.empty();
      case kTagSection:
        return !m_.tags.empty();
      case kExportSection:
        return !m_.exports.empty();
      case kStartSection:
        return m_.start.has_value();
      case kElementSection:
        return !m_.elems.empty();
      case kDataCountSection:
        return m_.data_count.has_value();
      case kCodeSection:
        return !m_.bodies.empty();
      case kDataSection:
        return !m_.datas.empty();
      default:
        return false;
    }
  }

  void count(size_t n) { w_.u32(static_cast<uint32_t>(n)); }

  void types() {
    if (m_.type_defs.empty()) {
      count(m_.types.size());
      for (const FuncType& t : m_.types) func_type(t);
      return;
    }
    // GC forms: one entry per rec group (a group of one is written alone).
    size_t entries = 0;
    for (uint32_t i = 0; i < m_.types.size(); ++i) entries += m_.type_def(i).rec_pos == 0;
    count(entries);
    for (uint32_t i = 0; i < m_.types.size(); ++i) {
      const TypeDef& def = m_.type_def(i);
      if (def.rec_pos == 0 && def.rec_size != 1) {
        w_.u8(0x4e);
        count(def.rec_size);
      }
      if (!def.is_final || def.super != kNoSuper) {
        w_.u8(def.is_final ? 0x4f : 0x50);
        count(def.super == kNoSuper ? 0 : 1);
        if (def.super != kNoSuper) w_.u32(def.super);
      }
      if (def.kind == CompKind::Func) {
        func_type(m_.types[i]);
        continue;
      }
      w_.u8(def.kind == CompKind::Struct ? 0x5f : 0x5e);
      if (def.kind == CompKind::Struct) count(def.fields.size());
      for (const FieldType& f : def.fields) {
        if (f.packed == Packed::None) {
          w_.val_type(f.type);
        } else {
          w_.u8(f.packed == Packed::I8 ? 0x78 : 0x77);
        }
        w_.u8(f.is_mutable ? 1 : 0);
      }
    }
  }

  void func_type(const FuncType& t) {
    w_.u8(0x60);
    count(t.params.size());
    for (ValType v : t.params) w_.val_type(v);
    count(t.results.size());
    for (ValType v : t.results) w_.val_type(v);
  }

  void imports() {
    count(m_.imports.size());
    for (const Import& imp : m_.imports) {
      w_.name(imp.module);
      w_.name(imp.field);
      w_.u8(static_cast<uint8_t>(imp.kind));
      switch (imp.kind) {
        case ExternKind::Func:
          w_.u32(imp.func_type);
          break;
        case ExternKind::Table:
          w_.table_type(imp.table);
          break;
        case ExternKind::Memory:
          w_.memory_type(imp.memory);
          break;
        case ExternKind::Global:
          w_.global_type(imp.global);
          break;
        case ExternKind::Tag:
          w_.u8(0);  // attribute: exception
          w_.u32(imp.func_type);
          break;
      }
    }
  }

  void functions() {
    count(m_.functions.size());
    for (uint32_t t : m_.functions) w_.u32(t);
  }

  void tables() {
    count(m_.tables.size());
    for (const Table& t : m_.tables) {
      if (t.has_init) {
        w_.u8(0x40);
        w_.u8(0x00);
        w_.table_type(t.type);
        expr(t.init);
      } else {
        w_.table_type(t.type);
      }
    }
  }

  void memories() {
    count(m_.memories.size());
    for (const MemoryType& mt : m_.memories) w_.memory_type(mt);
  }

  void globals() {
    count(m_.globals.size());
    for (const Global& g : m_.globals) {
      w_.global_type(g.type);
      expr(g.init);
    }
  }

  void exports() {
    count(m_.exports.size());
    for (const Export& e : m_.exports) {
      w_.name(e.name);
      w_.u8(static_cast<uint8_t>(e.kind));
      w_.u32(e.index);
    }
  }

  void elems() {
    count(m_.elems.size());
    for (const ElemSegment& seg : m_.elems) {
      const uint32_t flags = seg.flags;
      w_.u32(flags);
      const bool passive_or_declared = flags & 1;
      const bool explicit_table = flags & 2;
      const bool uses_exprs = flags & 4;
      if (!passive_or_declared) {
        if (explicit_table) w_.u32(seg.table);
        expr(seg.offset);
      }
      // Flags 0 and 4 imply funcref; the others spell the element kind or type.
      if (passive_or_declared || explicit_table) {
        if (uses_exprs)
          w_.val_type(seg.type);
        else
          w_.u8(0x00);  // elemkind funcref
      }
      if (uses_exprs) {
        count(seg.exprs.size());
        for (const ConstExpr& e : seg.exprs) expr(e);
      } else {
        count(seg.func_indices.size());
        for (uint32_t f : seg.func_indices) w_.u32(f);
      }
    }
  }

  void code() {
    count(m_.bodies.size());
    for (const FunctionBody& body : m_.bodies) {
      const size_t start = w_.begin_sized();
      count(body.locals.size());
      for (const LocalDecl& l : body.locals) {
        w_.u32(l.count);
        w_.val_type(l.type);
      }
      w_.bytes(m_.slice(body.code));
      w_.end_sized(start);
    }
  }

  void datas() {
    count(m_.datas.size());
    for (const DataSegment& d : m_.datas) {
      w_.u32(d.flags);
      if (d.flags == 2) w_.u32(d.memory);
      if (d.flags != 1) expr(d.offset);
      auto init = m_.slice(d.init);
      count(init.size());
      w_.bytes(init);
    }
  }

  const Module& m_;
  const EncodeOptions& opt_;
  std::vector<uint8_t> out_;
  ByteWriter w_;
};

void name_map(ByteWriter& w, const NameMap& map) {
  w.u32(static_cast<uint32_t>(map.size()));
  for (const auto& [index, name] : map) {
    w.u32(index);
    w.name(name);
  }
}

}  // namespace

std::vector<uint8_t> encode_name_section(const Names& names) {
  std::vector<uint8_t> out;
  ByteWriter w(out);
  auto subsection = [&](uint8_t id, auto&& body) {
    w.u8(id);
    const size_t start = w.begin_sized();
    body();
    w.end_sized(start);
  };
  if (names.has_module) subsection(0, [&] { w.name(names.module); });
  if (!names.functions.empty()) subsection(1, [&] { name_map(w, names.functions); });
  if (!names.locals.empty()) {
    subsection(2, [&] {
      w.u32(static_cast<uint32_t>(names.locals.size()));
      for (const auto& [func, map] : names.locals) {
        w.u32(func);
        name_map(w, map);
      }
    });
  }
  return out;
}

std::vector<uint8_t> encode_module(const Module& module, const EncodeOptions& options) {
  return Encoder(module, options).run();
}

}  // namespace loom
