// The `spectest` host module that the spec testsuite imports: print functions, globals, a table
// and a memory, with the values the reference interpreter gives them.
#pragma once
#include <optional>
#include <string_view>

#include "runtime/store.hpp"

namespace loom::wast {

class SpectestModule {
 public:
  explicit SpectestModule(Store& store);
  // The export called `name`, if any.
  std::optional<Extern> find(std::string_view name) const;

 private:
  Store& store_;
  FunctionInst *print_, *print_i32_, *print_i64_, *print_f32_, *print_f64_, *print_i32_f32_,
      *print_f64_f64_;
  GlobalInst *global_i32_, *global_i64_, *global_f32_, *global_f64_;
  TableInst* table_ = nullptr;
  TableInst* table64_ = nullptr;
  MemoryInst* memory_ = nullptr;
};

}  // namespace loom::wast
