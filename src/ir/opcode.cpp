#include "ir/opcode.hpp"

#include <array>

namespace loom {
namespace {

// An instruction is simple when its type columns describe it: it has a fixed result or operand.
constexpr bool is_simple(ValKind r, ValKind p1) {
  return r != ValKind::Void || p1 != ValKind::Void;
}

constexpr OpInfo kInfos[] = {
#define LOOM_OP(Name, prefix, code, text, imm, r, p1, p2, p3, nat, feat) \
  OpInfo{text,                                                           \
         prefix,                                                         \
         code,                                                           \
         ImmKind::imm,                                                   \
         ValKind::r,                                                     \
         ValKind::p1,                                                    \
         ValKind::p2,                                                    \
         ValKind::p3,                                                    \
         nat,                                                            \
         Feature::feat,                                                  \
         is_simple(ValKind::r, ValKind::p1)},
#include "ir/opcodes.def"
};
static_assert(sizeof(kInfos) / sizeof(kInfos[0]) == kOpcodeCount);

constexpr uint16_t kNone = 0xffff;

struct Tables {
  std::array<uint16_t, 256> single{};
  std::array<uint16_t, 32> misc{};   // 0xFC
  std::array<uint16_t, 512> simd{};  // 0xFD
  constexpr Tables() {
    single.fill(kNone);
    misc.fill(kNone);
    simd.fill(kNone);
    for (uint16_t i = 0; i < kOpcodeCount; ++i) {
      const OpInfo& info = kInfos[i];
      if (info.prefix == 0)
        single[info.code] = i;
      else if (info.prefix == 0xfc)
        misc[info.code] = i;
      else
        simd[info.code] = i;
    }
  }
};
constexpr Tables kTables;

}  // namespace

const OpInfo& op_info(Opcode op) {
  return kInfos[static_cast<size_t>(op)];
}

std::optional<Opcode> opcode_from_binary(uint8_t prefix, uint32_t code) {
  uint16_t index = kNone;
  if (prefix == 0)
    index = code < 256 ? kTables.single[code] : kNone;
  else if (prefix == 0xfc)
    index = code < kTables.misc.size() ? kTables.misc[code] : kNone;
  else if (prefix == 0xfd)
    index = code < kTables.simd.size() ? kTables.simd[code] : kNone;
  if (index == kNone) return std::nullopt;
  return static_cast<Opcode>(index);
}

}  // namespace loom
