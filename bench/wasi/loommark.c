// loommark: Loom's own CoreMark-like workload (written from scratch, no CoreMark code). Each
// iteration runs the four kinds of work CoreMark measures on small data that stays in cache:
//   - a linked list: find by key, reverse, merge sort by value and back by index;
//   - small int16 matrices: add and multiply by a constant, matrix-vector, matrix-matrix, and a
//     product through a bit-field extraction;
//   - a state machine classifying the number-like tokens of a byte string (then damaged and
//     scanned again);
//   - CRC-16 over every result, which also seeds the next iteration (no iteration can be skipped).
// run.py divides the printed iteration count by the measured time: iterations per second.
#include "bench.h"

#define ITERATIONS BENCH_SIZE(12000, 20)
#define LIST_LEN 180
#define MAT_N 20
#define TEXT_TOKENS 96

// ---- CRC-16 (reflected polynomial 0xA001), bit at a time -------------------------------------
static uint16_t crc16_byte(uint8_t byte, uint16_t crc) {
  crc ^= byte;
  for (int bit = 0; bit < 8; ++bit) crc = (crc & 1u) ? (uint16_t)((crc >> 1) ^ 0xA001u) : crc >> 1;
  return crc;
}
static uint16_t crc16_u16(uint16_t v, uint16_t crc) {
  return crc16_byte((uint8_t)(v >> 8), crc16_byte((uint8_t)v, crc));
}
static uint16_t crc16_u32(uint32_t v, uint16_t crc) {
  return crc16_u16((uint16_t)(v >> 16), crc16_u16((uint16_t)v, crc));
}

// ---- linked list -------------------------------------------------------------------------------
typedef struct Node {
  struct Node* next;
  int16_t value;
  uint16_t index;
} Node;

static Node pool[LIST_LEN];

static Node* list_build(uint16_t seed) {
  for (int i = 0; i < LIST_LEN; ++i) {
    pool[i].index = (uint16_t)i;
    pool[i].value = (int16_t)((i * 7919 + seed) & 0x7fff) - 0x4000;
    pool[i].next = i + 1 < LIST_LEN ? &pool[i + 1] : 0;
  }
  return &pool[0];
}

// Position of the first node whose value has these low 8 bits, or -1.
static int list_find(const Node* n, int16_t key) {
  for (int pos = 0; n; n = n->next, ++pos)
    if ((n->value & 0xff) == (key & 0xff)) return pos;
  return -1;
}

static Node* list_reverse(Node* n) {
  Node* done = 0;
  while (n) {
    Node* next = n->next;
    n->next = done;
    done = n;
    n = next;
  }
  return done;
}

static int by_value(const Node* a, const Node* b) {
  return a->value != b->value ? a->value - b->value : a->index - b->index;
}
static int by_index(const Node* a, const Node* b) {
  return a->index - b->index;
}

// Bottom-up merge sort of a singly linked list: runs of width 1, 2, 4, ... are merged in passes.
static Node* list_sort(Node* head, int (*order)(const Node*, const Node*)) {
  for (int width = 1;; width *= 2) {
    Node* rest = head;
    Node* tail = 0;
    head = 0;
    int merges = 0;
    while (rest) {
      ++merges;
      Node* a = rest;
      int a_len = 0;
      while (rest && a_len < width) rest = rest->next, ++a_len;
      Node* b = rest;
      int b_len = 0;
      while (rest && b_len < width) rest = rest->next, ++b_len;
      while (a_len > 0 || b_len > 0) {
        Node* take;
        if (b_len == 0 || (a_len > 0 && order(a, b) <= 0)) {
          take = a, a = a->next, --a_len;
        } else {
          take = b, b = b->next, --b_len;
        }
        if (tail)
          tail->next = take;
        else
          head = take;
        tail = take;
      }
    }
    tail->next = 0;
    if (merges <= 1) return head;
  }
}

static uint16_t list_work(Node** head, uint16_t seed, uint16_t crc) {
  int found = 0, missing = 0;
  for (int k = 0; k < 6; ++k) {
    int pos = list_find(*head, (int16_t)(seed + k * 37));
    if (pos >= 0)
      found += pos;
    else
      ++missing;
  }
  *head = list_reverse(*head);
  *head = list_sort(*head, by_value);
  // Change a few values in the sorted order, so the next iteration sorts different data.
  Node* n = *head;
  for (int i = 0; n; n = n->next, ++i) {
    if (i < 4) crc = crc16_u16((uint16_t)n->value, crc);
    if ((i & 31) == (seed & 31)) n->value = (int16_t)(n->value ^ (seed & 0x0ff0));
  }
  *head = list_sort(*head, by_index);
  crc = crc16_u16((uint16_t)found, crc);
  return crc16_u16((uint16_t)missing, crc);
}

// ---- matrices ----------------------------------------------------------------------------------
static int16_t mat_a[MAT_N][MAT_N], mat_b[MAT_N][MAT_N], vec[MAT_N];
static int32_t mat_c[MAT_N][MAT_N], vec_out[MAT_N];

static void matrix_build(uint16_t seed) {
  for (int i = 0; i < MAT_N; ++i) {
    vec[i] = (int16_t)((seed + i * 13) % 256 - 128);
    for (int j = 0; j < MAT_N; ++j) {
      mat_a[i][j] = (int16_t)(((i * MAT_N + j + seed) * 31) % 512 - 256);
      mat_b[i][j] = (int16_t)(((i + 3 * j + seed) * 17) % 256 - 128);
    }
  }
}

static uint16_t matrix_summary(uint16_t crc) {
  int32_t sum = 0, above = 0;
  for (int i = 0; i < MAT_N; ++i)
    for (int j = 0; j < MAT_N; ++j) {
      sum += mat_c[i][j];
      above += mat_c[i][j] > sum;
    }
  return crc16_u32((uint32_t)sum, crc16_u16((uint16_t)above, crc));
}

static uint16_t matrix_work(int16_t k, uint16_t crc) {
  for (int i = 0; i < MAT_N; ++i)
    for (int j = 0; j < MAT_N; ++j) mat_a[i][j] = (int16_t)(mat_a[i][j] + k);
  for (int i = 0; i < MAT_N; ++i)
    for (int j = 0; j < MAT_N; ++j) mat_c[i][j] = (int32_t)mat_a[i][j] * k;
  crc = matrix_summary(crc);
  for (int i = 0; i < MAT_N; ++i) {
    int32_t acc = 0;
    for (int j = 0; j < MAT_N; ++j) acc += (int32_t)mat_a[i][j] * vec[j];
    vec_out[i] = acc;
  }
  for (int i = 0; i < MAT_N; ++i) crc = crc16_u32((uint32_t)vec_out[i], crc);
  for (int i = 0; i < MAT_N; ++i)
    for (int j = 0; j < MAT_N; ++j) {
      int32_t acc = 0;
      for (int m = 0; m < MAT_N; ++m) acc += (int32_t)mat_a[i][m] * mat_b[m][j];
      mat_c[i][j] = acc;
    }
  crc = matrix_summary(crc);
  for (int i = 0; i < MAT_N; ++i)
    for (int j = 0; j < MAT_N; ++j) {
      int32_t acc = 0;
      for (int m = 0; m < MAT_N; ++m) {
        int32_t p = (int32_t)mat_a[i][m] * mat_b[m][j];
        acc += ((p >> 2) & 0x0f) * ((p >> 5) & 0x7f);
      }
      mat_c[i][j] = acc;
    }
  crc = matrix_summary(crc);
  for (int i = 0; i < MAT_N; ++i)
    for (int j = 0; j < MAT_N; ++j) mat_a[i][j] = (int16_t)(mat_a[i][j] - k);
  return crc;
}

// ---- state machine -----------------------------------------------------------------------------
enum State {
  START,
  SIGN,
  INTEGER,
  DOT,
  FRACTION,
  EXP_MARK,
  EXP_SIGN,
  EXPONENT,
  ZERO,
  HEX_MARK,
  HEX,
  INVALID,
  STATE_COUNT
};

static char text[TEXT_TOKENS * 12 + 1];
static int text_len;

static void text_build(uint16_t seed) {
  static const char* const samples[] = {"5012",  "-190", "+7",     "3.25",  "-0.125", "1.5e-3",
                                        "6E+12", "0x1f", "0XBEEF", "12a4",  "--3",    "7.e2",
                                        ".5",    "0",    "0x",     "99999", "1e",     "x17"};
  const int sample_count = (int)(sizeof samples / sizeof samples[0]);
  uint32_t s = seed;
  text_len = 0;
  for (int t = 0; t < TEXT_TOKENS; ++t) {
    s = s * 1103515245u + 12345u;
    for (const char* c = samples[(s >> 16) % (uint32_t)sample_count]; *c; ++c)
      text[text_len++] = *c;
    text[text_len++] = ',';
  }
  text[text_len] = 0;
}

static int is_digit(char c) {
  return c >= '0' && c <= '9';
}
static int is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static enum State next_state(enum State s, char c) {
  switch (s) {
    case START:
      if (c == '0') return ZERO;
      if (is_digit(c)) return INTEGER;
      if (c == '+' || c == '-') return SIGN;
      if (c == '.') return DOT;
      return INVALID;
    case SIGN:
      return is_digit(c) ? INTEGER : c == '.' ? DOT : INVALID;
    case ZERO:
      if (c == 'x' || c == 'X') return HEX_MARK;
      if (c == '.') return DOT;
      return is_digit(c) ? INTEGER : INVALID;
    case INTEGER:
      if (is_digit(c)) return INTEGER;
      if (c == '.') return DOT;
      return c == 'e' || c == 'E' ? EXP_MARK : INVALID;
    case DOT:
      return is_digit(c) ? FRACTION : c == 'e' || c == 'E' ? EXP_MARK : INVALID;
    case FRACTION:
      return is_digit(c) ? FRACTION : c == 'e' || c == 'E' ? EXP_MARK : INVALID;
    case EXP_MARK:
      return is_digit(c) ? EXPONENT : c == '+' || c == '-' ? EXP_SIGN : INVALID;
    case EXP_SIGN:
    case EXPONENT:
      return is_digit(c) ? EXPONENT : INVALID;
    case HEX_MARK:
    case HEX:
      return is_hex(c) ? HEX : INVALID;
    default:
      return INVALID;
  }
}

// Classifies every comma-separated token; counts final states and state changes.
static uint16_t scan_text(uint16_t crc) {
  uint32_t finals[STATE_COUNT] = {0};
  uint32_t transitions = 0;
  enum State s = START;
  for (int i = 0; i < text_len; ++i) {
    char c = text[i];
    if (c == ',') {
      ++finals[s];
      s = START;
      continue;
    }
    enum State n = next_state(s, c);
    transitions += n != s;
    s = n;
  }
  for (int k = 0; k < STATE_COUNT; ++k) crc = crc16_u32(finals[k], crc);
  return crc16_u32(transitions, crc);
}

static uint16_t state_work(uint16_t seed, uint16_t crc) {
  crc = scan_text(crc);
  // Damage every 37th character (never a comma), scan again, then repair.
  int start = seed % 37;
  for (int i = start; i < text_len; i += 37)
    if (text[i] != ',') text[i] = (char)(text[i] ^ 0x04);
  crc = scan_text(crc);
  for (int i = start; i < text_len; i += 37)
    if (text[i] != ',') text[i] = (char)(text[i] ^ 0x04);
  return crc;
}

// ---- main --------------------------------------------------------------------------------------
static volatile uint16_t seed_v = 0x3415;

NOINLINE static uint16_t iterate(int iterations) {
  uint16_t seed = seed_v;
  Node* head = list_build(seed);
  matrix_build(seed);
  text_build(seed);
  uint16_t crc = 0;
  for (int it = 0; it < iterations; ++it) {
    crc = list_work(&head, seed, crc);
    crc = matrix_work((int16_t)((seed & 0x3f) + 1), crc);
    crc = state_work(seed, crc);
    seed = (uint16_t)(seed * 31u + crc);
  }
  return crc;
}

int main(void) {
  uint16_t crc = iterate(ITERATIONS);
  printf("iterations %d\n", ITERATIONS);
  print_checksum(crc);
  return 0;
}
