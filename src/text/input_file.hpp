// Reading an input file (a .wasm binary, .wat or .wast source) whole, with the module-bytes limit:
// every command and the WAST runner read through here, so no input (a huge file, a pipe,
// /dev/zero) makes Loom read or allocate more than the limit.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "ir/limits.hpp"
#include "util/result.hpp"

namespace loom {

// Reads at most `max_bytes`: a regular file larger than that fails at once (by its size); pipes
// and devices are read in chunks and fail as soon as one byte more arrives. The error is
// "file too large: implementation limit exceeded: bytes in a module (module-bytes = N)" (when
// `max_bytes` is the limit's value, otherwise it names `max_bytes`), ErrorKind::Exhaustion.
// Errors are "cannot open: ..." and "read error: ..." otherwise (ErrorKind::Io).
Result<std::vector<uint8_t>> read_input_file(const std::string& path,
                                             uint64_t max_bytes = limit_value(Limit::ModuleBytes));

}  // namespace loom
