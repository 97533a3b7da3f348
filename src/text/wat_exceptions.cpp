// Exception handling in the text format: tag fields and try_table's catch clauses. (The block
// structure of try_table and the legacy try/catch/delegate is in wat_instr.cpp.)
#include "text/wat_parser.hpp"

namespace loom::text {

// (tag $id? (export "n")* (import "m" "n")? typeuse)
bool WatParser::parse_tag() {
  opt_id();
  const auto index = static_cast<uint32_t>(m_.num_tags());
  if (!parse_inline_exports(ExternKind::Tag, index)) return false;
  Import imp;
  imp.kind = ExternKind::Tag;
  const bool is_import = is_lparen_kw("import");
  if (is_import && !parse_inline_import(imp)) return false;
  const Token& at = cur();
  TypeUse use;
  uint32_t type_index = 0;
  if (!parse_typeuse(use, /*allow_names=*/false) || !resolve_typeuse(use, at, type_index)) {
    return false;
  }
  if (is_import) {
    imp.func_type = type_index;
    m_.add_import(std::move(imp));
  } else {
    m_.tags.push_back(type_index);
  }
  return expect_rparen();
}

bool WatParser::parse_catch_clauses(std::vector<uint8_t>& out) {
  std::vector<uint8_t> clauses;
  size_t count = 0;
  for (;;) {
    uint8_t kind;
    if (is_lparen_kw("catch"))
      kind = 0;
    else if (is_lparen_kw("catch_ref"))
      kind = 1;
    else if (is_lparen_kw("catch_all"))
      kind = 2;
    else if (is_lparen_kw("catch_all_ref"))
      kind = 3;
    else
      break;
    pos_ += 2;
    clauses.push_back(kind);
    uint32_t index = 0;
    if (kind < 2) {
      if (!parse_index(Space::Tag, index)) return false;
      append_uleb(clauses, index);
    }
    if (!parse_label_index(index)) return false;
    append_uleb(clauses, index);
    if (!expect_rparen()) return false;
    ++count;
  }
  append_uleb(out, count);
  out.insert(out.end(), clauses.begin(), clauses.end());
  return true;
}

}  // namespace loom::text
