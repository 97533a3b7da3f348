// Internal: the WAT module parser shared by wat_*.cpp. Two passes over the fields of one module:
// scan() lexes the whole text, registers every field's index and $id (so references may point
// forward) and parses the explicit type definitions; parse_fields() then parses each field in
// order, encoding code to bytes. Each pass lexes one field at a time into a reused TokenList
// (token indices below are into that list), so memory stays proportional to the largest field.
// Everything returns bool; the first error is kept in error_ (as binary/reader.hpp does).
#pragma once
#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "binary/writer.hpp"
#include "ir/features.hpp"
#include "ir/module.hpp"
#include "ir/opcode.hpp"
#include "text/lexer.hpp"

namespace loom::text {

enum class Space : uint8_t { Func, Table, Memory, Global, Type, Elem, Data, Tag, Count_ };

// Heterogeneous lookup: ids are looked up by string_view without building a std::string. FNV-1a:
// ids and instruction names are short, so a simple byte loop beats a general string hash.
struct IdHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const {
    uint64_t h = 14695981039346656037ull;
    for (char c : s) h = (h ^ static_cast<uint8_t>(c)) * 1099511628211ull;
    return static_cast<size_t>(h);
  }
};

// The labels in scope in a body, innermost last ("" for unnamed ones). Each label remembers the
// label of the same name it shadows, so `br $name` is one hash lookup however deep the nesting
// (a linear search made 60,000 nested blocks with many branches quadratic).
class LabelStack {
 public:
  void reset() {
    labels_.assign(1, Entry{});  // the function's (or constant expression's) own label
    innermost_.clear();
  }
  size_t size() const { return labels_.size(); }
  std::string_view innermost_name() const { return labels_.back().name; }
  void push(std::string_view name) {
    Entry e{name, kNone};
    if (!name.empty()) {
      auto [it, inserted] = innermost_.try_emplace(name, 0);
      if (!inserted) e.shadowed = it->second;
      it->second = static_cast<uint32_t>(labels_.size());
    }
    labels_.push_back(e);
  }
  void pop() {
    const Entry e = labels_.back();
    labels_.pop_back();
    if (e.name.empty()) return;
    if (e.shadowed == kNone) {
      innermost_.erase(e.name);
    } else {
      innermost_[e.name] = e.shadowed;
    }
  }
  // The relative depth (0 = innermost) of the innermost label called `name`.
  std::optional<uint32_t> depth_of(std::string_view name) const {
    auto it = innermost_.find(name);
    if (it == innermost_.end()) return std::nullopt;
    return static_cast<uint32_t>(labels_.size() - 1 - it->second);
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Entry {
    std::string_view name;
    uint32_t shadowed = kNone;  // index of the label of the same name further out
  };
  std::vector<Entry> labels_;
  std::unordered_map<std::string_view, uint32_t, IdHash, std::equal_to<>> innermost_;
};

struct IndexSpace {
  std::unordered_map<std::string, uint32_t, IdHash, std::equal_to<>> ids;
  uint32_t count = 0;
};

// A parsed `(type x)? (param ...)* (result ...)*`.
struct TypeUse {
  std::optional<uint32_t> index;
  bool has_inline = false;
  FuncType sig;
  std::vector<std::string_view> param_names;  // one per param ("" when unnamed)
};

class WatParser {
 public:
  WatParser(std::string_view text, TextOrigin origin, const Features& features)
      : lexer_(text, origin), text_size_(text.size()), features_(features) {}

  bool parse_module();
  Module take_module() { return std::move(m_); }
  Error take_error() { return std::move(error_); }
  const Lexer& lexer() const { return lexer_; }

 private:
  // --- cursor (wat_parser.cpp) ---
  // Lookahead past the end reads the final Eof token.
  const Token& tok(size_t i) const { return t_[std::min(i, t_.size() - 1)]; }
  const Token& cur() const { return t_[pos_]; }
  bool at_rparen() const { return cur().kind == TokenKind::RParen; }
  bool is_keyword(std::string_view kw, size_t at) const {
    return tok(at).kind == TokenKind::Keyword && tok(at).text == kw;
  }
  bool is_keyword(std::string_view kw) const { return is_keyword(kw, pos_); }
  // True when tokens[at] is '(' followed by keyword `kw`.
  bool is_lparen_kw(std::string_view kw, size_t at) const {
    return tok(at).kind == TokenKind::LParen && is_keyword(kw, at + 1);
  }
  bool is_lparen_kw(std::string_view kw) const { return is_lparen_kw(kw, pos_); }
  bool fail(const Token& at, std::string message);
  bool fail(std::string message) { return fail(cur(), std::move(message)); }
  bool unexpected() { return fail("unexpected token"); }
  bool expect_lparen_kw(std::string_view kw);
  bool expect_rparen();
  bool expect_keyword(std::string_view kw);
  std::optional<std::string_view> opt_id();
  bool parse_string(std::string& out);
  bool parse_name(std::string& out);  // a string that must be valid UTF-8
  bool parse_u32(uint32_t& out);
  bool parse_u64(uint64_t& out);
  bool is_index_token() const {
    return cur().kind == TokenKind::Number || cur().kind == TokenKind::Id;
  }

  // --- index spaces ---
  IndexSpace& space(Space s) { return spaces_[static_cast<size_t>(s)]; }
  bool bind_id(Space s, std::optional<std::string_view> id, uint32_t index, const Token& at);
  bool parse_index(Space s, uint32_t& out);
  bool parse_opt_index(Space s, uint32_t& out);  // absent -> 0

  // --- types (wat_types.cpp) ---
  bool parse_val_type(ValType& out);
  bool parse_ref_type(ValType& out);
  bool parse_heap_type(HeapType& out);
  bool is_val_type_start() const;
  bool parse_limits(Limits& out);
  bool parse_table_type(TableType& out);
  bool parse_memory_type(MemoryType& out);
  bool parse_page_size(MemoryType& out);  // `(pagesize N)` (custom-page-sizes), if present
  bool parse_global_type(GlobalType& out);
  bool parse_func_type(FuncType& out);  // `(func (param)* (result)*)`
  bool parse_param_results(TypeUse& use, bool allow_names);
  bool parse_typeuse(TypeUse& use, bool allow_names);
  uint32_t find_or_add_type(const FuncType& sig);
  void add_type(FuncType sig);
  static std::string signature_key(const FuncType& sig);
  bool resolve_typeuse(TypeUse& use, const Token& at, uint32_t& index);
  const FuncType* type_at(uint32_t index) const {
    return index < m_.types.size() ? &m_.types[index] : nullptr;
  }

  // --- pass 1 (wat_scan.cpp) ---
  bool scan();
  bool scan_module();
  bool scan_top_level(bool& scan_ok);
  void scan_group(const LexState& at, bool& scan_ok);
  bool lex_failed();
  void clear_tokens();
  void end_tokens();  // appends an Eof token after the field's tokens
  bool scan_field(size_t open);
  bool scan_import_or_def(Space s, size_t open, bool& is_import);

  // --- pass 2 (wat_fields.cpp) ---
  bool parse_fields();
  bool lex_field(const LexState& at);
  bool parse_field(size_t open);
  bool parse_import();
  bool parse_inline_exports(ExternKind kind, uint32_t index);
  bool parse_inline_import(Import& imp);
  bool parse_func();
  bool parse_locals(const TypeUse& use, const Token& at, FunctionBody& body, NameMap& names);
  bool parse_table();
  bool parse_memory();
  bool parse_global();
  bool parse_export();
  bool parse_start();
  bool parse_elem();
  bool parse_data();
  bool parse_tag();  // wat_exceptions.cpp
  bool parse_elem_items(ElemSegment& seg, bool indices);
  bool parse_offset(ConstExpr& out);
  bool parse_data_strings(ByteRange& out);
  void finish_names();

  // --- instructions (wat_instr.cpp, wat_immediates.cpp) ---
  // Parses instructions from pos_ up to (not including) token `end`, appending their encoding to
  // `out`. Folded and plain forms nest through an explicit frame stack.
  bool parse_instrs(size_t end, std::vector<uint8_t>& out);
  bool parse_const_expr(size_t end, ConstExpr& out);
  bool parse_block_header(Opcode op, std::vector<uint8_t>& out, std::string_view& label);
  bool parse_block_type(std::vector<uint8_t>& out);
  // try_table's `(catch x l)`, `(catch_ref x l)`, `(catch_all l)`, `(catch_all_ref l)` clauses,
  // as a vector (wat_exceptions.cpp). Labels count from outside the try_table.
  bool parse_catch_clauses(std::vector<uint8_t>& out);
  bool parse_plain_op(const Token& op_token, std::vector<uint8_t>& out);
  bool parse_immediates(Opcode op, const Token& op_token, std::vector<uint8_t>& out);
  bool parse_label_index(uint32_t& out);
  bool parse_local_index(uint32_t& out);
  bool memory_index_first(const OpInfo& info) const;
  bool parse_memarg(const OpInfo& info, std::vector<uint8_t>& out);
  bool parse_lane(std::vector<uint8_t>& out);
  bool parse_v128_const(std::vector<uint8_t>& out);
  bool parse_int_literal(unsigned bits, uint64_t& out);
  bool parse_float_literal(bool is64, uint64_t& out);

  Lexer lexer_;
  size_t text_size_;
  TokenList tokens_;  // the field being scanned or parsed, then an Eof token
  const TokenList& t_ = tokens_;
  size_t pos_ = 0;
  const Features& features_;
  Module m_;
  Error error_;
  bool failed_ = false;

  IndexSpace spaces_[static_cast<size_t>(Space::Count_)];
  std::vector<LexState> fields_;  // where each field's '(' starts
  bool seen_definition_ = false;
  bool uses_data_index_ = false;  // memory.init / data.drop need the data count section
  size_t field_close_ = 0;        // the ')' of the field being parsed
  size_t field_end() const { return field_close_; }
  std::optional<std::string> module_id_;
  std::vector<std::pair<uint32_t, std::string>> func_ids_;
  std::unordered_map<std::string, uint32_t> type_index_;  // signature_key -> first type index

  // Per function body.
  std::vector<uint8_t> pending_bytes_;  // parse_instrs: folded operators waiting for their ')'
  std::unordered_map<std::string_view, uint32_t, IdHash> locals_;
  LabelStack labels_;
};

}  // namespace loom::text
