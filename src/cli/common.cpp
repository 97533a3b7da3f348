#include <memory>
#include <string>

#include "cli/commands.hpp"

namespace loom::cli {
namespace {
int g_exit_code = 0;
}

void set_exit_code(int code) {
  g_exit_code = code;
}
int exit_code() {
  return g_exit_code;
}

void add_feature_flags(CLI::App& command, Features& features, FeatureUse use) {
  const bool execute = use == FeatureUse::Execute;
  for (unsigned i = 1; i < static_cast<unsigned>(Feature::Count_); ++i) {
    const auto feature = static_cast<Feature>(i);
    const std::string flag(feature_flag(feature));
    const std::string enable = "--enable-" + flag;
    const bool refused = execute && !feature_interpreted(feature);
    command
        .add_flag_callback(
            enable,
            [&features, feature, refused, enable, flag] {
              // Refused up front: a module using it would validate, then fail as it runs.
              if (refused) {
                throw CLI::ValidationError(enable,
                                           flag + " is not supported by the interpreter yet");
              }
              features.set(feature, true);
            },
            "Enable the " + flag + " proposal" +
                (refused ? std::string(" (not supported by the interpreter yet)") : ""))
        ->group("Features");
    command
        .add_flag_callback(
            "--disable-" + flag, [&features, feature] { features.set(feature, false); },
            "Disable the " + flag + " proposal")
        ->group("Features");
  }
  command
      .add_flag_callback(
          "--enable-all",
          [&features, execute] { features = execute ? Features::interpreted() : Features::all(); },
          execute ? "Enable every proposal the interpreter supports" : "Enable every proposal")
      ->group("Features");
}

}  // namespace loom::cli
