// Writes seeds for fuzz_exec: every module that a spec testsuite script defines, instantiates or
// expects to trap or fail to link, as a binary (text modules are parsed and encoded). Malformed
// and invalid modules are left to fuzz_decode_validate. Duplicates are written once.
//
//   make_exec_seeds <output-dir> FILE.wast...
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "binary/encoder.hpp"
#include "text/wast.hpp"
#include "text/wat.hpp"

namespace {

using namespace loom;  // NOLINT

constexpr size_t kMaxSeedBytes = 64 * 1024;

bool read_file(const std::string& path, std::string& out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  char buffer[65536];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, f)) > 0;) out.append(buffer, n);
  return std::fclose(f) == 0;
}

bool write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  return std::fclose(f) == 0 && ok;
}

bool wants_module(text::WastCommand::Kind kind) {
  using Kind = text::WastCommand::Kind;
  return kind == Kind::Module || kind == Kind::AssertTrap || kind == Kind::AssertUnlinkable ||
         kind == Kind::AssertUninstantiable || kind == Kind::AssertExhaustion;
}

std::optional<std::vector<uint8_t>> module_bytes(const text::WastModule& module) {
  if (module.kind == text::WastModule::Kind::Binary) return module.binary;
  auto parsed = parse_wat(module.text, Features::all());
  if (!parsed) return std::nullopt;
  return encode_module(*parsed);
}

std::string stem(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  const size_t dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(0, dot);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <output-dir> FILE.wast...\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  std::set<std::vector<uint8_t>> seen;
  size_t written = 0;
  for (int i = 2; i < argc; ++i) {
    std::string source;
    if (!read_file(argv[i], source)) {
      std::fprintf(stderr, "cannot read %s\n", argv[i]);
      return 1;
    }
    auto script = text::parse_wast(source);
    if (!script) continue;  // scripts Loom cannot parse yet give no seeds
    size_t n = 0;
    for (const text::WastCommand& command : script->commands) {
      if (!wants_module(command.kind) || !command.module) continue;
      auto bytes = module_bytes(*command.module);
      if (!bytes || bytes->size() > kMaxSeedBytes || !seen.insert(*bytes).second) continue;
      const std::string path = dir + "/" + stem(argv[i]) + "-" + std::to_string(n++) + ".wasm";
      if (!write_file(path, *bytes)) {
        std::fprintf(stderr, "cannot write %s\n", path.c_str());
        return 1;
      }
      ++written;
    }
  }
  std::printf("%zu seeds\n", written);
  return 0;
}
