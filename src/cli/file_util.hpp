// Whole-file reading for the CLI: every command reads its inputs through here, so none reads more
// than the module-bytes limit (text/input_file.hpp).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace loom::cli {

Result<std::vector<uint8_t>> read_file(const std::string& path);

}  // namespace loom::cli
