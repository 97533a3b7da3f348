// custom-page-sizes (proposal): memory types with 1-byte pages through decode, validation, the
// encoder and the runtime memory (sizes, growth across OS pages, the guarded reservation).
#include <gtest/gtest.h>

#include "binary/decoder.hpp"
#include "binary/encoder.hpp"
#include "runtime/memory.hpp"
#include "support/wasm_builder.hpp"
#include "valid/validator.hpp"

namespace loom {
namespace {

Features page_size_features() {
  Features f;
  f.set(Feature::CustomPageSizes, true);
  return f;
}

MemoryType byte_pages(uint64_t min, std::optional<uint64_t> max, bool is64 = false) {
  MemoryType type;
  type.limits.min = min;
  type.limits.max = max;
  type.limits.is64 = is64;
  type.page_size_log2 = 0;
  return type;
}

TEST(PageSize, BytePagesGrowByBytesAcrossOsPages) {
  auto created = MemoryInst::create(byte_pages(3, std::nullopt));
  ASSERT_TRUE(created) << created.error().message;
  MemoryInst& memory = **created;
  EXPECT_EQ(memory.page_size(), 1u);
  EXPECT_EQ(memory.size_bytes(), 3u);
  EXPECT_TRUE(memory.has_guard_region());  // still the 8 GiB reservation
  EXPECT_TRUE(memory.in_bounds(2, 1));
  EXPECT_FALSE(memory.in_bounds(3, 1));
  memory.base()[2] = 7;
  // 3 -> 70,003 bytes: the commit starts inside an OS page that is already writable.
  EXPECT_EQ(memory.grow(70000), 3);
  EXPECT_EQ(memory.pages(), 70003u);
  EXPECT_EQ(memory.base()[2], 7);
  EXPECT_EQ(memory.base()[70002], 0);
  memory.base()[70002] = 1;
  EXPECT_EQ(memory.grow(1), 70003);
  EXPECT_EQ(memory.base()[70003], 0);
}

TEST(PageSize, BytePagesStopAtTheMaximumAndAtFourGiB) {
  auto capped = MemoryInst::create(byte_pages(0, 10));
  ASSERT_TRUE(capped);
  EXPECT_EQ((*capped)->grow(11), -1);
  EXPECT_EQ((*capped)->grow(10), 0);
  auto unbounded = MemoryInst::create(byte_pages(0, std::nullopt));
  ASSERT_TRUE(unbounded);
  EXPECT_EQ((*unbounded)->grow(uint64_t{1} << 32), -1);  // 2^32 pages: memory.size would wrap
}

TEST(PageSize, ValidatorAcceptsOnlyOneAndSixtyFourKiB) {
  Module module;
  module.memories.push_back(byte_pages(0, std::nullopt));
  EXPECT_TRUE(validate_module(module, page_size_features()).ok());
  module.memories[0].page_size_log2 = 3;
  auto invalid = validate_module(module, page_size_features());
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().message, "invalid custom page size");
  // 2^32 one-byte pages do not fit a 32-bit memory; 2^32-1 do.
  module.memories[0] = byte_pages(uint64_t{1} << 32, std::nullopt);
  auto too_large = validate_module(module, page_size_features());
  ASSERT_FALSE(too_large.ok());
  EXPECT_NE(too_large.error().message.find("memory size must be at most"), std::string::npos);
  module.memories[0] = byte_pages(UINT32_MAX, std::nullopt);
  EXPECT_TRUE(validate_module(module, page_size_features()).ok());
}

std::vector<uint8_t> memory_section_module(std::initializer_list<uint8_t> memory_type) {
  using namespace loom::test;
  ModuleBuilder mb;
  mb.section(kMemorySection, Bytes().uleb(1).raw(memory_type));
  return mb.bytes();
}

TEST(PageSize, DecoderReadsTheExponentBehindTheFeature) {
  const auto bytes = memory_section_module({0x08, 0x00, 0x00});  // min 0, page size 2^0
  auto decoded = decode_module(bytes, page_size_features());
  ASSERT_TRUE(decoded.ok()) << decoded.error().to_string();
  EXPECT_EQ(decoded->memories[0].page_size_log2, 0);
  EXPECT_EQ(encode_module(*decoded), bytes);  // the encoder writes flag 0x08 back
  auto off = decode_module(bytes);
  ASSERT_FALSE(off.ok());
  EXPECT_NE(off.error().message.find("malformed memory limits flags"), std::string::npos);
  auto huge = decode_module(memory_section_module({0x08, 0x00, 0x40}), page_size_features());
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.error().message.find("invalid custom page size"), std::string::npos);
}

}  // namespace
}  // namespace loom
