// A small register-based bytecode interpreter (switch dispatch) running a loop program: the total
// number of Collatz steps for every start value in 1..LIMIT. Branchy, indirect-jump heavy.
#include <stdint.h>

#ifdef __wasm__
#define EXPORT __attribute__((export_name("run")))
#else
#define EXPORT
#endif

#ifdef QUICK  // tiny inputs for the smoke test (bench/wasi/run.py --check)
#define LIMIT 3000
#else
#define LIMIT 100000
#endif

static volatile uint32_t limit_v = LIMIT;

enum { LOADI, MOV, ADD, ADDI, MULI, ANDI, SHRI, XOR, JMP, JZ, JEQ, JLE, HALT };

typedef struct {
  uint8_t op, a, b, c;
  int32_t imm;  // immediate or jump target (instruction index)
} Insn;

// r0 = i, r1 = limit (set by execute), r2 = total steps, r3 = x, r4 = scratch, r5 = 1,
// r6 = running hash of the totals
static Insn code[] = {
    /*  0 */ {LOADI, 0, 0, 0, 1},
    /*  1 */ {LOADI, 2, 0, 0, 0},
    /*  2 */ {LOADI, 5, 0, 0, 1},
    /*  3 */ {LOADI, 6, 0, 0, 0},
    /*  4 loop_i: */ {MOV, 3, 0, 0, 0},
    /*  5 loop_x: */ {JEQ, 3, 5, 0, 14},
    /*  6 */ {ANDI, 4, 3, 0, 1},
    /*  7 */ {JZ, 4, 0, 0, 11},
    /*  8 */ {MULI, 3, 3, 0, 3},
    /*  9 */ {ADDI, 3, 3, 0, 1},
    /* 10 */ {JMP, 0, 0, 0, 12},
    /* 11 even: */ {SHRI, 3, 3, 0, 1},
    /* 12 */ {ADDI, 2, 2, 0, 1},
    /* 13 */ {JMP, 0, 0, 0, 5},
    /* 14 done_x: */ {XOR, 6, 6, 2, 0},
    /* 15 */ {MULI, 6, 6, 0, 31},
    /* 16 */ {ADDI, 0, 0, 0, 1},
    /* 17 */ {JLE, 0, 1, 0, 4},
    /* 18 */ {HALT, 0, 0, 0, 0},
};

__attribute__((noinline)) static uint64_t execute(const Insn* pc0, uint64_t limit) {
  uint64_t r[8] = {0, limit, 0, 0, 0, 0, 0, 0};
  const Insn* pc = pc0;
  for (;;) {
    const Insn in = *pc++;
    switch (in.op) {
      case LOADI: r[in.a] = (uint64_t)(int64_t)in.imm; break;
      case MOV: r[in.a] = r[in.b]; break;
      case ADD: r[in.a] = r[in.b] + r[in.c]; break;
      case ADDI: r[in.a] = r[in.b] + (uint64_t)(int64_t)in.imm; break;
      case MULI: r[in.a] = r[in.b] * (uint64_t)(int64_t)in.imm; break;
      case ANDI: r[in.a] = r[in.b] & (uint64_t)(int64_t)in.imm; break;
      case SHRI: r[in.a] = r[in.b] >> in.imm; break;
      case XOR: r[in.a] = r[in.b] ^ r[in.c]; break;
      case JMP: pc = pc0 + in.imm; break;
      case JZ: if (r[in.a] == 0) pc = pc0 + in.imm; break;
      case JEQ: if (r[in.a] == r[in.b]) pc = pc0 + in.imm; break;
      case JLE: if (r[in.a] <= r[in.b]) pc = pc0 + in.imm; break;
      case HALT: return r[2] * 1000003u ^ r[6];
      default: return 0;
    }
  }
}

EXPORT uint32_t run(void) {
  uint32_t limit = limit_v;
  uint64_t h = execute(code, limit);
  return (uint32_t)h ^ (uint32_t)(h >> 32);
}
