#include "runtime/table.hpp"

#include <gtest/gtest.h>

#include "ir/limits.hpp"

namespace loom {
namespace {

TableType table_type(uint64_t min, std::optional<uint64_t> max) {
  TableType type;
  type.limits.min = min;
  type.limits.max = max;
  return type;
}

TEST(TableTest, InitialElementsAreTheInitValue) {
  int marker = 0;
  TableInst table(table_type(3, std::nullopt), &marker);
  EXPECT_EQ(table.size(), 3u);
  EXPECT_EQ(table.get(2), &marker);
}

TEST(TableTest, GrowRespectsMaximum) {
  TableInst table(table_type(1, 3), nullptr);
  EXPECT_EQ(table.grow(2, nullptr), 1);
  EXPECT_EQ(table.grow(1, nullptr), -1);
  EXPECT_EQ(table.size(), 3u);
}

TEST(TableTest, GrowRespectsImplementationLimit) {
  TableInst table(table_type(0, std::nullopt), nullptr);
  EXPECT_EQ(table.grow(0xffffffffu, nullptr), -1);
  EXPECT_EQ(table.grow(UINT64_MAX, nullptr), -1);
  EXPECT_EQ(table.size(), 0u);
}

TEST(TableTest, BoundsCheck) {
  TableInst table(table_type(4, std::nullopt), nullptr);
  EXPECT_TRUE(table.in_bounds(0, 4));
  EXPECT_TRUE(table.in_bounds(4, 0));
  EXPECT_FALSE(table.in_bounds(4, 1));
  EXPECT_FALSE(table.in_bounds(UINT64_MAX, 2));
}

// table64: the same implementation limit (limits.def table-elements), i64 deltas never wrap.
TEST(TableTest, Table64GrowRespectsTableElementsLimit) {
  TableType type = table_type(0, std::nullopt);
  type.limits.is64 = true;
  TableInst table(type, nullptr);
  const uint64_t limit = limit_value(Limit::TableElements);
  EXPECT_EQ(kMaxTableElements, limit);
  EXPECT_EQ(table.grow(limit + 1, nullptr), -1);
  EXPECT_EQ(table.grow(uint64_t{1} << 32, nullptr), -1);
  EXPECT_EQ(table.grow(UINT64_MAX, nullptr), -1);
  EXPECT_EQ(table.grow(2, nullptr), 0);
  EXPECT_EQ(table.grow(UINT64_MAX - 1, nullptr), -1);  // 2 + (2^64 - 2) wraps to 0
  EXPECT_EQ(table.size(), 2u);
}

}  // namespace
}  // namespace loom
