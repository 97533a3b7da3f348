// Evaluation of constant expressions (global initializers, segment offsets, element items) during
// instantiation. The module is validated, so only constant instructions appear.
#pragma once
#include "ir/module.hpp"
#include "runtime/instance.hpp"
#include "runtime/value.hpp"

namespace loom {

Value evaluate_const_expr(const Instance& instance, const ConstExpr& expr);

}  // namespace loom
