#include "text/printer.hpp"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "binary/instr_reader.hpp"
#include "text/expr_folder.hpp"
#include "text/instr_text.hpp"

namespace loom {
namespace {

using text::f32_literal;
using text::f64_literal;
using text::id_for_name;
using text::quote_string;

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
  Printer(const Module& m, const PrintOptions& o) : m_(m), opt_(o) {
    func_ids_ = unique_ids(m.names.functions);
  }

  Result<std::string> run() {
    out_ = "(module";
    if (m_.names.has_module) out_ += " " + id_for_name(m_.names.module);
    for (size_t i = 0; i < m_.types.size(); ++i) {
      line(1, "(type (;" + std::to_string(i) + ";) (func" + text::signature_text(m_.types[i], {}) +
                  "))");
    }
    print_imports();
    for (size_t i = 0; i < m_.functions.size(); ++i) {
      if (!print_func(i)) return std::move(error_);
    }
    for (size_t i = 0; i < m_.tables.size(); ++i) {
      const Table& t = m_.tables[i];
      std::string s = "(table " + index_comment(m_.num_imported_tables() + i) + table_type(t.type);
      if (t.has_init && !const_expr(t.init, s)) return std::move(error_);
      line(1, s + ")");
    }
    for (size_t i = 0; i < m_.memories.size(); ++i) {
      line(1, "(memory " + index_comment(m_.num_imported_memories() + i) +
                  memory_type(m_.memories[i]) + ")");
    }
    for (size_t i = 0; i < m_.globals.size(); ++i) {
      const Global& g = m_.globals[i];
      std::string s =
          "(global " + index_comment(m_.num_imported_globals() + i) + global_type(g.type) + " ";
      if (!const_expr(g.init, s)) return std::move(error_);
      line(1, s + ")");
    }
    for (const Export& e : m_.exports) {
      line(1, "(export " + quote_string(e.name) + " (" + to_string(e.kind) + " " +
                  (e.kind == ExternKind::Func ? func_ref(e.index) : std::to_string(e.index)) +
                  "))");
    }
    if (m_.start) line(1, "(start " + func_ref(*m_.start) + ")");
    for (size_t i = 0; i < m_.elems.size(); ++i) {
      if (!print_elem(i)) return std::move(error_);
    }
    for (size_t i = 0; i < m_.datas.size(); ++i) {
      if (!print_data(i)) return std::move(error_);
    }
    out_ += ")\n";
    return std::move(out_);
  }

 private:
  void line(int depth, const std::string& text) {
    out_ += "\n";
    out_.append(static_cast<size_t>(depth) * 2, ' ');
    out_ += text;
  }
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
  static std::string memory_type(const MemoryType& t) { return limits(t.limits); }
  static std::string global_type(const GlobalType& t) {
    return t.is_mutable ? "(mut " + to_string(t.type) + ")" : to_string(t.type);
  }

  void print_imports() {
    uint32_t counts[5] = {};
    for (const Import& imp : m_.imports) {
      const uint32_t index = counts[static_cast<int>(imp.kind)]++;
      std::string s = "(import " + quote_string(imp.module) + " " + quote_string(imp.field) + " (";
      switch (imp.kind) {
        case ExternKind::Func: {
          auto it = func_ids_.find(index);
          s += "func " + (it != func_ids_.end() ? it->second + " " : "") + index_comment(index) +
               "(type " + std::to_string(imp.func_type) + ")";
          break;
        }
        case ExternKind::Table:
          s += "table " + index_comment(index) + table_type(imp.table);
          break;
        case ExternKind::Memory:
          s += "memory " + index_comment(index) + memory_type(imp.memory);
          break;
        case ExternKind::Global:
          s += "global " + index_comment(index) + global_type(imp.global);
          break;
        case ExternKind::Tag:
          s += "tag " + index_comment(index) + "(type " + std::to_string(imp.func_type) + ")";
          break;
      }
      line(1, s + "))");
    }
  }

  bool fail(const Error& e) {
    error_ = e;
    return false;
  }

  // Appends the instructions of a constant expression (without its `end`), space separated.
  bool const_expr(const ConstExpr& e, std::string& s) {
    InstrReader in(m_.slice(e.range), e.range.begin, opt_.features);
    Instr instr;
    bool first = true;
    while (!in.at_end()) {
      if (!in.next(instr)) return fail(in.error());
      if (instr.op == Opcode::End && in.at_end()) break;
      if (!first) s += " ";
      first = false;
      s += instr_text(instr, in, {});
    }
    return true;
  }

  bool print_func(size_t i) {
    const uint32_t index = m_.num_imported_funcs() + static_cast<uint32_t>(i);
    const uint32_t type = m_.functions[i];
    static const NameMap kNoNames;
    const NameMap* local_names = &kNoNames;
    for (const auto& [f, names] : m_.names.locals) {
      if (f == index) local_names = &names;
    }
    const auto local_ids = unique_ids(*local_names);
    std::string head = "(func ";
    auto it = func_ids_.find(index);
    if (it != func_ids_.end()) head += it->second + " ";
    head += index_comment(index) + "(type " + std::to_string(type) + ")";
    const bool has_type = type < m_.types.size();
    if (has_type) head += text::signature_text(m_.types[type], local_ids);
    line(1, head);
    if (i >= m_.bodies.size()) return true;
    const FunctionBody& body = m_.bodies[i];
    uint32_t local = has_type ? static_cast<uint32_t>(m_.types[type].params.size()) : 0;
    for (const LocalDecl& decl : body.locals) {
      std::string run;
      for (uint32_t k = 0; k < decl.count; ++k, ++local) {
        auto named = local_ids.find(local);
        if (named != local_ids.end()) {
          if (!run.empty()) line(2, "(local" + run + ")"), run.clear();
          line(2, "(local " + named->second + " " + to_string(decl.type) + ")");
        } else {
          run += " " + to_string(decl.type);
        }
      }
      if (!run.empty()) line(2, "(local" + run + ")");
    }
    if (!print_body(body, local_ids)) return false;
    out_ += ")";
    return true;
  }

  bool print_body(const FunctionBody& body,
                  const std::unordered_map<uint32_t, std::string>& local_ids) {
    InstrReader in(m_.slice(body.code), body.code.begin, opt_.features);
    Instr instr;
    int depth = 2;
    if (!opt_.folded) {
      while (!in.at_end()) {
        if (!in.next(instr)) return fail(in.error());
        const Opcode op = instr.op;
        if (op == Opcode::End && in.at_end()) break;  // the function's own end
        if (op == Opcode::End || op == Opcode::Else) --depth;
        line(depth, instr_text(instr, in, local_ids));
        if (op == Opcode::Block || op == Opcode::Loop || op == Opcode::If || op == Opcode::Else) {
          ++depth;
        }
      }
      return true;
    }
    // Folded: expressions fold into their operands; blocks are (block ...), (loop ...) and
    // (if cond (then ...) (else ...)). For each open block: is it an `if` (with an open arm)?
    text::ExprFolder folder;
    std::vector<bool> open_ifs;
    while (!in.at_end()) {
      if (!in.next(instr)) return fail(in.error());
      const Opcode op = instr.op;
      const bool function_end = op == Opcode::End && in.at_end();
      if (op == Opcode::Block || op == Opcode::Loop || op == Opcode::If) {
        std::optional<text::ExprFolder::Node> condition;
        if (op == Opcode::If) condition = folder.take_single_value();
        folder.flush(out_, depth);
        line(depth++, "(" + instr_text(instr, in, local_ids));
        if (condition) text::ExprFolder::write(*condition, out_, depth);
        open_ifs.push_back(op == Opcode::If);
        if (op == Opcode::If) line(depth++, "(then");
      } else if (op == Opcode::Else) {
        folder.flush(out_, depth);
        out_ += ")";
        line(depth - 1, "(else");
      } else if (op == Opcode::End) {
        folder.flush(out_, depth);
        if (function_end) break;
        if (!open_ifs.empty() && open_ifs.back()) {
          out_ += ")";
          --depth;
        }
        if (!open_ifs.empty()) open_ifs.pop_back();
        out_ += ")";
        --depth;
      } else {
        int params = 0, results = 0;
        instrs_.arity(instr, params, results);
        folder.add(instr_text(instr, in, local_ids), params, results);
      }
    }
    return true;
  }

  bool print_elem(size_t i) {
    const ElemSegment& seg = m_.elems[i];
    std::string s = "(elem " + index_comment(i);
    if (seg.mode == SegmentMode::Declarative) s += "declare ";
    if (seg.mode == SegmentMode::Active) {
      if (seg.flags & 2) s += "(table " + std::to_string(seg.table) + ") ";
      s += "(offset ";
      if (!const_expr(seg.offset, s)) return false;
      s += ") ";
    }
    if (seg.flags & 4) {
      s += to_string(seg.type);
      for (const ConstExpr& e : seg.exprs) {
        s += " (item ";
        if (!const_expr(e, s)) return false;
        s += ")";
      }
    } else {
      s += "func";
      for (uint32_t f : seg.func_indices) s += " " + func_ref(f);
    }
    line(1, s + ")");
    return true;
  }

  bool print_data(size_t i) {
    const DataSegment& seg = m_.datas[i];
    std::string s = "(data " + index_comment(i);
    if (seg.mode == SegmentMode::Active) {
      if (seg.memory != 0) s += "(memory " + std::to_string(seg.memory) + ") ";
      s += "(offset ";
      if (!const_expr(seg.offset, s)) return false;
      s += ") ";
    }
    auto bytes = m_.slice(seg.init);
    s += quote_string(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    line(1, s + ")");
    return true;
  }

  const Module& m_;
  const PrintOptions& opt_;
  text::IdMap func_ids_;
  text::InstrText instrs_{m_, func_ids_};
  std::string out_;
  Error error_;
};

}  // namespace

Result<std::string> print_module(const Module& module, const PrintOptions& options) {
  return Printer(module, options).run();
}

}  // namespace loom
