#include "cli/file_util.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace loom::cli {

Result<std::vector<uint8_t>> read_file(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return Error{std::string("cannot open: ") + std::strerror(errno)};
  std::vector<uint8_t> bytes;
  uint8_t buffer[1 << 16];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    bytes.insert(bytes.end(), buffer, buffer + n);
  }
  if (std::ferror(file.get())) return Error{std::string("read error: ") + std::strerror(errno)};
  return bytes;
}

}  // namespace loom::cli
