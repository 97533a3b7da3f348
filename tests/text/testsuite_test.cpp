// Parses every module of every WebAssembly 2.0 spec test file: text modules and `module quote`
// must parse, except that every quoted module inside assert_malformed must be rejected.
#include <gtest/gtest.h>

#include "binary/decoder.hpp"
#include "binary/encoder.hpp"
#include "testsuite_util.hpp"
#include "text/wast.hpp"
#include "text/wat.hpp"

namespace loom {
namespace {

using text::WastCommand;
using text::WastModule;

Result<Module> parse_module(const WastModule& m) {
  return text::parse_wat(m.text, Features(), text::TextOrigin{m.line, m.col});
}

TEST(Testsuite, EveryWasm2ModuleParses) {
  const auto files = testing::wasm2_files();
  if (files.empty()) GTEST_SKIP() << "spec testsuite not found at " << testing::testsuite_dir();
  size_t parsed = 0, rejected = 0, failures = 0;
  for (const std::string& path : files) {
    std::string src;
    ASSERT_TRUE(testing::read_file(path, src)) << path;
    auto script = text::parse_wast(src);
    ASSERT_TRUE(script.ok()) << path << ": " << script.error().to_string();
    for (const WastCommand& cmd : script->commands) {
      if (!cmd.module || cmd.module->kind == WastModule::Kind::Binary) continue;
      auto module = parse_module(*cmd.module);
      if (cmd.kind == WastCommand::Kind::AssertMalformed) {
        EXPECT_FALSE(module.ok()) << path << ":" << cmd.line << ": malformed module accepted:\n"
                                  << cmd.module->text;
        if (!module.ok())
          ++rejected;
        else
          ++failures;
        continue;
      }
      if (module.ok()) {
        ++parsed;
      } else {
        ++failures;
        ADD_FAILURE() << path << ": " << module.error().to_string();
      }
    }
  }
  std::printf("testsuite: %zu modules parsed, %zu malformed quotes rejected, %zu failures\n",
              parsed, rejected, failures);
}

// parse -> encode -> decode -> encode gives the same bytes (encoder and decoder agree).
TEST(Testsuite, EncodeDecodeRoundTrip) {
  const auto files = testing::wasm2_files();
  if (files.empty()) GTEST_SKIP() << "spec testsuite not found at " << testing::testsuite_dir();
  size_t checked = 0;
  for (const std::string& path : files) {
    std::string src;
    ASSERT_TRUE(testing::read_file(path, src));
    auto script = text::parse_wast(src);
    ASSERT_TRUE(script.ok());
    for (const WastCommand& cmd : script->commands) {
      if (!cmd.module || cmd.module->kind == WastModule::Kind::Binary) continue;
      if (cmd.kind == WastCommand::Kind::AssertMalformed) continue;
      auto module = parse_module(*cmd.module);
      if (!module.ok()) continue;
      const std::vector<uint8_t> bytes = encode_module(*module);
      auto decoded = decode_module(bytes);
      if (!decoded.ok()) {
        // assert_invalid modules may still be malformed as binaries (e.g. a huge limit).
        if (cmd.kind != WastCommand::Kind::AssertInvalid) {
          ADD_FAILURE() << path << ":" << cmd.line << ": " << decoded.error().to_string();
        }
        continue;
      }
      EXPECT_EQ(encode_module(*decoded), bytes) << path << ":" << cmd.line;
      ++checked;
    }
  }
  std::printf("round trip: %zu modules\n", checked);
}

}  // namespace
}  // namespace loom
