#include "runtime/table.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace loom
