#include "ir/features.hpp"

namespace loom {

#define LOOM_FEATURE(Name, flag, on, interpreted) \
  static_assert(!(on) || (interpreted), "a default feature must run in the interpreter: " flag);
#include "ir/features.def"

Features::Features() {
#define LOOM_FEATURE(Name, flag, on, interpreted) set(Feature::Name, on);
#include "ir/features.def"
}

Features Features::all() {
  Features f;
  for (unsigned i = 0; i < static_cast<unsigned>(Feature::Count_); ++i) f.set(Feature(i), true);
  return f;
}

Features Features::interpreted() {
  Features f;
  for (unsigned i = 0; i < static_cast<unsigned>(Feature::Count_); ++i) {
    f.set(Feature(i), feature_interpreted(Feature(i)));
  }
  return f;
}

bool feature_interpreted(Feature f) {
  switch (f) {
#define LOOM_FEATURE(Name, flag, on, interpreted) \
  case Feature::Name:                             \
    return interpreted;
#include "ir/features.def"
    default:
      return false;
  }
}

Features Features::wasm20() {
  Features f;
  for (Feature later : {Feature::TailCall, Feature::ExtendedConst, Feature::MultiMemory,
                        Feature::Memory64, Feature::Exceptions, Feature::FunctionReferences,
                        Feature::Gc, Feature::RelaxedSimd, Feature::Threads}) {
    f.set(later, false);
  }
  return f;
}

std::string_view feature_flag(Feature f) {
  switch (f) {
#define LOOM_FEATURE(Name, flag, on, interpreted) \
  case Feature::Name:                             \
    return flag;
#include "ir/features.def"
    default:
      return "?";
  }
}

std::optional<Feature> feature_from_flag(std::string_view text) {
#define LOOM_FEATURE(Name, flag, on, interpreted) \
  if (text == flag) return Feature::Name;
#include "ir/features.def"
  return std::nullopt;
}

}  // namespace loom
