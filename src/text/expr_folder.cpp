#include "text/expr_folder.hpp"

#include <algorithm>

namespace loom::text {

void ExprFolder::add(std::string text, int params, int results) {
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
}

std::optional<ExprFolder::Node> ExprFolder::take_single_value() {
  if (pending_.empty() || pending_.back().results != 1) return std::nullopt;
  Node node = std::move(pending_.back());
  pending_.pop_back();
  return node;
}

void ExprFolder::write(const Node& node, std::string& out, int depth) {
  out += "\n";
  out.append(static_cast<size_t>(depth) * 2, ' ');
  out += "(" + node.text;
  for (const Node& child : node.children) write(child, out, depth + 1);  // height-bounded
  out += ")";
}

void ExprFolder::flush(std::string& out, int depth) {
  for (const Node& node : pending_) write(node, out, depth);
  pending_.clear();
}

}  // namespace loom::text
