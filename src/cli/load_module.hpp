// Reading a module from a file for the CLI commands: binary (.wasm) or text (.wat), told apart by
// the binary magic number rather than by the file name.
#pragma once
#include <string>

#include "ir/features.hpp"
#include "ir/module.hpp"
#include "util/result.hpp"

namespace loom::cli {

// Reads, decodes or parses, and validates `path`. The error message is ready to print after
// "FILE: ".
Result<Module> load_module(const std::string& path, const Features& features);

}  // namespace loom::cli
