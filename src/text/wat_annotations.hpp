// The annotations of the text format that carry meaning (the annotations proposal, Wasm 3.0
// custom/ tests), applied to a module after it parsed:
//   (@custom "name" place? "data"*)     a custom section; place is (before|after SECTION),
//                                       (before first) or (after last), the default. Only where a
//                                       module field may stand.
//   (@name "text")                      right after `module`, `func` or `tag` (and its $id): the
//                                       module's / function's name in the name section.
//   (@metadata.code.branch_hint "\00"|"\01")   right before an `if` in a function body; checked
//                                       (placement, duplicates, value), not yet emitted.
// Every other annotation is skipped by the lexer. Errors are malformed-module errors.
#pragma once
#include <string_view>
#include <vector>

#include "ir/module.hpp"
#include "text/lexer.hpp"
#include "util/result.hpp"

namespace loom::text {

Status apply_annotations(std::string_view text, TextOrigin origin,
                         const std::vector<Lexer::Span>& spans, Module& module);

}  // namespace loom::text
