// Folds a stream of instructions into s-expressions for the printer: an instruction that pops N
// values takes the preceding single-value expressions as its operands, `(i32.add (a) (b))`.
// Folding only regroups, never reorders: printing the pending expressions in order writes the
// instructions in their original order, so the text means the same code.
//
// Memory: an expression is written out as soon as no later instruction can take it as an operand
// (anything before an expression that does not yield exactly one value, or that is already
// kMaxHeight deep). What stays pending is one run of single-value expressions of the current
// block, at most one function body's worth.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "text/text_sink.hpp"

namespace loom::text {

class ExprFolder {
 public:
  struct Node {
    std::string text;
    int results = 0;
    int height = 1;
    std::vector<Node> children;
  };

  // An instruction popping `params` and pushing `results` values; pass params = 0 when the arity
  // is not known (it then takes no operands). Expressions that can no longer be operands are
  // written to `out` at `depth`.
  void add(std::string text, int params, int results, TextSink& out, int depth);
  // The last pending expression when it yields exactly one value (an `if` condition).
  std::optional<Node> take_single_value();
  // Writes the pending expressions, one per line at `depth`, and clears them.
  void flush(TextSink& out, int depth);
  static void write(const Node& node, TextSink& out, int depth);

 private:
  // Deeper operand trees are left unfolded: it keeps printing (recursive) shallow.
  static constexpr int kMaxHeight = 32;
  void write_first(size_t count, TextSink& out, int depth);
  std::vector<Node> pending_;
};

}  // namespace loom::text
