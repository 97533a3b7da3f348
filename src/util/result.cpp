#include "util/result.hpp"

#include <cstdio>

namespace loom {

std::string Error::to_string() const {
  std::string out;
  if (line) {
    out = std::to_string(*line) + ":" + std::to_string(col.value_or(1)) + ": ";
  } else if (offset) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%zx", *offset);
    out = std::string("error at ") + buf;
    if (func) out += " in func " + std::to_string(*func);
    out += ": ";
  }
  return out + message;
}

}  // namespace loom
