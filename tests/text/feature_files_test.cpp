// The printer round trip (parse -> encode -> decode -> print -> parse -> encode gives the same
// bytes, flat and folded) over the spec files beyond WASM-2.0-FILES.txt that Loom requires: the
// top-level files of tests/spec/files-3.0.txt, the proposal files and custom/ (with every feature
// enabled). This is what `loom print` then `loom wat2wasm` must reproduce for each module.
#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>

#include "binary/decoder.hpp"
#include "binary/encoder.hpp"
#include "testsuite_util.hpp"
#include "text/printer.hpp"
#include "text/wast.hpp"
#include "text/wat.hpp"

namespace loom {
namespace {

std::vector<std::string> required_files() {
  std::vector<std::string> files;
  std::string list;
  if (!testing::read_file(std::string(LOOM_SOURCE_DIR) + "/tests/spec/files-3.0.txt", list)) {
    return files;
  }
  std::istringstream lines(list);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    files.push_back(testing::testsuite_dir() + "/" + line);
  }
  for (const char* extra :
       {"proposals/wide-arithmetic/wide-arithmetic.wast", "proposals/custom-page-sizes/binary.wast",
        "proposals/custom-page-sizes/custom-page-sizes.wast",
        "proposals/custom-page-sizes/custom-page-sizes-invalid.wast",
        "proposals/custom-page-sizes/memory_max.wast",
        "proposals/custom-page-sizes/memory_max_i64.wast"}) {
    files.push_back(testing::testsuite_dir() + "/" + extra);
  }
  return files;
}

void round_trip(bool folded) {
  const auto files = required_files();
  std::string probe;
  if (files.empty() || !testing::read_file(files.front(), probe)) {
    GTEST_SKIP() << "spec testsuite not found";
  }
  const Features all = Features::all();
  PrintOptions options;
  options.folded = folded;
  size_t checked = 0;
  for (const std::string& path : files) {
    std::string src;
    ASSERT_TRUE(testing::read_file(path, src)) << path;
    auto script = text::parse_wast(src);
    ASSERT_TRUE(script.ok()) << path << ": " << script.error().to_string();
    for (const text::WastCommand& cmd : script->commands) {
      if (!cmd.module || cmd.module->kind == text::WastModule::Kind::Binary) continue;
      if (cmd.kind == text::WastCommand::Kind::AssertMalformed) continue;
      auto m1 = text::parse_wat(cmd.module->text, all, {cmd.module->line, cmd.module->col});
      ASSERT_TRUE(m1.ok()) << path << ":" << cmd.line << ": " << m1.error().to_string();
      const auto bytes1 = encode_module(*m1);
      auto decoded = decode_module(bytes1, all);
      if (!decoded.ok()) continue;  // an assert_invalid module may not decode
      auto wat = print_module(*decoded, options);
      ASSERT_TRUE(wat.ok()) << path << ":" << cmd.line << ": " << wat.error().to_string();
      auto m2 = parse_wat(*wat, all);
      ASSERT_TRUE(m2.ok()) << path << ":" << cmd.line << ": " << m2.error().to_string() << "\n"
                           << *wat;
      EXPECT_EQ(encode_module(*m2), bytes1) << path << ":" << cmd.line << "\n" << *wat;
      ++checked;
    }
  }
  std::printf("3.0/proposal printer round trip (%s): %zu modules\n", folded ? "folded" : "flat",
              checked);
  EXPECT_GT(checked, 0u);
}

TEST(FeatureFiles, PrinterRoundTripFlat) {
  round_trip(false);
}
TEST(FeatureFiles, PrinterRoundTripFolded) {
  round_trip(true);
}

}  // namespace
}  // namespace loom
