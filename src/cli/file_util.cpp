#include "cli/file_util.hpp"

#include "text/input_file.hpp"

namespace loom::cli {

Result<std::vector<uint8_t>> read_file(const std::string& path) {
  return read_input_file(path, limit_value(Limit::ModuleBytes));
}

}  // namespace loom::cli
