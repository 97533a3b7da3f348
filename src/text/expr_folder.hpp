// Folds a stream of instructions into s-expressions for the printer: an instruction that pops N
// values takes the preceding single-value expressions as its operands, `(i32.add (a) (b))`.
// Folding only regroups, never reorders: printing the pending expressions in order writes the
// instructions in their original order, so the text means the same code.
#pragma once
#include <optional>
#include <string>
#include <vector>

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
  // is not known (it then takes no operands).
  void add(std::string text, int params, int results);
  // The last pending expression when it yields exactly one value (an `if` condition).
  std::optional<Node> take_single_value();
  // Writes the pending expressions, one per line at `depth`, and clears them.
  void flush(std::string& out, int depth);
  static void write(const Node& node, std::string& out, int depth);

 private:
  // Deeper operand trees are left unfolded: it keeps printing (recursive) shallow.
  static constexpr int kMaxHeight = 32;
  std::vector<Node> pending_;
};

}  // namespace loom::text
