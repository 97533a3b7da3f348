// Feature set: which optional proposals a decode/validate/parse accepts (see features.def).
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace loom {

enum class Feature : uint8_t {
#define LOOM_FEATURE(Name, flag, on, interpreted) Name,
#include "ir/features.def"
  Count_
};

class Features {
 public:
  // The default set: WebAssembly 2.0.
  Features();
  static Features all();
  // Every feature the interpreter runs (features.def): what --enable-all means for execution.
  static Features interpreted();
  // Exactly WebAssembly 2.0: every 3.0 feature off (for tests of 2.0 rules).
  static Features wasm20();
  bool has(Feature f) const { return (bits_ >> static_cast<unsigned>(f)) & 1u; }
  void set(Feature f, bool on) {
    if (on)
      bits_ |= uint64_t{1} << static_cast<unsigned>(f);
    else
      bits_ &= ~(uint64_t{1} << static_cast<unsigned>(f));
  }

 private:
  uint64_t bits_ = 0;
};

std::string_view feature_flag(Feature f);
// Whether the interpreter runs the feature (the `interpreted` column of features.def).
bool feature_interpreted(Feature f);
std::optional<Feature> feature_from_flag(std::string_view flag);

}  // namespace loom
