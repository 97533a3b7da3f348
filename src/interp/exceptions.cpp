// Wasm exceptions in the interpreter (docs/runtime-abi.md "Wasm exceptions"): finding a handler
// in a frame, handing the exception over, creating exceptions and reporting uncaught ones.
#include "interp/exceptions.hpp"

#include <cstring>
#include <new>
#include <vector>

#include "interp/interpreter.hpp"

namespace loom::interp {

const CatchEntry* find_catch(const CompiledFunction& code, uint32_t at, const Instance& instance,
                             const ExceptionInst& exception) {
  const std::vector<HandlerEntry>& handlers = code.handlers;
  uint32_t h = kNoHandler;
  for (size_t i = handlers.size(); i-- > 0;) {
    if (handlers[i].begin <= at && at < handlers[i].end) {
      h = static_cast<uint32_t>(i);
      break;
    }
  }
  // Parents are always older handlers (or a delegate's target), so the walk ends.
  while (h != kNoHandler) {
    for (const CatchEntry& c : handlers[h].catches) {
      if (c.tag == kCatchAllTag || instance.tags[c.tag] == exception.tag) return &c;
    }
    h = handlers[h].parent;
  }
  return nullptr;
}

void land_exception(const CatchEntry& c, ExceptionInst* exception, uint8_t* fp) {
  uint8_t* dst = fp + c.dst;
  if (c.tag != kCatchAllTag) {
    const std::vector<ValType>& params = exception->tag->type->params;
    for (size_t i = 0; i < params.size(); ++i) {
      const size_t width = params[i].kind == ValKind::V128 ? 16 : 8;
      std::memcpy(dst, &exception->fields[i], width);
      dst += width;
    }
  }
  const Ref ref = exception;
  if (c.with_ref) std::memcpy(dst, &ref, sizeof ref);
  if (c.legacy) std::memcpy(fp + c.exn_slot, &ref, sizeof ref);
  if (c.with_ref || c.legacy) exception->referenced = true;
}

ExceptionInst* Interpreter::new_exception(Interpreter* self, TagInst* tag, const uint8_t* args,
                                          std::string& error) {
  if (!self->store_) {
    error = "exceptions need the interpreter attached to its store (Store::set_executor)";
    return nullptr;
  }
  ExceptionInst* exception = nullptr;
  try {
    const std::vector<ValType>& params = tag->type->params;
    std::vector<Value> fields(params.size(), default_value());
    for (size_t i = 0; i < params.size(); ++i) {
      const size_t width = params[i].kind == ValKind::V128 ? 16 : 8;
      std::memcpy(&fields[i], args, width);
      args += width;
    }
    exception = self->store_->create_exception(tag, fields);
  } catch (const std::bad_alloc&) {
    exception = nullptr;
  }
  if (!exception) error = "out of memory: exceptions exceed the store's memory limit";
  return exception;
}

std::optional<Trap> Interpreter::uncaught(Interpreter* self, ExceptionInst* exception) {
  exception->referenced = true;  // the host holds it now
  self->last_uncaught_ = exception;
  Trap trap{TrapKind::UncaughtException,
            std::string(trap_message(TrapKind::UncaughtException)),
            {},
            exception};
  return trap;
}

ExceptionInst* Interpreter::forwarded_exception(const std::string& error) const {
  if (!last_uncaught_ || error != trap_message(TrapKind::UncaughtException)) return nullptr;
  return last_uncaught_;
}

}  // namespace loom::interp
