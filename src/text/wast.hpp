// WAST scripts (the spec testsuite format) -> a plain list of commands.
//
// Modules are not parsed or decoded here: each is kept as its source (the exact text of a
// `(module ...)`, the concatenated strings of `module quote`, or the bytes of `module binary`), so
// a runner can parse it later and check malformed/invalid expectations itself (wast_module.hpp).
// Constants and expected results are decoded into values, including nan:canonical/nan:arithmetic
// patterns per lane and reference patterns.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/types.hpp"
#include "util/result.hpp"

namespace loom::text {

struct WastModule {
  enum class Kind : uint8_t { Text, Binary, Quote };
  Kind kind = Kind::Text;
  std::optional<std::string> name;  // `$name` (without '$')
  bool definition = false;          // `(module definition ...)`: compile only, do not instantiate
  std::string text;                 // Text: the whole `(module ...)`; Quote: concatenated strings
  std::vector<uint8_t> binary;      // Binary: concatenated strings
  uint32_t line = 0, col = 0;       // position of the module in the script
};

enum class NanPattern : uint8_t { None, Canonical, Arithmetic };

// An argument or expected result.
struct WastValue {
  enum class Kind : uint8_t {
    I32,
    I64,
    F32,
    F64,
    V128,
    RefNull,    // (ref.null ht); as a result: any null of that type
    RefExtern,  // (ref.extern n); as a result without n: any non-null extern reference
    RefFunc,    // (ref.func); as a result: any non-null function reference
    RefHost,    // (ref.host n)
  };
  Kind kind = Kind::I32;
  uint64_t bits = 0;                     // I32/I64/F32/F64 bit pattern; ref payload
  std::array<uint8_t, 16> v128{};        // V128 bytes (little endian lanes)
  ValKind lane_type = ValKind::I32;      // V128: shape of the literal (I8 lanes use I32 + 16 lanes)
  uint8_t lane_count = 0;                // V128: 16, 8, 4 or 2
  NanPattern nan = NanPattern::None;     // F32/F64 results
  std::array<NanPattern, 4> lane_nan{};  // V128 f32x4/f64x2 results
  bool has_payload = false;              // ref.extern / ref.func / ref.host with an index
  HeapType heap;                         // RefNull
};

// One expected result; more than one alternative for `(either ...)`.
struct WastResult {
  std::vector<WastValue> alternatives;
};

struct WastAction {
  enum class Kind : uint8_t { Invoke, Get };
  Kind kind = Kind::Invoke;
  std::optional<std::string> module;  // instance name
  std::string field;
  std::vector<WastValue> args;
};

struct WastCommand {
  enum class Kind : uint8_t {
    Module,          // define (and unless `definition`, instantiate) a module
    ModuleInstance,  // (module instance $I? $M?)
    Register,        // (register "name" $M?)
    Action,          // a bare invoke/get
    AssertReturn,
    AssertTrap,  // action or module
    AssertExhaustion,
    AssertException,  // action that throws a wasm exception to the host (exceptions)
    AssertMalformed,
    AssertInvalid,
    AssertUnlinkable,
    AssertUninstantiable,
  };
  Kind kind = Kind::Module;
  uint32_t line = 0, col = 0;
  std::optional<WastModule> module;  // Module, assert_malformed/invalid/unlinkable/..., trap
  std::optional<WastAction> action;  // Action, AssertReturn, AssertTrap, AssertExhaustion,
                                     // AssertException
  std::vector<WastResult> results;   // AssertReturn
  std::string message;               // expected failure text of the assertions
  std::string name;                  // Register: the import name
  std::optional<std::string> instance, instance_of;  // ModuleInstance: $I, $M; Register: $M
};

struct WastScript {
  std::vector<WastCommand> commands;
};

Result<WastScript> parse_wast(std::string_view text);

}  // namespace loom::text
