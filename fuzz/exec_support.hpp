// Shared by the execution fuzzer and the differential runner: imports satisfied by stubs of the
// right type, so any module can be instantiated without a real host.
#pragma once
#include <functional>
#include <vector>

#include "ir/module.hpp"
#include "runtime/store.hpp"
#include "util/result.hpp"

namespace loom::fuzz {

// Chooses the host function for a function import; an empty callback means "use the default
// stub", which writes zero values to all results.
using HostProvider = std::function<HostCallback(const Import& import, const FuncType& type)>;

// One Extern per import of `module`, in import order: functions from `provider` (or returning
// zeros), memories and tables of exactly the imported limits, globals of the imported type holding
// zero (null). Fails for imports that cannot be stubbed (tags) or that the store refuses to create.
Result<std::vector<Extern>> stub_imports(Store& store, const Module& module,
                                         const HostProvider& provider = {});

}  // namespace loom::fuzz
