// The interpreter tier: an Executor that runs wasm functions from their translated code.
// Wasm frames live on the interpreter's own stack (never the host's), so deep guest recursion
// traps with "call stack exhausted" instead of overflowing the host stack. The value stack and
// the frame array are mmap'ed between PROT_NONE guard pages: a stray access just outside them
// faults instead of reaching host data.
//
// Interruption: Store::set_executor attaches the interpreter to the store, and the dispatch loop
// reads that store's Interruption (fuel, epoch) through one pointer, only in the ConsumeFuel /
// CheckEpoch operations the compiler emits when InterpreterLimits asks for them.
#pragma once
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "interp/code.hpp"
#include "ir/features.hpp"
#include "runtime/store.hpp"

namespace loom::interp {

struct InterpreterLimits {
  size_t stack_bytes = size_t{64} << 20;  // value stack for all frames (rounded up to pages)
  size_t max_call_depth = 100'000;        // wasm frames, host re-entry included
  // Compile fuel / epoch checks into function entries and loop headers; they read the store's
  // Interruption (Store::set_fuel, Interruption::epoch_deadline).
  bool consume_fuel = false;
  bool epoch_interruption = false;
};

class Interpreter : public Executor {
 public:
  explicit Interpreter(const Features& features, InterpreterLimits limits = {});
  ~Interpreter() override;

  std::optional<Trap> call(FunctionInst& func, std::span<const Value> args,
                           std::span<Value> results) override;
  void attach(Store& store) override {
    interruption_ = &store.interruption();
    store_ = &store;
  }

  // The value stack and the frame array (empty when they could not be mapped); each lies between
  // two guard pages.
  std::span<uint8_t> value_stack() const;
  std::span<uint8_t> frame_array() const;

  // Compiles `func` if it has not been yet (normally done lazily on first call).
  Result<const CompiledFunction*> compiled(FunctionInst& func);

  struct Frame;  // a wasm activation (interpreter.cpp)

  // The dispatch loop. Called with self == nullptr it only fills the handler table.
  static std::optional<Trap> run(Interpreter* self, FunctionInst* entry, uint8_t* fp);

 private:
  const CompiledFunction* compiled_or_error(FunctionInst& func, std::string& error);
  // `rethrown` is set when the host function forwarded a wasm exception (docs/runtime-abi.md).
  static bool call_host(Interpreter* self, FunctionInst& callee, uint8_t* args_at,
                        uint8_t* frame_end, std::string& error, ExceptionInst*& rethrown);
  // A function another tier runs (FunctionInst::tier): called through its executor.
  static bool call_foreign(Interpreter* self, FunctionInst& callee, uint8_t* args_at,
                           uint8_t* frame_end, std::optional<Trap>& trap);
  // Exceptions (exceptions.cpp): a new exception of `tag` with the values at `args` (nullptr
  // when the store cannot hold it, `error` says why), and the result for one that reached the
  // host entry.
  static ExceptionInst* new_exception(Interpreter* self, TagInst* tag, const uint8_t* args,
                                      std::string& error);
  static std::optional<Trap> uncaught(Interpreter* self, ExceptionInst* exception);
  // Whether a host function's failure `error` forwards the uncaught exception of a nested call.
  ExceptionInst* forwarded_exception(const std::string& error) const;

  Features features_;
  InterpreterLimits limits_;
  Interruption unattached_;  // until attach(): no fuel, no deadline
  Interruption* interruption_ = &unattached_;
  Store* store_ = nullptr;                      // from attach(): owns the exceptions
  ExceptionInst* last_uncaught_ = nullptr;      // of the last call that ended in one
  uint8_t* stack_ = nullptr;  // mmap'ed, committed lazily by the kernel
  Frame* frames_ = nullptr;   // max_call_depth activations, mmap'ed, committed as they are used
  size_t depth_ = 0;          // activations in use (all host entries together)
  std::vector<std::unique_ptr<CompiledFunction>> code_;
  size_t frames_bytes_ = 0;       // of frames_ (max_call_depth frames, rounded up to pages)
  uint8_t* stack_top_ = nullptr;  // first free byte: where a host entry places its frame
};

}  // namespace loom::interp
