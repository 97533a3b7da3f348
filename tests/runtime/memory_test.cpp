#include "runtime/memory.hpp"

#include <gtest/gtest.h>

#include "ir/limits.hpp"

namespace loom {
namespace {

MemoryType memory_type(uint64_t min, std::optional<uint64_t> max) {
  MemoryType type;
  type.limits.min = min;
  type.limits.max = max;
  return type;
}

TEST(MemoryTest, StartsAtMinimumAndZeroed) {
  auto memory = MemoryInst::create(memory_type(2, std::nullopt));
  ASSERT_TRUE(memory) << memory.error().message;
  EXPECT_EQ((*memory)->pages(), 2u);
  EXPECT_EQ((*memory)->size_bytes(), 2 * kWasmPageSize);
  EXPECT_EQ((*memory)->base()[0], 0);
  EXPECT_EQ((*memory)->base()[2 * kWasmPageSize - 1], 0);
}

TEST(MemoryTest, GrowKeepsBaseAndContents) {
  auto memory = std::move(*MemoryInst::create(memory_type(1, 10)));
  uint8_t* base = memory->base();
  base[100] = 42;
  EXPECT_EQ(memory->grow(3), 1);
  EXPECT_EQ(memory->base(), base);
  EXPECT_EQ(memory->pages(), 4u);
  EXPECT_EQ(base[100], 42);
  base[4 * kWasmPageSize - 1] = 7;  // the new pages are writable
  EXPECT_EQ(memory->grow(0), 4);
}

TEST(MemoryTest, GrowFailsPastMaximum) {
  auto memory = std::move(*MemoryInst::create(memory_type(1, 2)));
  EXPECT_EQ(memory->grow(2), -1);
  EXPECT_EQ(memory->pages(), 1u);
  EXPECT_EQ(memory->grow(1), 1);
  EXPECT_EQ(memory->grow(1), -1);
}

TEST(MemoryTest, GrowFailsPast4GiBWithoutMaximum) {
  auto memory = std::move(*MemoryInst::create(memory_type(0, std::nullopt)));
  EXPECT_EQ(memory->grow(65537), -1);
  EXPECT_EQ(memory->grow(UINT64_MAX), -1);
  EXPECT_EQ(memory->pages(), 0u);
}

TEST(MemoryTest, ThirtyTwoBitMemoryHasGuardRegion) {
  auto memory = std::move(*MemoryInst::create(memory_type(0, std::nullopt)));
  EXPECT_TRUE(memory->has_guard_region());
  EXPECT_NE(memory->base(), nullptr);
}

TEST(MemoryTest, BoundsCheck) {
  auto memory = std::move(*MemoryInst::create(memory_type(1, std::nullopt)));
  EXPECT_TRUE(memory->in_bounds(0, kWasmPageSize));
  EXPECT_TRUE(memory->in_bounds(kWasmPageSize, 0));
  EXPECT_FALSE(memory->in_bounds(kWasmPageSize, 1));
  EXPECT_FALSE(memory->in_bounds(kWasmPageSize - 3, 4));
  EXPECT_FALSE(memory->in_bounds(UINT64_MAX, 2));
}

TEST(MemoryTest, ManyMemoriesCanCoexist) {
  // Each reserves 8 GiB of address space; 64 of them is 512 GiB, well within 47-bit space.
  std::vector<std::unique_ptr<MemoryInst>> memories;
  for (int i = 0; i < 64; ++i) {
    auto memory = MemoryInst::create(memory_type(1, std::nullopt));
    ASSERT_TRUE(memory);
    memories.push_back(std::move(*memory));
  }
}

MemoryType memory64_type(uint64_t min, std::optional<uint64_t> max) {
  MemoryType type = memory_type(min, max);
  type.limits.is64 = true;
  return type;
}

// memory64 sizes come from limits.def (memory64-pages), and a memory asking for more names it.
TEST(MemoryTest, Memory64MaxPagesComesFromLimitsTable) {
  const uint64_t limit = limit_value(Limit::MemoryPages64);
  auto too_big = MemoryInst::create(memory64_type(limit + 1, std::nullopt));
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().message, limit_error(Limit::MemoryPages64));
  auto huge_max = MemoryInst::create(memory64_type(1, uint64_t{1} << 48));
  ASSERT_TRUE(huge_max) << huge_max.error().message;
  EXPECT_FALSE((*huge_max)->has_guard_region());
  EXPECT_EQ((*huge_max)->grow(limit), -1);  // 1 + limit pages
  EXPECT_EQ((*huge_max)->grow(UINT64_MAX), -1);
  EXPECT_EQ((*huge_max)->grow(limit - 1), 1);  // exactly the limit: reserved, never committed
  EXPECT_EQ((*huge_max)->pages(), limit);
  EXPECT_EQ((*huge_max)->grow(1), -1);
}

TEST(MemoryTest, Memory64BoundsCheckNeverWraps) {
  auto memory = std::move(*MemoryInst::create(memory64_type(1, 1)));
  EXPECT_TRUE(memory->in_bounds(kWasmPageSize - 1, 1));
  EXPECT_FALSE(memory->in_bounds(uint64_t{1} << 32, 0));
  EXPECT_FALSE(memory->in_bounds(1, UINT64_MAX));
  EXPECT_FALSE(memory->in_bounds(UINT64_MAX, 1));
}

// A memory without the 8 GiB guard region ends in PROT_NONE address space it can never grow into:
// even a bounds-check bug that reads just past its maximum faults.
TEST(MemoryDeathTest, Memory64AtItsMaximumIsFollowedByAGuard) {
  auto memory = std::move(*MemoryInst::create(memory64_type(1, 1)));
  ASSERT_FALSE(memory->has_guard_region());
  EXPECT_EQ(memory->grow(1), -1);
  volatile uint8_t* past_end = memory->base() + kWasmPageSize;
  EXPECT_DEATH((void)*past_end, "");
  volatile uint8_t* far_past_end = memory->base() + kWasmPageSize + (size_t{1} << 20) - 1;
  EXPECT_DEATH((void)*far_past_end, "");
}

}  // namespace
}  // namespace loom
