// Differential test: for every module of the 2.0 spec files that wabt's wat2wasm accepts, Loom's
// encoding (custom sections left out) must be byte-identical to wabt's. Modules are converted with
// --no-check so invalid ones are compared too; a difference only fails the test when wabt also
// accepts the module with validation (for invalid modules the two tools may legitimately differ,
// e.g. Loom writes a data count section for `data.drop 0` without data segments).
// Skipped without wat2wasm.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "binary/encoder.hpp"
#include "testsuite_util.hpp"
#include "text/wast.hpp"
#include "text/wat.hpp"

namespace loom {
namespace {

using text::WastCommand;
using text::WastModule;

bool has_wat2wasm() {
  return std::system("wat2wasm --version >/dev/null 2>&1") == 0;
}

// The module as a standalone .wat file for wabt.
std::string standalone_text(const WastModule& m) {
  if (m.kind == WastModule::Kind::Quote) {
    const size_t first = m.text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && m.text.compare(first, 7, "(module") == 0) return m.text;
  }
  return "(module\n" + m.text + "\n)";
}

struct Case {
  std::string where;
  std::vector<uint8_t> ours;
};

TEST(WabtDifferential, BinaryIdenticalToWat2wasm) {
  if (!has_wat2wasm()) GTEST_SKIP() << "wat2wasm (wabt) is not installed";
  const auto files = testing::wasm2_files();
  if (files.empty()) GTEST_SKIP() << "spec testsuite not found at " << testing::testsuite_dir();
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("loom-wabt-diff-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);

  std::vector<Case> cases;
  EncodeOptions no_customs;
  no_customs.write_customs = false;
  for (const std::string& path : files) {
    std::string src;
    ASSERT_TRUE(testing::read_file(path, src));
    auto script = text::parse_wast(src);
    ASSERT_TRUE(script.ok());
    for (const WastCommand& cmd : script->commands) {
      if (!cmd.module || cmd.module->kind == WastModule::Kind::Binary) continue;
      if (cmd.kind == WastCommand::Kind::AssertMalformed) continue;
      auto module = text::parse_wat(cmd.module->text, Features(),
                                    text::TextOrigin{cmd.module->line, cmd.module->col});
      if (!module.ok()) continue;  // reported by the testsuite test
      const std::string name = std::to_string(cases.size());
      std::ofstream(dir / (name + ".wat")) << standalone_text(*cmd.module);
      cases.push_back({path + ":" + std::to_string(cmd.line), encode_module(*module, no_customs)});
    }
  }
  // One shell for all conversions, two at a time: much cheaper than a std::system per module.
  const std::string command =
      "cd '" + dir.string() +
      "' && ls | grep '[.]wat$' | xargs -P 2 -n 64 sh -c "
      "'for f; do wat2wasm --no-check \"$f\" -o \"${f%.wat}.wasm\" >/dev/null 2>&1; done; true' _";
  ASSERT_EQ(std::system(command.c_str()), 0);

  size_t compared = 0, rejected_by_wabt = 0, mismatches = 0, invalid_differences = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    std::string theirs;
    if (!testing::read_file((dir / (std::to_string(i) + ".wasm")).string(), theirs)) {
      ++rejected_by_wabt;
      continue;
    }
    ++compared;
    const std::string ours(cases[i].ours.begin(), cases[i].ours.end());
    if (ours != theirs) {
      const std::string validate = "wat2wasm '" + (dir / (std::to_string(i) + ".wat")).string() +
                                   "' -o /dev/null 2>/dev/null";
      if (std::system(validate.c_str()) != 0) {
        ++invalid_differences;
        continue;
      }
      ++mismatches;
      ADD_FAILURE() << cases[i].where << ": differs from wat2wasm (file " << i << ".wat in "
                    << dir.string() << ")";
    }
  }
  std::printf(
      "wabt differential: %zu identical of %zu compared (%zu invalid modules differ), %zu "
      "rejected by wabt\n",
      compared - mismatches - invalid_differences, compared, invalid_differences, rejected_by_wabt);
  if (mismatches == 0 && !std::getenv("LOOM_KEEP_DIFF")) std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace loom
