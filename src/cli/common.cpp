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

void add_feature_flags(CLI::App& command, Features& features) {
  for (unsigned i = 1; i < static_cast<unsigned>(Feature::Count_); ++i) {
    const auto feature = static_cast<Feature>(i);
    const std::string flag(feature_flag(feature));
    command
        .add_flag_callback(
            "--enable-" + flag, [&features, feature] { features.set(feature, true); },
            "Enable the " + flag + " proposal")
        ->group("Features");
    command
        .add_flag_callback(
            "--disable-" + flag, [&features, feature] { features.set(feature, false); },
            "Disable the " + flag + " proposal")
        ->group("Features");
  }
  command
      .add_flag_callback(
          "--enable-all", [&features] { features = Features::all(); }, "Enable every proposal")
      ->group("Features");
}

}  // namespace loom::cli
