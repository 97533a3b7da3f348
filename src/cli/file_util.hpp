// Whole-file reading for the CLI.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace loom::cli {

Result<std::vector<uint8_t>> read_file(const std::string& path);

}  // namespace loom::cli
