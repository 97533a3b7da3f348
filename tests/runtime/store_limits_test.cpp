// Store resource limits (StoreLimits): instantiation fails naming the limit, grow returns -1.
#include <gtest/gtest.h>

#include "binary/decoder.hpp"
#include "runtime/instance.hpp"
#include "support/wasm_builder.hpp"

namespace loom {
namespace {

using namespace loom::test;

std::shared_ptr<const Module> decode(const std::vector<uint8_t>& bytes) {
  auto module = decode_module(std::span<const uint8_t>(bytes));
  EXPECT_TRUE(module) << module.error().to_string();
  return std::make_shared<const Module>(std::move(*module));
}

// `count` tables of funcref, `elements` each.
std::vector<uint8_t> tables_module(uint32_t count, uint32_t elements) {
  std::vector<Bytes> tables(count, Bytes().u8(kFuncRef).append(limits(elements)));
  ModuleBuilder mb;
  mb.section(kTableSection, vec(tables));
  return mb.bytes();
}

// `count` memories of `pages` pages each (multi-memory).
std::vector<uint8_t> memories_module(uint32_t count, uint32_t pages) {
  std::vector<Bytes> memories(count, limits(pages));
  ModuleBuilder mb;
  mb.section(kMemorySection, vec(memories));
  return mb.bytes();
}

TableType funcref_table(uint64_t min) {
  TableType type;
  type.elem = ValType::funcref();
  type.limits.min = min;
  return type;
}
MemoryType memory_pages(uint64_t min) {
  MemoryType type;
  type.limits.min = min;
  return type;
}

// Finding 4: 100 tables of 10M elements in a 638-byte module allocated 8 GB at instantiation.
TEST(Finding4Test, HundredHugeTablesFailInstantiationNamingTheLimit) {
  const std::vector<uint8_t> bytes = tables_module(100, 10'000'000);
  EXPECT_LT(bytes.size(), 700u);
  Store store;
  auto inst = instantiate(store, decode(bytes), {});
  ASSERT_FALSE(inst);
  EXPECT_NE(inst.error().message.find("max-table-elements = 10000000"), std::string::npos)
      << inst.error().message;
  EXPECT_EQ(store.table_elements(), 0u);  // checked before anything was allocated
}

TEST(StoreLimitsTest, TablesUpToTheLimitInstantiate) {
  Store store;
  StoreLimits limits;
  limits.max_table_elements = 2'000;
  store.set_limits(limits);
  EXPECT_TRUE(instantiate(store, decode(tables_module(2, 1'000)), {}));
  EXPECT_EQ(store.table_elements(), 2'000u);
  auto more = instantiate(store, decode(tables_module(1, 1)), {});
  ASSERT_FALSE(more);
  EXPECT_EQ(more.error().message,
            "resource limit exceeded: table elements of the store (max-table-elements = 2000)");
}

TEST(StoreLimitsTest, MemoriesOverTheByteLimitFailInstantiation) {
  // Two full 4 GiB memories pass the default 4 GiB for the store.
  Store store;
  auto inst = instantiate(store, decode(memories_module(2, 65536)), {});
  ASSERT_FALSE(inst);
  EXPECT_EQ(inst.error().message,
            "resource limit exceeded: linear memory bytes of the store (max-memory-size = "
            "4294967296)");
  EXPECT_EQ(store.memory_bytes(), 0u);
  EXPECT_TRUE(instantiate(store, decode(memories_module(1, 65536)), {}));
  EXPECT_EQ(store.memory_bytes(), uint64_t{4} << 30);
}

TEST(StoreLimitsTest, MemoryGrowIsChargedAgainstTheStore) {
  Store store;
  StoreLimits limits;
  limits.max_memory_bytes = 3 * kWasmPageSize;
  store.set_limits(limits);
  auto a = store.create_memory(memory_pages(1));
  auto b = store.create_memory(memory_pages(1));
  ASSERT_TRUE(a && b);
  EXPECT_EQ((*a)->grow(1), 1);
  EXPECT_EQ((*b)->grow(1), -1);  // 4 pages > 3
  EXPECT_EQ((*b)->pages(), 1u);
  EXPECT_EQ((*a)->grow(0), 2);
  EXPECT_EQ(store.memory_bytes(), 3 * kWasmPageSize);
  EXPECT_FALSE(store.create_memory(memory_pages(1)));
  EXPECT_TRUE(store.create_memory(memory_pages(0)));
}

TEST(StoreLimitsTest, TableGrowIsChargedAgainstTheStore) {
  Store store;
  StoreLimits limits;
  limits.max_table_elements = 10;
  store.set_limits(limits);
  auto a = store.create_table(funcref_table(4), nullptr);
  auto b = store.create_table(funcref_table(4), nullptr);
  ASSERT_TRUE(a && b);
  EXPECT_EQ((*a)->grow(2, nullptr), 4);
  EXPECT_EQ((*b)->grow(1, nullptr), -1);
  EXPECT_EQ((*b)->size(), 4u);
  EXPECT_EQ(store.table_elements(), 10u);
  EXPECT_EQ((*a)->grow(UINT64_MAX, nullptr), -1);
  EXPECT_EQ(store.table_elements(), 10u);
}

TEST(StoreLimitsTest, CountsOfInstancesMemoriesAndTables) {
  StoreLimits limits;
  limits.max_instances = 2;
  limits.max_memories = 1;
  limits.max_tables = 3;
  {
    Store store;
    store.set_limits(limits);
    EXPECT_TRUE(instantiate(store, decode(tables_module(0, 0)), {}));
    EXPECT_TRUE(instantiate(store, decode(tables_module(0, 0)), {}));
    auto third = instantiate(store, decode(tables_module(0, 0)), {});
    ASSERT_FALSE(third);
    EXPECT_EQ(third.error().message,
              "resource limit exceeded: instances of the store (max-instances = 2)");
  }
  {
    Store store;
    store.set_limits(limits);
    auto inst = instantiate(store, decode(memories_module(2, 0)), {});
    ASSERT_FALSE(inst);
    EXPECT_EQ(inst.error().message,
              "resource limit exceeded: memories of the store (max-memories = 1)");
    EXPECT_TRUE(store.create_memory(memory_pages(0)));
    EXPECT_FALSE(store.create_memory(memory_pages(0)));
  }
  {
    Store store;
    store.set_limits(limits);
    EXPECT_TRUE(instantiate(store, decode(tables_module(2, 0)), {}));
    auto inst = instantiate(store, decode(tables_module(2, 0)), {});
    ASSERT_FALSE(inst);
    EXPECT_EQ(inst.error().message,
              "resource limit exceeded: tables of the store (max-tables = 3)");
    EXPECT_TRUE(store.create_table(funcref_table(0), nullptr));
    EXPECT_FALSE(store.create_table(funcref_table(0), nullptr));
  }
}

// A 64-bit memory's minimum can be close to 2^64 pages: the byte count saturates.
TEST(StoreLimitsTest, HugeMinimumsDoNotOverflowTheAccounting) {
  Store store;
  MemoryType huge = memory_pages(UINT64_MAX / 2);
  huge.limits.is64 = true;
  EXPECT_FALSE(store.create_memory(huge));
  EXPECT_FALSE(store.create_table(funcref_table(UINT64_MAX), nullptr));
  EXPECT_EQ(store.memory_bytes(), 0u);
  EXPECT_EQ(store.table_elements(), 0u);
}

}  // namespace
}  // namespace loom
