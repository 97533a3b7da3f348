#include "text/expr_folder.hpp"

#include <algorithm>

namespace loom::text {

void ExprFolder::add(std::string text, int params, int results, TextSink& out, int depth) {
  Node node;
  node.text = std::move(text);
  node.results = results;
  // Take the longest run (up to `params`) of single-value expressions just before this one.
  size_t take = 0;
  while (take < static_cast<size_t>(std::max(params, 0)) && take < pending_.size()) {
    const Node& candidate = pending_[pending_.size() - 1 - take];
    if (candidate.results != 1 || candidate.height >= kMaxHeight) break;
    ++take;
  }
  const auto first = pending_.end() - static_cast<std::ptrdiff_t>(take);
  for (auto it = first; it != pending_.end(); ++it) {
    node.height = std::max(node.height, it->height + 1);
    node.children.push_back(std::move(*it));
  }
  pending_.erase(first, pending_.end());
  pending_.push_back(std::move(node));
  // A node that can never be an operand settles everything before it; if it is not a single
  // value it cannot be an `if` condition either, so it settles itself too.
  const Node& last = pending_.back();
  if (last.results != 1) {
    write_first(pending_.size(), out, depth);
  } else if (last.height >= kMaxHeight) {
    write_first(pending_.size() - 1, out, depth);
  }
}

std::optional<ExprFolder::Node> ExprFolder::take_single_value() {
  if (pending_.empty() || pending_.back().results != 1) return std::nullopt;
  Node node = std::move(pending_.back());
  pending_.pop_back();
  return node;
}

void ExprFolder::write(const Node& node, TextSink& out, int depth) {
  out.newline(depth);
  out << '(' << node.text;
  for (const Node& child : node.children) write(child, out, depth + 1);  // height-bounded
  out << ')';
}

void ExprFolder::write_first(size_t count, TextSink& out, int depth) {
  for (size_t i = 0; i < count; ++i) write(pending_[i], out, depth);
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(count));
}

void ExprFolder::flush(TextSink& out, int depth) {
  write_first(pending_.size(), out, depth);
}

}  // namespace loom::text
