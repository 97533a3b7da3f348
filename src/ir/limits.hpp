// Implementation limits (limits.def): one table, one error message format.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace loom {

enum class Limit : uint8_t {
#define LOOM_LIMIT(Name, name, value, what) Name,
#include "ir/limits.def"
  Count_
};

constexpr uint64_t limit_value(Limit limit) {
  switch (limit) {
#define LOOM_LIMIT(Name, name, value, what) \
  case Limit::Name:                         \
    return value;
#include "ir/limits.def"
    case Limit::Count_:
      break;
  }
  return 0;
}

std::string_view limit_name(Limit limit);
std::string_view limit_description(Limit limit);
// "implementation limit exceeded: locals of a function, parameters included (function-locals =
// 50000)"
std::string limit_error(Limit limit);

}  // namespace loom
