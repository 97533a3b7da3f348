#include "binary/name_section.hpp"

#include <algorithm>

#include "binary/reader.hpp"

namespace loom {
namespace {

enum NameSubsection : uint8_t { kModuleName = 0, kFunctionNames = 1, kLocalNames = 2 };

bool read_name_map(Reader& r, NameMap& out) {
  uint32_t count;
  if (!r.read_count(count, 2)) return false;
  out.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t index;
    std::string name;
    if (!r.read_u32(index) || !r.read_name(name)) return false;
    out.emplace_back(index, std::move(name));
  }
  // The spec requires increasing indices; sort anyway so lookups can binary search.
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return true;
}

}  // namespace

void decode_name_section(std::span<const uint8_t> payload, size_t base, Names& out) {
  Reader r(payload, base);
  while (!r.at_end()) {
    uint8_t id;
    uint32_t size;
    if (!r.read_u8(id) || !r.read_u32(size) || size > r.remaining()) return;
    Reader sub(r.data().subspan(r.pos(), size), r.offset());
    r.skip(size);
    switch (id) {
      case kModuleName:
        if (sub.read_name(out.module)) out.has_module = true;
        break;
      case kFunctionNames:
        out.functions.clear();
        if (!read_name_map(sub, out.functions)) return;
        break;
      case kLocalNames: {
        uint32_t count;
        if (!sub.read_count(count, 2)) return;
        for (uint32_t i = 0; i < count; ++i) {
          uint32_t func;
          NameMap locals;
          if (!sub.read_u32(func) || !read_name_map(sub, locals)) return;
          out.locals.emplace_back(func, std::move(locals));
        }
        break;
      }
      default:
        break;  // label, type, table, memory, global, elem, data names: not needed yet
    }
  }
}

}  // namespace loom
