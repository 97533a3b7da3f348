#include "text/printer.hpp"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "binary/instr_reader.hpp"
#include "ir/limits.hpp"
#include "text/expr_folder.hpp"
#include "text/instr_text.hpp"
#include "text/text_sink.hpp"

namespace loom {
namespace {

using text::f32_literal;
using text::f64_literal;
using text::id_for_name;
using text::TextSink;

// Names usable as $ids: non-empty and unique within their index space.
std::unordered_map<uint32_t, std::string> unique_ids(const NameMap& names) {
  std::unordered_map<std::string, int> uses;
  for (const auto& [index, name] : names) ++uses[name];
  std::unordered_map<uint32_t, std::string> out;
  for (const auto& [index, name] : names) {
    if (!name.empty() && uses[name] == 1) out.emplace(index, id_for_name(name));
  }
  return out;
}

class Printer {
 public:
  Printer(const Module& m, const PrintOptions& o, TextSink& out) : m_(m), opt_(o), out_(out) {
    func_ids_ = unique_ids(m.names.functions);
    for (const auto& [f, names] : m.names.locals) local_names_.emplace(f, &names);
  }

  Status run() {
    if (Status checked = check(); !checked) return checked;
    print();
    if (!out_.flush()) {
      Error e{"cannot write output"};
      e.kind = ErrorKind::Io;
      return e;
    }
    return ok_status();
  }

 private:
  // --- the checks made before anything is written ---
  bool decodes(const ByteRange& range) {
    InstrReader in(m_.slice(range), range.begin, opt_.features);
    Instr instr;
    while (!in.at_end()) {
      if (!in.next(instr)) return fail(in.error());
    }
    return true;
  }

  Status check() {
    // The text forms of GC types (rec, sub, struct, array) are not written yet (docs/gc.md).
    for (const TypeDef& def : m_.type_defs) {
      if (!(def == TypeDef{})) return Error{"GC type definitions cannot be printed yet"};
    }
    for (size_t i = 0; i < m_.bodies.size(); ++i) {
      const FunctionBody& body = m_.bodies[i];
      const uint32_t type = i < m_.functions.size() ? m_.functions[i] : ~0u;
      uint64_t locals = type < m_.types.size() ? m_.types[type].params.size() : 0;
      for (const LocalDecl& decl : body.locals) locals += decl.count;
      if (locals > limit_value(Limit::FunctionLocals)) {
        Error e{limit_error(Limit::FunctionLocals)};
        e.offset = body.offset;
        e.func = m_.num_imported_funcs() + static_cast<uint32_t>(i);
        return e;
      }
      if (!decodes(body.code)) return error_;
    }
    for (const Table& t : m_.tables) {
      if (t.has_init && !decodes(t.init.range)) return error_;
    }
    for (const Global& g : m_.globals) {
      if (!decodes(g.init.range)) return error_;
    }
    for (const ElemSegment& seg : m_.elems) {
      if (seg.mode == SegmentMode::Active && !decodes(seg.offset.range)) return error_;
      if (seg.flags & 4) {
        for (const ConstExpr& e : seg.exprs) {
          if (!decodes(e.range)) return error_;
        }
      }
    }
    for (const DataSegment& seg : m_.datas) {
      if (seg.mode == SegmentMode::Active && !decodes(seg.offset.range)) return error_;
    }
    return ok_status();
  }

  bool fail(const Error& e) {
    error_ = e;
    return false;
  }

  // --- printing (decoding cannot fail any more) ---
  void print() {
    out_ << "(module";
    if (m_.names.has_module) out_ << " " << id_for_name(m_.names.module);
    for (size_t i = 0; i < m_.types.size(); ++i) {
      line(1);
      out_ << "(type (;" << i << ";) (func" << text::signature_text(m_.types[i], {}) << "))";
    }
    print_imports();
    for (size_t i = 0; i < m_.functions.size() && !out_.failed(); ++i) print_func(i);
    for (size_t i = 0; i < m_.tables.size(); ++i) {
      const Table& t = m_.tables[i];
      line(1);
      out_ << "(table " << index_comment(m_.num_imported_tables() + i) << table_type(t.type);
      if (t.has_init) {
        out_ << " ";
        const_expr(t.init);
      }
      out_ << ")";
    }
    for (size_t i = 0; i < m_.memories.size(); ++i) {
      line(1);
      out_ << "(memory " << index_comment(m_.num_imported_memories() + i)
           << memory_type(m_.memories[i]) << ")";
    }
    for (size_t i = 0; i < m_.tags.size(); ++i) {
      line(1);
      out_ << "(tag " << index_comment(m_.num_imported_tags() + i) << "(type " << m_.tags[i]
           << "))";
    }
    for (size_t i = 0; i < m_.globals.size(); ++i) {
      const Global& g = m_.globals[i];
      line(1);
      out_ << "(global " << index_comment(m_.num_imported_globals() + i) << global_type(g.type)
           << " ";
      const_expr(g.init);
      out_ << ")";
    }
    for (const Export& e : m_.exports) {
      line(1);
      out_ << "(export ";
      out_.quoted(e.name);
      out_ << " (" << to_string(e.kind) << " "
           << (e.kind == ExternKind::Func ? func_ref(e.index) : std::to_string(e.index)) << "))";
    }
    if (m_.start) {
      line(1);
      out_ << "(start " << func_ref(*m_.start) << ")";
    }
    for (size_t i = 0; i < m_.elems.size() && !out_.failed(); ++i) print_elem(i);
    for (size_t i = 0; i < m_.datas.size() && !out_.failed(); ++i) print_data(i);
    for (const CustomSection& c : m_.customs) print_custom(c);
    out_ << ")\n";
  }

  // A custom section as `(@custom "name" (after SECTION) "data")`; the name section is the $ids.
  void print_custom(const CustomSection& c) {
    if (c.name == "name") return;
    static constexpr std::pair<uint8_t, const char*> kPlaces[] = {
        {1, "type"},    {2, "import"}, {3, "func"},   {4, "table"},     {5, "memory"},
        {6, "global"},  {7, "export"}, {8, "start"},  {9, "elem"},      {10, "code"},
        {11, "data"},   {12, "datacount"}};
    const char* place = nullptr;
    for (const auto& [id, name] : kPlaces) {
      if (id == c.after_section) place = name;
    }
    line(1);
    out_ << "(@custom ";
    out_.quoted(c.name);
    if (c.after_section == 0)
      out_ << " (before first) ";
    else
      out_ << " (after " << (place ? place : "last") << ") ";
    auto bytes = m_.slice(c.data);
    out_.quoted(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    out_ << ")";
  }

  void line(int depth) { out_.newline(depth); }
  static std::string index_comment(size_t i) { return "(;" + std::to_string(i) + ";) "; }
  std::string func_ref(uint32_t f) const { return instrs_.func_ref(f); }
  std::string instr_text(const Instr& instr, const InstrReader& in,
                         const text::IdMap& local_ids) const {
    return instrs_.text(instr, in, local_ids);
  }

  static std::string limits(const Limits& l) {
    std::string s = l.is64 ? "i64 " : "";
    s += std::to_string(l.min);
    if (l.max) s += " " + std::to_string(*l.max);
    if (l.shared) s += " shared";
    return s;
  }
  static std::string table_type(const TableType& t) {
    return limits(t.limits) + " " + to_string(t.elem);
  }
  static std::string memory_type(const MemoryType& t) {
    if (t.page_size_log2 == 16) return limits(t.limits);
    return limits(t.limits) + " (pagesize " + std::to_string(t.page_size()) + ")";
  }
  static std::string global_type(const GlobalType& t) {
    return t.is_mutable ? "(mut " + to_string(t.type) + ")" : to_string(t.type);
  }

  void print_imports() {
    uint32_t counts[5] = {};
    for (const Import& imp : m_.imports) {
      const uint32_t index = counts[static_cast<int>(imp.kind)]++;
      line(1);
      out_ << "(import ";
      out_.quoted(imp.module);
      out_ << " ";
      out_.quoted(imp.field);
      out_ << " (";
      switch (imp.kind) {
        case ExternKind::Func: {
          auto it = func_ids_.find(index);
          out_ << "func " << (it != func_ids_.end() ? it->second + " " : "") << index_comment(index)
               << "(type " << imp.func_type << ")";
          break;
        }
        case ExternKind::Table:
          out_ << "table " << index_comment(index) << table_type(imp.table);
          break;
        case ExternKind::Memory:
          out_ << "memory " << index_comment(index) << memory_type(imp.memory);
          break;
        case ExternKind::Global:
          out_ << "global " << index_comment(index) << global_type(imp.global);
          break;
        case ExternKind::Tag:
          out_ << "tag " << index_comment(index) << "(type " << imp.func_type << ")";
          break;
      }
      out_ << "))";
    }
  }

  // The instructions of a constant expression (without its `end`), space separated.
  void const_expr(const ConstExpr& e) {
    InstrReader in(m_.slice(e.range), e.range.begin, opt_.features);
    Instr instr;
    bool first = true;
    while (!in.at_end() && in.next(instr)) {
      if (instr.op == Opcode::End && in.at_end()) break;
      if (!first) out_ << " ";
      first = false;
      out_ << instr_text(instr, in, {});
    }
  }

  void print_func(size_t i) {
    const uint32_t index = m_.num_imported_funcs() + static_cast<uint32_t>(i);
    const uint32_t type = m_.functions[i];
    static const NameMap kNoNames;
    auto names = local_names_.find(index);
    const auto local_ids = unique_ids(names != local_names_.end() ? *names->second : kNoNames);
    line(1);
    out_ << "(func ";
    auto it = func_ids_.find(index);
    if (it != func_ids_.end()) out_ << it->second << " ";
    out_ << index_comment(index) << "(type " << type << ")";
    const bool has_type = type < m_.types.size();
    if (has_type) out_ << text::signature_text(m_.types[type], local_ids);
    if (i >= m_.bodies.size()) {
      out_ << ")";  // no code section: an invalid module, printed as far as it goes
      return;
    }
    const FunctionBody& body = m_.bodies[i];
    print_locals(body, has_type ? static_cast<uint32_t>(m_.types[type].params.size()) : 0,
                 local_ids);
    print_body(body, local_ids);
    out_ << ")";
  }

  // One `(local t t ...)` per declaration, a named local on its own `(local $x t)`. check() made
  // sure the count is within the function-locals limit.
  void print_locals(const FunctionBody& body, uint32_t local, const text::IdMap& local_ids) {
    for (const LocalDecl& decl : body.locals) {
      const std::string type = to_string(decl.type);
      bool open = false;
      for (uint32_t k = 0; k < decl.count; ++k, ++local) {
        auto named = local_ids.find(local);
        if (named != local_ids.end()) {
          if (open) out_ << ")", open = false;
          line(2);
          out_ << "(local " << named->second << " " << type << ")";
          continue;
        }
        if (!open) line(2), out_ << "(local", open = true;
        out_ << " " << type;
      }
      if (open) out_ << ")";
    }
  }

  void print_body(const FunctionBody& body, const text::IdMap& local_ids) {
    InstrReader in(m_.slice(body.code), body.code.begin, opt_.features);
    Instr instr;
    int depth = 2;
    if (!opt_.folded) {
      while (!in.at_end() && in.next(instr)) {
        const Opcode op = instr.op;
        if (op == Opcode::End && in.at_end()) break;  // the function's own end
        const bool closes = op == Opcode::End || op == Opcode::Else || op == Opcode::Catch ||
                            op == Opcode::CatchAll || op == Opcode::Delegate;
        if (closes) --depth;
        line(depth);
        out_ << instr_text(instr, in, local_ids);
        if (op == Opcode::Block || op == Opcode::Loop || op == Opcode::If || op == Opcode::Else ||
            op == Opcode::TryTable || op == Opcode::Try || op == Opcode::Catch ||
            op == Opcode::CatchAll) {
          ++depth;
        }
      }
      return;
    }
    // Folded: expressions fold into their operands; blocks are (block ...), (loop ...) and
    // (if cond (then ...) (else ...)). For each open block: is it an `if` (with an open arm)?
    text::ExprFolder folder;
    std::vector<bool> open_ifs;
    while (!in.at_end() && in.next(instr)) {
      const Opcode op = instr.op;
      const bool function_end = op == Opcode::End && in.at_end();
      if (op == Opcode::Block || op == Opcode::Loop || op == Opcode::If ||
          op == Opcode::TryTable || op == Opcode::Try) {
        std::optional<text::ExprFolder::Node> condition;
        if (op == Opcode::If) condition = folder.take_single_value();
        folder.flush(out_, depth);
        line(depth++);
        out_ << "(" << instr_text(instr, in, local_ids);
        if (condition) text::ExprFolder::write(*condition, out_, depth);
        // An `if` and a legacy `try` have arms: (then ...) (else ...), (do ...) (catch ...).
        open_ifs.push_back(op == Opcode::If || op == Opcode::Try);
        if (op == Opcode::If) line(depth++), out_ << "(then";
        if (op == Opcode::Try) line(depth++), out_ << "(do";
      } else if (op == Opcode::Else || op == Opcode::Catch || op == Opcode::CatchAll) {
        folder.flush(out_, depth);
        out_ << ")";
        line(depth - 1);
        out_ << "(" << (op == Opcode::Else ? std::string("else") : instr_text(instr, in, local_ids));
      } else if (op == Opcode::Delegate) {
        folder.flush(out_, depth);
        out_ << ")";
        line(depth - 1);
        out_ << "(" << instr_text(instr, in, local_ids) << "))";
        depth -= 2;
        if (!open_ifs.empty()) open_ifs.pop_back();
      } else if (op == Opcode::End) {
        folder.flush(out_, depth);
        if (function_end) break;
        if (!open_ifs.empty() && open_ifs.back()) {
          out_ << ")";
          --depth;
        }
        if (!open_ifs.empty()) open_ifs.pop_back();
        out_ << ")";
        --depth;
      } else {
        int params = 0, results = 0;
        instrs_.arity(instr, params, results);
        folder.add(instr_text(instr, in, local_ids), params, results, out_, depth);
      }
    }
    folder.flush(out_, depth);
  }

  void print_elem(size_t i) {
    const ElemSegment& seg = m_.elems[i];
    line(1);
    out_ << "(elem " << index_comment(i);
    if (seg.mode == SegmentMode::Declarative) out_ << "declare ";
    if (seg.mode == SegmentMode::Active) {
      if (seg.flags & 2) out_ << "(table " << seg.table << ") ";
      out_ << "(offset ";
      const_expr(seg.offset);
      out_ << ") ";
    }
    if (seg.flags & 4) {
      out_ << to_string(seg.type);
      for (const ConstExpr& e : seg.exprs) {
        out_ << " (item ";
        const_expr(e);
        out_ << ")";
      }
    } else {
      out_ << "func";
      for (uint32_t f : seg.func_indices) out_ << " " << func_ref(f);
    }
    out_ << ")";
  }

  void print_data(size_t i) {
    const DataSegment& seg = m_.datas[i];
    line(1);
    out_ << "(data " << index_comment(i);
    if (seg.mode == SegmentMode::Active) {
      if (seg.memory != 0) out_ << "(memory " << seg.memory << ") ";
      out_ << "(offset ";
      const_expr(seg.offset);
      out_ << ") ";
    }
    auto bytes = m_.slice(seg.init);
    out_.quoted(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    out_ << ")";
  }

  const Module& m_;
  const PrintOptions& opt_;
  TextSink& out_;
  text::IdMap func_ids_;
  std::unordered_map<uint32_t, const NameMap*> local_names_;  // function index -> local names
  text::InstrText instrs_{m_, func_ids_};
  Error error_;
};

}  // namespace

Status print_module(const Module& module, std::ostream& out, const PrintOptions& options) {
  TextSink sink(out);
  return Printer(module, options, sink).run();
}

Status print_module(const Module& module, std::FILE* out, const PrintOptions& options) {
  TextSink sink(out);
  return Printer(module, options, sink).run();
}

Result<std::string> print_module(const Module& module, const PrintOptions& options) {
  std::string text;
  {
    TextSink sink(text);
    if (Status printed = Printer(module, options, sink).run(); !printed) return printed.error();
  }
  return text;
}

}  // namespace loom
