// Text of single instructions and signatures for the printer: each decoded instruction with its
// immediates, and the operand/result counts the folded printer needs.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>

#include "binary/instr_reader.hpp"
#include "ir/module.hpp"

namespace loom::text {

using IdMap = std::unordered_map<uint32_t, std::string>;  // index -> printable $id

// ` (param ...) (result ...)`, naming parameters found in `local_ids`.
std::string signature_text(const FuncType& t, const IdMap& local_ids);

class InstrText {
 public:
  InstrText(const Module& m, const IdMap& func_ids) : m_(m), func_ids_(func_ids) {}

  std::string func_ref(uint32_t f) const;
  // `i32.load offset=4`, `call $f`, `block (result i32)`, ...: the op and its immediates.
  std::string text(const Instr& instr, const InstrReader& in, const IdMap& local_ids) const;
  // Operand and result counts; 0 operands where they depend on context (branches).
  void arity(const Instr& instr, int& params, int& results) const;

 private:
  int type_params(uint32_t type) const;
  int type_results(uint32_t type) const;
  std::string block_type(const BlockType& bt) const;
  static std::string memarg(const Instr& instr, const OpInfo& info);

  const Module& m_;
  const IdMap& func_ids_;
};

}  // namespace loom::text
