// The JIT's runtime stubs: the entry trampoline (host -> JIT code, an activation record on the
// host stack), the call-out thunk (JIT code -> anything, through JitExecutor::call on the host
// stack), the lazy-compile stub, and the two trap entries that unwind to the innermost
// activation. See docs/runtime-abi.md and compiler_core.hpp for the conventions.
#include <xbyak/xbyak.h>

#include "jit/jit_executor.hpp"

namespace loom::jit {

using namespace Xbyak;
using namespace Xbyak::util;

namespace {

bool callout(JitExecutor* self, FunctionInst* func, Value* cells) {
  return self->run_callout(*func, cells);
}
const void* compile(JitExecutor* self, FunctionInst* func) {
  return self->compile_lazily(*func);
}
void trap_here(JitExecutor* self, uint32_t kind, uint32_t offset, uintptr_t rbp) {
  self->raise_trap(kind, offset, rbp);
}
void trap_at_call_site(JitExecutor* self, uint32_t kind, uintptr_t return_address, uintptr_t rbp) {
  self->raise_at_call_site(kind, return_address, rbp);
}

constexpr size_t kThreadHostRsp = offsetof(JitThread, host_rsp);
constexpr size_t kThreadWasmSp = offsetof(JitThread, wasm_sp);
constexpr size_t kThreadExecutor = offsetof(JitThread, executor);
constexpr size_t kContextThread = offsetof(VmContext, thread);

}  // namespace

bool JitExecutor::generate_stubs() {
  constexpr size_t kBytes = 4096;
  uint8_t* buffer = code_.begin_write(kBytes);
  if (!buffer) return false;
  try {
    CodeGenerator a(kBytes, buffer);
    Label unwind, unwind_trap;

    // int entry(FunctionInst* rdi, Value* cells rsi, JitThread* rdx): 0, or 1 after a trap
    // (then pending_ holds it).
    entry_ = reinterpret_cast<EntryFn>(const_cast<uint8_t*>(a.getCurr()));
    a.push(rbp);
    a.push(rbx);
    a.push(r12);
    a.push(r13);
    a.push(r14);
    a.push(r15);
    a.push(qword[rdx + kThreadHostRsp]);  // the enclosing activation's, restored on the way out
    a.mov(qword[rdx + kThreadHostRsp], rsp);
    a.mov(rax, rdi);
    a.mov(r14, qword[rdi + tier_context_offset()]);
    a.mov(rsp, rsi);
    a.xor_(ebp, ebp);  // ends the frame chain
    a.call(qword[rax + tier_entry_offset()]);
    a.mov(rdx, qword[r14 + kContextThread]);
    a.mov(rsp, qword[rdx + kThreadHostRsp]);
    a.xor_(eax, eax);
    a.L(unwind);  // rdx = thread, rsp = its host_rsp, eax = the result
    a.pop(qword[rdx + kThreadHostRsp]);
    a.pop(r15);
    a.pop(r14);
    a.pop(r13);
    a.pop(r12);
    a.pop(rbx);
    a.pop(rbp);
    a.ret();

    a.L(unwind_trap);
    a.mov(rdx, qword[r14 + kContextThread]);
    a.mov(rsp, qword[rdx + kThreadHostRsp]);
    a.mov(eax, 1);
    a.jmp(unwind);

    // trap_entry: edi = TrapKind, esi = wasm offset, rbp = the trapping frame.
    a.align(16);
    trap_entry_ = a.getCurr();
    a.mov(rcx, qword[r14 + kContextThread]);
    a.mov(rsp, qword[rcx + kThreadHostRsp]);
    a.mov(edx, esi);
    a.mov(esi, edi);
    a.mov(rdi, qword[rcx + kThreadExecutor]);
    a.mov(rcx, rbp);
    a.mov(rax, reinterpret_cast<uint64_t>(&trap_here));
    a.call(rax);
    a.jmp(unwind_trap);

    // call_site_trap_entry: edi = TrapKind (or kPendingTrap), rsi = return address into the
    // frame at rdx (0: the entry trampoline, no wasm frame).
    a.align(16);
    call_site_trap_entry_ = a.getCurr();
    a.mov(rcx, qword[r14 + kContextThread]);
    a.mov(rsp, qword[rcx + kThreadHostRsp]);
    a.mov(r8, rdx);
    a.mov(rdx, rsi);
    a.mov(esi, edi);
    a.mov(rdi, qword[rcx + kThreadExecutor]);
    a.mov(rcx, r8);
    a.mov(rax, reinterpret_cast<uint64_t>(&trap_at_call_site));
    a.call(rax);
    a.jmp(unwind_trap);

    // callout_thunk: rax = callee, cells at [rsp + 8], r14 = the caller's context.
    a.align(16);
    callout_thunk_ = a.getCurr();
    {
      Label failed;
      a.mov(rdx, qword[r14 + kContextThread]);
      a.mov(qword[rdx + kThreadWasmSp], rsp);
      a.mov(rbx, rsp);
      a.mov(rsp, qword[rdx + kThreadHostRsp]);
      a.mov(rdi, qword[rdx + kThreadExecutor]);
      a.mov(rsi, rax);
      a.lea(rdx, ptr[rbx + 8]);
      a.mov(rax, reinterpret_cast<uint64_t>(&callout));
      a.call(rax);
      a.mov(rsp, rbx);
      a.test(al, al);
      a.jz(failed);
      a.ret();
      a.L(failed);
      a.mov(edi, kPendingTrap);
      a.mov(rsi, qword[rsp]);
      a.mov(rdx, rbp);
      a.jmp(call_site_trap_entry_);
    }

    // lazy_stub: as the call-out thunk; compiles the callee, then enters what it became.
    a.align(16);
    lazy_stub_ = a.getCurr();
    a.mov(rdx, qword[r14 + kContextThread]);
    a.mov(qword[rdx + kThreadWasmSp], rsp);
    a.mov(rbx, rsp);
    a.mov(rsp, qword[rdx + kThreadHostRsp]);
    a.push(rax);
    a.push(rax);
    a.mov(rdi, qword[rdx + kThreadExecutor]);
    a.mov(rsi, rax);
    a.mov(rax, reinterpret_cast<uint64_t>(&compile));
    a.call(rax);
    a.mov(rcx, rax);
    a.pop(rax);
    a.pop(rax);
    a.mov(rsp, rbx);
    a.jmp(rcx);
    const size_t used = a.getSize();
    return code_.finish_write(used);
  } catch (const Xbyak::Error&) {
    code_.finish_write(0);
    return false;
  }
}

}  // namespace loom::jit
