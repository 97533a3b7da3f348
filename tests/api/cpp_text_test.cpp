// The public text, input and WAST functions (loom/text.hpp, loom/wast.hpp) and the engine and
// error additions the CLI relies on, each with its error paths.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "loom/loom.hpp"
#include "loom/text.hpp"
#include "loom/wast.hpp"

namespace {

constexpr std::string_view kAdd =
    "(module (func $add (export \"add\") (param i32 i32) (result i32)"
    " (i32.add (local.get 0) (local.get 1))))";

std::string temp_path(const std::string& name) {
  return ::testing::TempDir() + "loom_text_test_" + name;
}

void write_file(const std::string& path, std::string_view bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}

std::string read_text(std::FILE* file) {
  std::rewind(file);
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, file)) > 0;) out.append(buf, n);
  return out;
}

std::vector<uint8_t> add_wasm(const loom::Engine& engine) {
  auto wasm = loom::wat_to_wasm(engine, kAdd);
  EXPECT_TRUE(wasm) << (wasm ? "" : wasm.error().message());
  return wasm ? *wasm : std::vector<uint8_t>{};
}

TEST(ApiText, ReadInputReadsAFile) {
  const std::string path = temp_path("read.wat");
  write_file(path, kAdd);
  auto bytes = loom::read_input(path);
  ASSERT_TRUE(bytes) << bytes.error().message();
  EXPECT_EQ(std::string(bytes->begin(), bytes->end()), kAdd);
}

TEST(ApiText, ReadInputMissingFileIsIo) {
  auto bytes = loom::read_input(temp_path("does-not-exist"));
  ASSERT_FALSE(bytes);
  EXPECT_EQ(bytes.error().kind(), loom::ErrorKind::Io);
  EXPECT_NE(bytes.error().message().find("cannot open"), std::string::npos);
}

TEST(ApiText, WatToWasmRoundTrips) {
  loom::Engine engine;
  const std::vector<uint8_t> wasm = add_wasm(engine);
  ASSERT_GE(wasm.size(), 8u);
  EXPECT_EQ(wasm[0], 0x00);
  EXPECT_EQ(wasm[1], 'a');
  auto module = loom::Module::compile(engine, wasm);
  ASSERT_TRUE(module) << module.error().message();
  EXPECT_EQ(module->exports().size(), 1u);
}

TEST(ApiText, WatToWasmNamesAreOptional) {
  loom::Engine engine;
  loom::WatOptions options;
  options.write_names = false;
  auto bare = loom::wat_to_wasm(engine, kAdd, options);
  ASSERT_TRUE(bare);
  EXPECT_LT(bare->size(), add_wasm(engine).size());  // no name section for $add
}

TEST(ApiText, WatToWasmSyntaxErrorIsMalformedWithPosition) {
  loom::Engine engine;
  auto wasm = loom::wat_to_wasm(engine, "(module\n  (func (i32.bogus)))");
  ASSERT_FALSE(wasm);
  EXPECT_EQ(wasm.error().kind(), loom::ErrorKind::Malformed);
  ASSERT_TRUE(wasm.error().location().line);
  EXPECT_EQ(*wasm.error().location().line, 2u);
  EXPECT_TRUE(wasm.error().location().column);
  EXPECT_EQ(wasm.error().message().rfind("2:", 0), 0u) << wasm.error().message();
}

TEST(ApiText, WatToWasmInvalidModuleUnlessUnchecked) {
  loom::Engine engine;
  constexpr std::string_view kInvalid = "(module (func (result i32) (i64.const 1)))";
  auto wasm = loom::wat_to_wasm(engine, kInvalid);
  ASSERT_FALSE(wasm);
  EXPECT_EQ(wasm.error().kind(), loom::ErrorKind::Invalid);
  loom::WatOptions unchecked;
  unchecked.validate = false;
  EXPECT_TRUE(loom::wat_to_wasm(engine, kInvalid, unchecked));
}

TEST(ApiText, PrintWasmFlatAndFolded) {
  loom::Engine engine;
  const std::vector<uint8_t> wasm = add_wasm(engine);
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  ASSERT_TRUE(loom::print_wasm(engine, wasm, out));
  const std::string flat = read_text(out);
  std::fclose(out);
  EXPECT_NE(flat.find("i32.add"), std::string::npos) << flat;
  loom::PrintOptions folded;
  folded.folded = true;
  auto text = loom::wasm_to_text(engine, wasm, folded);
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("(i32.add"), std::string::npos) << *text;
  auto flat_text = loom::wasm_to_text(engine, wasm);
  ASSERT_TRUE(flat_text);
  EXPECT_EQ(*flat_text, flat);
}

TEST(ApiText, PrintWasmMalformedBinaryHasOffset) {
  loom::Engine engine;
  const std::vector<uint8_t> bad = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x7f};
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  loom::Status printed = loom::print_wasm(engine, bad, out);
  EXPECT_EQ(read_text(out), "");  // nothing written
  std::fclose(out);
  ASSERT_FALSE(printed);
  EXPECT_EQ(printed.error().kind(), loom::ErrorKind::Malformed);
  EXPECT_TRUE(printed.error().location().offset);
  EXPECT_FALSE(loom::wasm_to_text(engine, bad));
}

TEST(ApiText, PrintWasmWriteFailureIsIo) {
  std::FILE* full = std::fopen("/dev/full", "w");
  if (!full) GTEST_SKIP() << "no /dev/full";
  loom::Engine engine;
  loom::Status printed = loom::print_wasm(engine, add_wasm(engine), full);
  std::fclose(full);
  ASSERT_FALSE(printed);
  EXPECT_EQ(printed.error().kind(), loom::ErrorKind::Io);
  EXPECT_EQ(printed.error().message(), "cannot write output");
}

TEST(ApiText, PrintWasmFileWritesAndCleansUp) {
  loom::Engine engine;
  const std::string path = temp_path("print.wat");
  ASSERT_TRUE(loom::print_wasm_file(engine, add_wasm(engine), path));
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("(module"), std::string::npos);

  // A binary that does not decode leaves an existing file alone.
  const std::vector<uint8_t> bad = {0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00};
  EXPECT_FALSE(loom::print_wasm_file(engine, bad, path));
  EXPECT_TRUE(std::ifstream(path).good());

  loom::Status unwritable =
      loom::print_wasm_file(engine, add_wasm(engine), temp_path("no/such/dir"));
  ASSERT_FALSE(unwritable);
  EXPECT_EQ(unwritable.error().kind(), loom::ErrorKind::Io);
}

TEST(ApiModule, FromBytesTakesBinaryOrText) {
  loom::Engine engine;
  const std::vector<uint8_t> wasm = add_wasm(engine);
  EXPECT_TRUE(loom::Module::from_bytes(engine, wasm));
  const std::vector<uint8_t> text(kAdd.begin(), kAdd.end());
  EXPECT_TRUE(loom::Module::from_bytes(engine, text));
  const std::string junk = "(module (func (i32.frob)))";
  auto bad = loom::Module::from_bytes(engine, std::vector<uint8_t>(junk.begin(), junk.end()));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind(), loom::ErrorKind::Malformed);
  // The magic number without a version is a truncated binary, not text.
  auto truncated = loom::Module::from_bytes(engine, std::vector<uint8_t>{0x00, 0x61, 0x73, 0x6d});
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().kind(), loom::ErrorKind::Malformed);
  EXPECT_TRUE(truncated.error().location().offset);
}

TEST(ApiEngine, FeatureListAndDefaultTier) {
  const std::vector<loom::FeatureInfo> features = loom::all_features();
  ASSERT_FALSE(features.empty());
  bool saw_simd = false;
  for (const loom::FeatureInfo& f : features) {
    EXPECT_NE(f.name, "core");
    if (f.name == "simd") saw_simd = true;
    EXPECT_TRUE(loom::Engine::create(loom::EngineConfig{}.enable(f.name, false)));
  }
  EXPECT_TRUE(saw_simd);
  EXPECT_NE(loom::default_tier(), loom::Tier::Default);
}

TEST(ApiEngine, TranslatingEngineAcceptsEveryFeature) {
  for (const loom::FeatureInfo& f : loom::all_features()) {
    if (f.interpreted) continue;
    EXPECT_FALSE(loom::Engine::create(loom::EngineConfig{}.enable(f.name)));
    loom::EngineConfig translate;
    translate.execute = false;
    EXPECT_TRUE(loom::Engine::create(translate.enable(f.name))) << f.name;
  }
  loom::EngineConfig translate;
  translate.execute = false;
  EXPECT_FALSE(loom::Engine::create(translate.enable("no-such-feature")));
}

TEST(ApiEngine, JitFallbackReportIsSilentOnTheInterpreter) {
  std::FILE* report = std::tmpfile();
  ASSERT_NE(report, nullptr);
  loom::EngineConfig config;
  config.tier = loom::Tier::Interp;
  config.jit_fallback_report = report;
  auto engine = loom::Engine::create(config);
  ASSERT_TRUE(engine);
  auto module = loom::Module::compile_wat(*engine, kAdd);
  ASSERT_TRUE(module);
  loom::Store store(*engine);
  auto instance = loom::Instance::create(store, *module, {});
  ASSERT_TRUE(instance);
  auto result = instance->get_func("add")->call({int32_t{2}, int32_t{3}});
  ASSERT_TRUE(result);
  EXPECT_EQ((*result)[0].i32(), 5);
  EXPECT_EQ(read_text(report), "");
  std::fclose(report);
}

TEST(ApiWasi, WasiOnlyLinkerNamesTheUnknownImport) {
  loom::Engine engine;
  loom::Linker linker(engine);
  ASSERT_TRUE(linker.define_wasi({}));
  auto module = loom::Module::compile_wat(engine, R"((module (import "env" "f" (func))))");
  ASSERT_TRUE(module);
  loom::Store store(engine);
  auto instance = linker.instantiate(store, *module);
  ASSERT_FALSE(instance);
  EXPECT_EQ(instance.error().kind(), loom::ErrorKind::Link);
  EXPECT_NE(instance.error().message().find("unknown import: \"env\" \"f\": no module"),
            std::string::npos)
      << instance.error().message();
}

TEST(ApiWasi, SocketsFollowThePreopens) {
  int pair[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
  loom::Engine engine;
  loom::Linker linker(engine);
  loom::WasiConfig config;
  config.sockets.push_back(pair[0]);  // fd 3: no preopens
  ASSERT_TRUE(linker.define_wasi(config));
  // sock_send(3, one iovec of "hi") through fd_write, which works on any stream.
  auto module = loom::Module::compile_wat(engine, R"((module
    (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 16) "hi")
    (func (export "send") (result i32)
      (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 2))
      (call $w (i32.const 3) (i32.const 0) (i32.const 1) (i32.const 8)))))");
  ASSERT_TRUE(module) << module.error().message();
  loom::Store store(engine);
  auto instance = linker.instantiate(store, *module);
  ASSERT_TRUE(instance) << instance.error().message();
  auto errno_value = instance->get_func("send")->call({});
  ASSERT_TRUE(errno_value) << errno_value.error().message();
  EXPECT_EQ((*errno_value)[0].i32(), 0);
  char buf[2] = {};
  ASSERT_EQ(read(pair[1], buf, 2), 2);
  EXPECT_EQ(std::string(buf, 2), "hi");
  close(pair[1]);
}

TEST(ApiWast, RunsAScript) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  loom::WastOptions options;
  options.output = out;
  options.engine.tier = loom::Tier::Interp;
  auto summary = loom::run_wast(
      std::string(kAdd) +
          "\n(assert_return (invoke \"add\" (i32.const 1) (i32.const 2)) (i32.const 3))"
          "\n(assert_return (invoke \"add\" (i32.const 1) (i32.const 2)) (i32.const 4))",
      "inline.wast", options);
  ASSERT_TRUE(summary) << summary.error().message();
  EXPECT_EQ(summary->passed, 2u);  // the module and the first assertion
  EXPECT_EQ(summary->failed, 1u);
  EXPECT_NE(read_text(out).find("inline.wast: 2 passed, 1 failed"), std::string::npos);
  std::fclose(out);
}

TEST(ApiWast, ParseErrorsAndMissingFilesCountAsOneFailure) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  loom::WastOptions options;
  options.output = out;
  auto parsed = loom::run_wast("(module", "broken.wast", options);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->failed, 1u);
  auto missing = loom::run_wast_file(temp_path("missing.wast"), options);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->passed, 0u);
  EXPECT_EQ(missing->failed, 1u);
  const std::string text = read_text(out);
  EXPECT_NE(text.find("broken.wast: 0 passed, 1 failed"), std::string::npos) << text;
  EXPECT_NE(text.find("cannot open"), std::string::npos) << text;
  std::fclose(out);
}

TEST(ApiWast, BadEngineConfigFails) {
  loom::WastOptions options;
  options.engine.enable("no-such-feature");
  auto summary = loom::run_wast("", "empty.wast", options);
  ASSERT_FALSE(summary);
  EXPECT_EQ(summary.error().kind(), loom::ErrorKind::Usage);
}

}  // namespace
