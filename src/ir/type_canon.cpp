#include "ir/type_canon.hpp"

namespace loom {
namespace {

// Reference encodings in a key: inside the group by position, outside by canonical id, so that
// the two never collide.
constexpr uint64_t kInGroup = uint64_t{1} << 40;
constexpr uint64_t kCanonical = uint64_t{2} << 40;
constexpr uint64_t kRaw = uint64_t{3} << 40;

uint64_t heap_token(HeapType h, uint32_t begin, uint32_t size, std::span<const uint32_t> ids) {
  if (!h.is_index()) return h.value;
  if (h.value >= begin && h.value - begin < size) return kInGroup | (h.value - begin);
  if (h.value < begin && h.value < ids.size()) return kCanonical | ids[h.value];
  return kRaw | h.value;
}

void add_val_type(std::vector<uint64_t>& key, ValType t, uint32_t begin, uint32_t size,
                  std::span<const uint32_t> ids) {
  key.push_back(uint64_t(t.kind) | uint64_t(t.is_ref() && t.nullable) << 8);
  if (t.is_ref()) key.push_back(heap_token(t.heap, begin, size, ids));
}

}  // namespace

size_t TypeCanonicalizer::KeyHash::operator()(const Key& key) const {
  uint64_t h = 0xcbf29ce484222325ull;
  for (uint64_t word : key) h = (h ^ word) * 0x100000001b3ull;
  return static_cast<size_t>(h ^ (h >> 32));
}

std::vector<uint32_t> TypeCanonicalizer::canonicalize(const Module& module,
                                                      std::vector<NewGroup>* new_groups) {
  const uint32_t count = static_cast<uint32_t>(module.types.size());
  std::vector<uint32_t> ids(count);
  Key key;
  for (uint32_t begin = 0; begin < count;) {
    const TypeDef& head = module.type_def(begin);
    uint32_t size = head.rec_size == 0 ? 1 : head.rec_size;
    if (size > count - begin) size = count - begin;
    key.clear();
    key.push_back(size);
    const std::span<const uint32_t> earlier(ids.data(), begin);
    for (uint32_t i = begin; i < begin + size; ++i) {
      const TypeDef& def = module.type_def(i);
      key.push_back(uint64_t(def.kind) | uint64_t(def.is_final) << 8);
      key.push_back(def.super == kNoSuper
                        ? uint64_t{0}
                        : heap_token(HeapType::index(def.super), begin, size, earlier) + 1);
      if (def.kind == CompKind::Func) {
        const FuncType& sig = module.types[i];
        key.push_back(sig.params.size());
        for (ValType t : sig.params) add_val_type(key, t, begin, size, earlier);
        key.push_back(sig.results.size());
        for (ValType t : sig.results) add_val_type(key, t, begin, size, earlier);
      } else {
        key.push_back(def.fields.size());
        for (const FieldType& f : def.fields) {
          add_val_type(key, f.type, begin, size, earlier);
          key.push_back(uint64_t(f.packed) | uint64_t(f.is_mutable) << 8);
        }
      }
    }
    auto [it, inserted] = groups_.try_emplace(key, next_id_);
    if (inserted) {
      if (new_groups) new_groups->push_back({begin, size, next_id_});
      next_id_ += size;
    }
    for (uint32_t i = 0; i < size; ++i) ids[begin + i] = it->second + i;
    begin += size;
  }
  return ids;
}

}  // namespace loom
