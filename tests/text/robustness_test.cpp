// No input may crash or hang the text parsers: mutated testsuite modules, pathological nesting and
// huge tokens all end in a result or an error.
#include <gtest/gtest.h>

#include <sys/mman.h>

#include <chrono>
#include <cstdio>
#include <random>

#include "binary/encoder.hpp"
#include "ir/limits.hpp"
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

// --- The text stage's audit for finding 5 of the sandbox hardening ---

TEST(Robustness, Finding5BranchesToOuterLabelsStayLinear) {
  // Each `br $l000000` compared every label in scope: 65,000 nested blocks with 1,000,000
  // branches to the outermost took over two minutes (13 MB of text). Labels are now one hash
  // lookup: about a second.
  constexpr int kDepth = 65000, kBranches = 1000000;
  std::string text = "(func ";
  char name[16];
  for (int i = 0; i < kDepth; ++i) {
    std::snprintf(name, sizeof name, "$l%06d", i);
    text += std::string("block ") + name + " ";
  }
  for (int i = 0; i < kBranches; ++i) text += "br $l000000 ";
  for (int i = 0; i < kDepth; ++i) text += "end ";
  const auto start = std::chrono::steady_clock::now();
  auto m = parse_wat(text + ")");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  // `br 64999` (the relative depth of $l000000): the opcode and a 3-byte LEB.
  const std::vector<uint8_t> expected = {0x0c, 0xe7, 0xfb, 0x03};
  auto body = m->slice(m->bodies[0].code);
  EXPECT_TRUE(std::equal(expected.begin(), expected.end(), body.begin() + 2 * kDepth));
}

TEST(Robustness, Finding5ShadowedLabelsResolveToTheInnermost) {
  auto m = parse_wat("(func block $a block $b block $a br $a br $b end br $a end br $a end)");
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  const std::vector<uint8_t> expected = {0x02, 0x40, 0x02, 0x40, 0x02, 0x40, 0x0c, 0,   0x0c,
                                         1,    0x0b, 0x0c, 1,    0x0b, 0x0c, 0,    0x0b};
  auto body = m->slice(m->bodies[0].code);
  EXPECT_EQ(std::vector<uint8_t>(body.begin(), body.end() - 1), expected);
  EXPECT_FALSE(parse_wat("(func block $a end br $a)").ok());  // out of scope again
}

TEST(Robustness, Finding5NestingBeyondControlNestingIsAnError) {
  const auto nested = [](size_t depth) {
    std::string text = "(func ";
    for (size_t i = 0; i < depth; ++i) text += "(block ";
    return text + std::string(depth, ')') + ")";
  };
  const size_t limit = limit_value(Limit::ControlNesting);
  EXPECT_TRUE(parse_wat(nested(limit)).ok());
  auto deeper = parse_wat(nested(limit + 1));
  ASSERT_FALSE(deeper.ok());
  EXPECT_NE(deeper.error().message.find("control-nesting = 65536"), std::string::npos)
      << deeper.error().message;
}

TEST(Robustness, Finding5DeepUnclosedParensReportTheInnermost) {
  // Pass 1 scans with depth 2 and now only counts deeper levels (it kept 48 bytes a level: 20 MB
  // of '(' took 1.6 GB); the error still names the innermost unclosed paren.
  std::string text = "(module (func ";
  text += std::string(1000000, '(') + "nop" + std::string(10, ')') + "\n  ";
  auto m = parse_wat(text);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().message, "unclosed '(': missing ')'");
  EXPECT_EQ(m.error().line, 1u);
  EXPECT_EQ(m.error().col, 14u + 1000000 - 10);
}

TEST(Robustness, Finding5TextOverTheModuleBytesLimitIsRefusedUnread) {
  // Token positions are 32-bit: text past the limit is refused before a byte is read (the pages
  // are inaccessible, so a read would crash the test).
  const size_t size = limit_value(Limit::ModuleBytes) + 1;
  void* pages =
      ::mmap(nullptr, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  ASSERT_NE(pages, MAP_FAILED);
  const std::string_view huge(static_cast<const char*>(pages), size);
  auto m = parse_wat(huge);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("module-bytes"), std::string::npos);
  auto script = text::parse_wast(huge);
  ASSERT_FALSE(script.ok());
  EXPECT_NE(script.error().message.find("module-bytes"), std::string::npos);
  ::munmap(pages, size);
}

}  // namespace
}  // namespace loom
