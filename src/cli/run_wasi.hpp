// The WASI side of `loom run`: --dir / --ro-dir / --env / --tcplisten into a WasiConfig.
#pragma once
#include <loom/linker.hpp>
#include <loom/result.hpp>

#include <string>
#include <vector>

namespace loom::cli {

// HOST[::GUEST]: the guest sees HOST under GUEST (default: HOST as written), as in wasmtime.
WasiConfig::Preopen parse_dir(const std::string& spec, bool read_only);
// K=V sets a variable; a bare K passes the host's value through (nothing when it is unset).
void add_env(const std::string& spec, std::vector<std::string>& env);
// A listening TCP socket on HOST:PORT for --tcplisten, as wasmtime's option of that name.
Result<int> listen_on(const std::string& address);

}  // namespace loom::cli
