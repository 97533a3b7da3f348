// No input may crash or hang the text parsers: mutated testsuite modules, pathological nesting and
// huge tokens all end in a result or an error.
#include <gtest/gtest.h>

#include <random>

#include "testsuite_util.hpp"
#include "text/wast.hpp"
#include "text/wat.hpp"

namespace loom {
namespace {

std::string mutate(std::string s, std::mt19937& rng) {
  static const char kAlphabet[] = "()$\"; \n0x.-+_=\\@abcdefi32lnpu";
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits && !s.empty(); ++e) {
    const size_t at = rng() % s.size();
    switch (rng() % 5) {
      case 0:
        s.erase(at, 1 + rng() % 8);
        break;
      case 1:
        s.insert(at, 1, kAlphabet[rng() % (sizeof kAlphabet - 1)]);
        break;
      case 2:
        s[at] = kAlphabet[rng() % (sizeof kAlphabet - 1)];
        break;
      case 3:
        s.resize(at);
        break;
      case 4: {  // duplicate a slice (nests or repeats constructs)
        const size_t len = std::min<size_t>(s.size() - at, 1 + rng() % 64);
        s.insert(at, s.substr(at, len));
        break;
      }
    }
  }
  return s;
}

TEST(Robustness, MutatedTestsuiteModules) {
  const auto files = testing::wasm2_files();
  if (files.empty()) GTEST_SKIP() << "spec testsuite not found";
  std::mt19937 rng(12345);
  size_t parsed = 0, rejected = 0;
  for (size_t f = 0; f < files.size(); f += 3) {
    std::string src;
    ASSERT_TRUE(testing::read_file(files[f], src));
    auto script = text::parse_wast(src);
    ASSERT_TRUE(script.ok());
    size_t n = 0;
    for (const auto& cmd : script->commands) {
      if (!cmd.module || cmd.module->kind == text::WastModule::Kind::Binary) continue;
      if (n++ % 4 != 0) continue;
      for (int i = 0; i < 8; ++i) {
        const std::string mutated = mutate(cmd.module->text, rng);
        (parse_wat(mutated).ok() ? parsed : rejected)++;
      }
    }
    // The script parser too.
    for (int i = 0; i < 4; ++i) (void)text::parse_wast(mutate(src.substr(0, 20000), rng));
  }
  std::printf("mutations: %zu parsed, %zu rejected\n", parsed, rejected);
  EXPECT_GT(rejected, 0u);
}

TEST(Robustness, PathologicalInputs) {
  constexpr size_t kDepth = 50000;
  // Nested comments and annotations.
  std::string comments;
  for (size_t i = 0; i < kDepth; ++i) comments += "(;";
  for (size_t i = 0; i < kDepth; ++i) comments += ";)";
  EXPECT_TRUE(parse_wat(comments + "(module)").ok());
  EXPECT_FALSE(parse_wat(comments.substr(0, comments.size() - 2)).ok());
  std::string annotation = "(@a ";
  for (size_t i = 0; i < kDepth; ++i) annotation += "(";
  for (size_t i = 0; i < kDepth; ++i) annotation += ")";
  EXPECT_TRUE(parse_wat(annotation + ") (module)").ok());
  // Deep nesting inside a constant expression and a type.
  std::string global = "(global i32 ";
  for (size_t i = 0; i < kDepth; ++i) global += "(i32.add (i32.const 1) ";
  global += "(i32.const 1)";
  for (size_t i = 0; i < kDepth; ++i) global += ")";
  EXPECT_TRUE(parse_wat(global + ")").ok());
  EXPECT_FALSE(
      parse_wat("(type " + std::string(kDepth, '(') + std::string(kDepth, ')') + ")").ok());
  // Nested ifs with labels.
  std::string ifs = "(func ";
  for (size_t i = 0; i < kDepth; ++i) ifs += "(if $l (i32.const 0) (then ";
  ifs += "(br $l)";
  for (size_t i = 0; i < kDepth; ++i) ifs += "))";
  EXPECT_TRUE(parse_wat(ifs + ")").ok());
  // Huge tokens.
  EXPECT_FALSE(parse_wat("(func (i32.const " + std::string(1000000, '9') + ") drop)").ok());
  EXPECT_FALSE(parse_wat("(func (f32.const 1" + std::string(1000000, '0') + ") drop)").ok());
  EXPECT_TRUE(parse_wat("(func (f64.const 0." + std::string(1000000, '0') + "1) drop)").ok());
  EXPECT_TRUE(parse_wat("(func $" + std::string(1000000, 'x') + ")").ok());
  EXPECT_TRUE(
      parse_wat("(memory 1) (data (i32.const 0) \"" + std::string(1000000, 'd') + "\")").ok());
  EXPECT_FALSE(parse_wat(std::string(1000000, ')')).ok());
  EXPECT_FALSE(parse_wat(std::string("\0\xff\xfe(module)", 10)).ok());
  // Many br_table targets.
  std::string table = "(func (block (br_table";
  for (int i = 0; i < 100000; ++i) table += " 0";
  EXPECT_TRUE(parse_wat(table + " (i32.const 0))))").ok());
}

}  // namespace
}  // namespace loom
