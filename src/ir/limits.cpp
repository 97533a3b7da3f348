#include "ir/limits.hpp"

namespace loom {

std::string_view limit_name(Limit limit) {
  switch (limit) {
#define LOOM_LIMIT(Name, name, value, what) \
  case Limit::Name:                         \
    return name;
#include "ir/limits.def"
    case Limit::Count_:
      break;
  }
  return "?";
}

std::string_view limit_description(Limit limit) {
  switch (limit) {
#define LOOM_LIMIT(Name, name, value, what) \
  case Limit::Name:                         \
    return what;
#include "ir/limits.def"
    case Limit::Count_:
      break;
  }
  return "?";
}

std::string limit_error(Limit limit) {
  return "implementation limit exceeded: " + std::string(limit_description(limit)) + " (" +
         std::string(limit_name(limit)) + " = " + std::to_string(limit_value(limit)) + ")";
}

}  // namespace loom
