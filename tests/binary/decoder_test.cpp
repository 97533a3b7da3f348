// decode_module: header, every section, custom and name sections, and every malformed-module error
// with its message and byte offset.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "binary/decoder.hpp"
#include "support/wasm_builder.hpp"

// ---- Allocation tracking ----
// The decoder must never size an allocation by an untrusted count; the tests below check the
// largest single allocation made while decoding a tiny module that claims 2^32-1 elements.
namespace {
std::atomic<size_t> g_largest_allocation{0};

void* tracked_allocate(size_t size) {
  size_t seen = g_largest_allocation.load(std::memory_order_relaxed);
  while (size > seen && !g_largest_allocation.compare_exchange_weak(seen, size)) {
  }
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
}  // namespace

void* operator new(size_t size) {
  return tracked_allocate(size);
}
void* operator new[](size_t size) {
  return tracked_allocate(size);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, size_t) noexcept {
  std::free(p);
}

namespace loom {
namespace {

using namespace loom::test;  // NOLINT: the builder vocabulary reads best unqualified

Result<Module> decode(const std::vector<uint8_t>& bytes, const Features& features = Features()) {
  return decode_module(bytes, features);
}

Module decode_ok(const std::vector<uint8_t>& bytes, const Features& features = Features()) {
  Result<Module> result = decode(bytes, features);
  EXPECT_TRUE(result.ok()) << result.error().to_string();
  if (!result.ok()) return Module{};
  return std::move(result).value();
}

void expect_error(const std::vector<uint8_t>& bytes, const std::string& message, size_t offset,
                  const Features& features = Features()) {
  Result<Module> result = decode(bytes, features);
  ASSERT_FALSE(result.ok()) << "decoded but expected: " << message;
  EXPECT_NE(result.error().message.find(message), std::string::npos)
      << "got: " << result.error().message << "\nexpected: " << message;
  ASSERT_TRUE(result.error().offset.has_value()) << result.error().message;
  EXPECT_EQ(*result.error().offset, offset) << result.error().message;
}

std::vector<uint8_t> header() {
  return ModuleBuilder().bytes();
}

std::vector<uint8_t> concat(std::vector<uint8_t> a, const Bytes& b) {
  a.insert(a.end(), b.vec().begin(), b.vec().end());
  return a;
}

std::vector<uint8_t> slice(const Module& m, ByteRange r) {
  auto s = m.slice(r);
  return std::vector<uint8_t>(s.begin(), s.end());
}

// The offset of the section that starts two bytes before `payload` (id + one-byte size).
size_t section_start(size_t payload) {
  return payload - 2;
}

Features without(Feature f) {
  Features features;
  features.set(f, false);
  return features;
}

// ---- Header ----

TEST(DecodeHeader, EmptyModule) {
  Module m = decode_ok(header());
  EXPECT_TRUE(m.types.empty());
  EXPECT_TRUE(m.functions.empty());
  EXPECT_EQ(m.bytes, header());
}

TEST(DecodeHeader, MagicErrors) {
  // Shorter than the magic: the spec says "unexpected end" (binary.wast).
  expect_error({}, "unexpected end", 0);
  expect_error({0x00, 0x61, 0x73}, "unexpected end", 0);
  expect_error({0x01}, "unexpected end", 0);
  expect_error({0x00, 0x61, 0x73, 0x6e, 1, 0, 0, 0}, "magic header not detected", 0);
  expect_error({0x01, 0x61, 0x73, 0x6d, 1, 0, 0, 0}, "magic header not detected", 0);
  expect_error({'a', 's', 'm', 0x00, 1, 0, 0, 0}, "magic header not detected", 0);
}

TEST(DecodeHeader, VersionErrors) {
  expect_error({0x00, 0x61, 0x73, 0x6d}, "unexpected end", 4);
  expect_error({0x00, 0x61, 0x73, 0x6d, 1, 0, 0}, "unexpected end", 4);
  expect_error({0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0}, "unknown binary version", 4);
  expect_error({0x00, 0x61, 0x73, 0x6d, 0, 0, 0, 1}, "unknown binary version", 4);
  expect_error({0x00, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0}, "unknown binary version", 4);
}

// ---- Section framing ----

TEST(DecodeSections, UnknownSectionIds) {
  expect_error(concat(header(), {14, 0}), "malformed section id 14", 8);
  expect_error(concat(header(), {0x7f, 0}), "malformed section id 127", 8);
  expect_error(concat(header(), {0x80, 0}), "malformed section id 128", 8);
  // The tag section exists only with exceptions.
  expect_error(concat(header(), {13, 0}), "malformed section id 13", 8, Features::wasm20());
}

TEST(DecodeSections, TruncatedSectionSize) {
  expect_error(concat(header(), {kTypeSection}), "unexpected end", 9);
  expect_error(concat(header(), {kTypeSection, 0x80}), "unexpected end", 10);
  expect_error(concat(header(), {kTypeSection, 0x80, 0x80, 0x80, 0x80, 0x80}),
               "integer representation too long", 9);
  expect_error(concat(header(), {kTypeSection, 0xff, 0xff, 0xff, 0xff, 0x7f}), "integer too large",
               9);
}

TEST(DecodeSections, SectionSizeBeyondEndOfFile) {
  expect_error(concat(header(), {kTypeSection, 5, 0}), "length out of bounds", 10);
}

TEST(DecodeSections, GigabyteSectionSizeInHundredByteFile) {
  Bytes file;
  file.raw({0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0}).u8(kCodeSection).uleb(1u << 30);
  const size_t after_size = file.size();
  while (file.size() < 100) file.u8(0);
  ASSERT_EQ(file.size(), 100u);
  expect_error(file, "length out of bounds", after_size);
}

TEST(DecodeSections, SectionSizeMismatch) {
  // One type plus a stray byte the type section's size still covers.
  ModuleBuilder mb;
  const size_t payload = mb.section(kTypeSection, vec({func_type({}, {})}).u8(0x00));
  expect_error(mb.bytes(), "section size mismatch", payload + 4);
}

TEST(DecodeSections, SectionTooShortForItsContent) {
  // count 1, functype, one param, then the section ends before the result count.
  ModuleBuilder mb;
  const size_t payload = mb.section(kTypeSection, Bytes{0x01, 0x60, 0x01, kI32});
  expect_error(mb.bytes(), "unexpected end of section or function", payload + 4);
}

TEST(DecodeSections, EmptySectionsAreFine) {
  ModuleBuilder mb;
  for (uint8_t id : {kTypeSection, kImportSection, kFunctionSection, kTableSection, kMemorySection,
                     kGlobalSection, kExportSection, kElementSection}) {
    mb.section(id, vec({}));
  }
  mb.section(kDataCountSection, uleb(0));
  mb.section(kCodeSection, vec({}));
  mb.section(kDataSection, vec({}));
  Module m = decode_ok(mb.bytes());
  EXPECT_EQ(m.data_count, 0u);
}

TEST(DecodeSections, RepeatedSection) {
  ModuleBuilder mb;
  mb.section(kTypeSection, vec({}));
  const size_t second = mb.section(kTypeSection, vec({}));
  expect_error(mb.bytes(), "repeated", section_start(second));
  expect_error(mb.bytes(), "unexpected content after last section", section_start(second));
}

TEST(DecodeSections, OutOfOrderSections) {
  {
    ModuleBuilder mb;
    mb.section(kFunctionSection, vec_u32({}));
    const size_t type = mb.section(kTypeSection, vec({}));
    expect_error(mb.bytes(), "out of order", section_start(type));
  }
  {
    // Data count belongs between element and code.
    ModuleBuilder mb;
    mb.section(kCodeSection, vec({}));
    const size_t data_count = mb.section(kDataCountSection, uleb(0));
    expect_error(mb.bytes(), "out of order", section_start(data_count));
  }
  {
    ModuleBuilder mb;
    mb.section(kDataCountSection, uleb(0));
    const size_t element = mb.section(kElementSection, vec({}));
    expect_error(mb.bytes(), "out of order", section_start(element));
  }
  {
    ModuleBuilder mb;
    mb.section(kDataSection, vec({}));
    const size_t start = mb.section(kStartSection, uleb(0));
    expect_error(mb.bytes(), "out of order", section_start(start));
  }
}

TEST(DecodeSections, CustomSectionsMayAppearAnywhere) {
  ModuleBuilder mb;
  mb.custom("first", Bytes{1, 2, 3});
  mb.section(kTypeSection, vec({func_type({}, {})}));
  mb.custom("after-type", Bytes{});
  mb.section(kFunctionSection, vec_u32({0}));
  mb.section(kDataCountSection, uleb(0));
  mb.custom("after-datacount", Bytes{9});
  mb.section(kCodeSection, vec({body({}, Bytes{op::kEnd})}));
  mb.section(kDataSection, vec({}));
  const size_t last = mb.custom("last", Bytes{4, 5});
  Module m = decode_ok(mb.bytes());
  ASSERT_EQ(m.customs.size(), 4u);
  EXPECT_EQ(m.customs[0].name, "first");
  EXPECT_EQ(m.customs[0].after_section, 0);
  EXPECT_EQ(slice(m, m.customs[0].data), (std::vector<uint8_t>{1, 2, 3}));
  EXPECT_EQ(m.customs[1].name, "after-type");
  EXPECT_EQ(m.customs[1].after_section, kTypeSection);
  EXPECT_TRUE(m.customs[1].data.empty());
  EXPECT_EQ(m.customs[2].name, "after-datacount");
  EXPECT_EQ(m.customs[2].after_section, kDataCountSection);
  EXPECT_EQ(m.customs[3].name, "last");
  EXPECT_EQ(m.customs[3].after_section, kDataSection);
  EXPECT_EQ(m.customs[3].data.begin, last + 5);  // after the name "last" and its length
  EXPECT_EQ(slice(m, m.customs[3].data), (std::vector<uint8_t>{4, 5}));
}

TEST(DecodeSections, CustomSectionNameErrors) {
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(kCustomSection, Bytes{});
    expect_error(mb.bytes(), "unexpected end", payload);
  }
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(kCustomSection, Bytes().name("\xc0\x80"));
    expect_error(mb.bytes(), "malformed UTF-8 encoding", payload + 1);
  }
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(kCustomSection, Bytes{0x05, 'a'});
    expect_error(mb.bytes(), "length out of bounds", payload + 1);
  }
}

// ---- Type section ----

TEST(DecodeTypes, FunctionTypes) {
  ModuleBuilder mb;
  mb.section(kTypeSection, vec({func_type({}, {}), func_type({kI32, kI64}, {kF32}),
                                func_type({kV128, kFuncRef, kExternRef}, {kF64, kI32})}));
  Module m = decode_ok(mb.bytes());
  ASSERT_EQ(m.types.size(), 3u);
  EXPECT_EQ(m.types[0], FuncType{});
  EXPECT_EQ(m.types[1], (FuncType{{ValKind::I32, ValKind::I64}, {ValKind::F32}}));
  EXPECT_EQ(m.types[2], (FuncType{{ValKind::V128, ValType::funcref(), ValType::externref()},
                                  {ValKind::F64, ValKind::I32}}));
}

TEST(DecodeTypes, Errors) {
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(kTypeSection, Bytes{0x01, 0x5f, 0x00, 0x00});
    expect_error(mb.bytes(), "malformed functype", payload + 1);
  }
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(kTypeSection, vec({func_type({kI32, 0x7a}, {})}));
    expect_error(mb.bytes(), "malformed value type", payload + 4);
  }
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(kTypeSection, vec({func_type({}, {kV128})}));
    expect_error(mb.bytes(), "malformed value type", payload + 4, without(Feature::Simd));
  }
  {
    // Reported just past the offending type.
    ModuleBuilder mb;
    const size_t payload = mb.section(kTypeSection, vec({func_type({}, {kI32, kI32})}));
    expect_error(mb.bytes(), "invalid result arity", payload + 6, without(Feature::MultiValue));
  }
}

// ---- Import section ----

TEST(DecodeImports, EveryKind) {
  ModuleBuilder mb;
  mb.section(kTypeSection, vec({func_type({kI32}, {})}));
  mb.section(kImportSection,
             vec({import_func("env", "f", 0), import_table("env", "t", kFuncRef, limits(1, 10)),
                  import_memory("env", "m", limits(1)), import_global("env", "g", kI64, true),
                  import_global("\xe2\x82\xac", "", kF64, false)}));
  Module m = decode_ok(mb.bytes());
  ASSERT_EQ(m.imports.size(), 5u);
  EXPECT_EQ(m.imports[0].module, "env");
  EXPECT_EQ(m.imports[0].field, "f");
  EXPECT_EQ(m.imports[0].kind, ExternKind::Func);
  EXPECT_EQ(m.imports[0].func_type, 0u);
  EXPECT_EQ(m.imports[1].kind, ExternKind::Table);
  EXPECT_EQ(m.imports[1].table.elem, ValType::funcref());
  EXPECT_EQ(m.imports[1].table.limits, (Limits{1, 10}));
  EXPECT_EQ(m.imports[2].kind, ExternKind::Memory);
  EXPECT_EQ(m.imports[2].memory.limits, (Limits{1, std::nullopt}));
  EXPECT_EQ(m.imports[3].kind, ExternKind::Global);
  EXPECT_EQ(m.imports[3].global, (GlobalType{ValKind::I64, true}));
  EXPECT_EQ(m.imports[4].module, "\xe2\x82\xac");
  EXPECT_EQ(m.imports[4].field, "");
  EXPECT_EQ(m.imports[4].global, (GlobalType{ValKind::F64, false}));
  EXPECT_EQ(m.num_imported_funcs(), 1u);
  EXPECT_EQ(m.num_imported_tables(), 1u);
  EXPECT_EQ(m.num_imported_memories(), 1u);
  EXPECT_EQ(m.num_imported_globals(), 2u);
  EXPECT_EQ(m.global_type(1), (GlobalType{ValKind::F64, false}));
}

TEST(DecodeImports, TagImportNeedsExceptions) {
  const Bytes tag = Bytes().name("m").name("t").u8(4).u8(0).uleb(0);
  {
    ModuleBuilder mb;
    mb.section(kTypeSection, vec({func_type({kI32}, {})}));
    const size_t payload = mb.section(kImportSection, vec({tag}));
    expect_error(mb.bytes(), "malformed import kind", payload + 5, Features::wasm20());
  }
  ModuleBuilder mb;
  mb.section(kTypeSection, vec({func_type({kI32}, {})}));
  mb.section(kImportSection, vec({tag}));
  Module m = decode_ok(mb.bytes(), Features::all());
  ASSERT_EQ(m.imports.size(), 1u);
  EXPECT_EQ(m.imports[0].kind, ExternKind::Tag);
  EXPECT_EQ(m.imported_tags.size(), 1u);
}

TEST(DecodeImports, Errors) {
  {
    ModuleBuilder mb;
    const size_t payload =
        mb.section(kImportSection, vec({Bytes().name("a").name("b").u8(5).u8(0)}));
    expect_error(mb.bytes(), "malformed import kind", payload + 5, Features::wasm20());
  }
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(kImportSection, vec({import_func("\xed\xa0\x80", "b", 0)}));
    expect_error(mb.bytes(), "malformed UTF-8 encoding", payload + 2);
  }
  {
    ModuleBuilder mb;
    const size_t payload =
        mb.section(kImportSection, vec({import_func("a", "\xf4\x90\x80\x80", 0)}));
    expect_error(mb.bytes(), "malformed UTF-8 encoding", payload + 4);
  }
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(kImportSection, Bytes{0x01, 0x01, 'a', 0x09, 'b', 0, 0});
    expect_error(mb.bytes(), "length out of bounds", payload + 4);
  }
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(
        kImportSection, vec({Bytes().name("a").name("b").u8(kExternGlobal).u8(kI32).u8(2)}));
    expect_error(mb.bytes(), "malformed mutability", payload + 7);
  }
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(
        kImportSection, vec({Bytes().name("a").name("b").u8(kExternMemory).u8(2).u8(1)}));
    expect_error(mb.bytes(), "malformed memory limits flags", payload + 6);
  }
  {
    ModuleBuilder mb;
    const size_t payload =
        mb.section(kImportSection,
                   vec({Bytes().name("a").name("b").u8(kExternTable).u8(kFuncRef).u8(2).u8(1)}));
    expect_error(mb.bytes(), "malformed table limits flags", payload + 7);
  }
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(
        kImportSection, vec({Bytes().name("a").name("b").u8(kExternTable).u8(kI32).u8(0).u8(1)}));
    expect_error(mb.bytes(), "malformed reference type", payload + 6);
  }
}

// ---- Function, table, memory, global, export, start ----

TEST(DecodeFunctions, TypeIndices) {
  ModuleBuilder mb;
  mb.section(kTypeSection, vec({func_type({}, {}), func_type({kI32}, {})}));
  mb.section(kFunctionSection, vec_u32({1, 0, 1, 300}));
  mb.section(kCodeSection, vec({body({}, Bytes{op::kEnd}), body({}, Bytes{op::kEnd}),
                                body({}, Bytes{op::kEnd}), body({}, Bytes{op::kEnd})}));
  Module m = decode_ok(mb.bytes());
  EXPECT_EQ(m.functions, (std::vector<uint32_t>{1, 0, 1, 300}));  // range checks are validation
}

TEST(DecodeTables, Tables) {
  ModuleBuilder mb;
  mb.section(kTableSection,
             vec({Bytes{kFuncRef}.append(limits(0)), Bytes{kExternRef}.append(limits(2, 10))}));
  Module m = decode_ok(mb.bytes());
  ASSERT_EQ(m.tables.size(), 2u);
  EXPECT_EQ(m.tables[0].type.elem, ValType::funcref());
  EXPECT_EQ(m.tables[0].type.limits, (Limits{0, std::nullopt}));
  EXPECT_FALSE(m.tables[0].has_init);
  EXPECT_EQ(m.tables[1].type.elem, ValType::externref());
  EXPECT_EQ(m.tables[1].type.limits, (Limits{2, 10}));
}

TEST(DecodeTables, TableWithInitializerNeedsFunctionReferences) {
  const Bytes entry = Bytes{0x40, 0x00, kFuncRef}.append(limits(1)).append(ref_null_expr(kFuncRef));
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(kTableSection, vec({entry}));
    expect_error(mb.bytes(), "malformed reference type", payload + 1, Features::wasm20());
  }
  ModuleBuilder mb;
  const size_t payload = mb.section(kTableSection, vec({entry}));
  Module m = decode_ok(mb.bytes(), Features::all());
  ASSERT_EQ(m.tables.size(), 1u);
  EXPECT_TRUE(m.tables[0].has_init);
  EXPECT_EQ(m.tables[0].init.range.begin, payload + 6);
  EXPECT_EQ(slice(m, m.tables[0].init.range), ref_null_expr(kFuncRef).vec());
}

TEST(DecodeMemories, LimitsForms) {
  ModuleBuilder mb;
  mb.section(kMemorySection, vec({limits(1), limits(0, 65536)}));
  Module m = decode_ok(mb.bytes());
  ASSERT_EQ(m.memories.size(), 2u);
  EXPECT_EQ(m.memories[0].limits, (Limits{1, std::nullopt}));
  EXPECT_EQ(m.memories[1].limits, (Limits{0, 65536}));
}

TEST(DecodeMemories, SharedAndMemory64NeedTheirFeatures) {
  const Bytes shared = Bytes{0x03}.uleb(1).uleb(2);
  const Bytes wide = Bytes{0x05}.uleb(uint64_t{1} << 33).uleb(uint64_t{1} << 34);
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(kMemorySection, vec({shared}));
    expect_error(mb.bytes(), "malformed memory limits flags", payload + 1);
  }
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(kMemorySection, vec({wide}));
    // memory64 is on by default (features.def): WebAssembly 2.0 rejects the i64 flag.
    expect_error(mb.bytes(), "malformed memory limits flags", payload + 1, Features::wasm20());
  }
  ModuleBuilder mb;
  mb.section(kMemorySection, vec({shared, wide}));
  Module m = decode_ok(mb.bytes(), Features::all());
  ASSERT_EQ(m.memories.size(), 2u);
  EXPECT_TRUE(m.memories[0].limits.shared);
  EXPECT_EQ(m.memories[0].limits.max, 2u);
  EXPECT_TRUE(m.memories[1].limits.is64);
  EXPECT_EQ(m.memories[1].limits.min, uint64_t{1} << 33);
  EXPECT_EQ(m.memories[1].limits.max, uint64_t{1} << 34);
}

TEST(DecodeMemories, LimitErrors) {
  {
    ModuleBuilder mb;
    // (0x08 is the custom-page-sizes flag, defined under Features::all(); 0x10 is not.)
    const size_t payload = mb.section(kMemorySection, Bytes{0x01, 0x10, 0x00});
    expect_error(mb.bytes(), "malformed memory limits flags", payload + 1, Features::all());
  }
  {
    ModuleBuilder mb;
    const size_t payload =
        mb.section(kMemorySection, Bytes{0x01, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10});
    expect_error(mb.bytes(), "integer too large", payload + 2);
  }
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(kMemorySection, Bytes{0x01, 0x01, 0x00});
    expect_error(mb.bytes(), "unexpected end of section or function", payload + 3);
  }
}

TEST(DecodeGlobals, TypesAndInitializers) {
  ModuleBuilder mb;
  const size_t payload = mb.section(
      kGlobalSection, vec({global_entry(kI32, false, i32_const_expr(42)),
                           global_entry(kI64, true, i64_const_expr(-1)),
                           global_entry(kF64, false, Bytes{op::kF64Const}.f64(1.5).u8(op::kEnd)),
                           global_entry(kFuncRef, false, ref_null_expr(kFuncRef))}));
  Module m = decode_ok(mb.bytes());
  ASSERT_EQ(m.globals.size(), 4u);
  EXPECT_EQ(m.globals[0].type, (GlobalType{ValKind::I32, false}));
  EXPECT_EQ(m.globals[0].init.range.begin, payload + 3);
  EXPECT_EQ(slice(m, m.globals[0].init.range), i32_const_expr(42).vec());
  EXPECT_EQ(m.globals[1].type, (GlobalType{ValKind::I64, true}));
  EXPECT_EQ(slice(m, m.globals[1].init.range), i64_const_expr(-1).vec());
  EXPECT_EQ(slice(m, m.globals[2].init.range).size(), 10u);
  EXPECT_EQ(m.globals[3].type.type, ValType::funcref());
}

TEST(DecodeGlobals, InitializerWithNestedBlockKeepsItsOwnEnds) {
  // Not a constant expression, but well-formed: the expression ends at the outer `end`.
  const Bytes init = Bytes{op::kBlock, kI32, op::kI32Const, 1, op::kEnd, op::kEnd};
  ModuleBuilder mb;
  mb.section(kGlobalSection,
             vec({global_entry(kI32, false, init), global_entry(kI32, false, i32_const_expr(2))}));
  Module m = decode_ok(mb.bytes());
  ASSERT_EQ(m.globals.size(), 2u);
  EXPECT_EQ(slice(m, m.globals[0].init.range), init.vec());
  EXPECT_EQ(slice(m, m.globals[1].init.range), i32_const_expr(2).vec());
}

TEST(DecodeGlobals, Errors) {
  {
    ModuleBuilder mb;
    const size_t payload =
        mb.section(kGlobalSection, vec({Bytes{kI32, 0x02, op::kI32Const, 0, op::kEnd}}));
    expect_error(mb.bytes(), "malformed mutability", payload + 2);
  }
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(kGlobalSection, Bytes{0x01, kI32, 0x00, op::kI32Const, 0x01});
    expect_error(mb.bytes(), "unexpected end of section or function", payload + 5);
  }
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(kGlobalSection, Bytes{0x01, kI32, 0x00, 0x06, op::kEnd});
    expect_error(mb.bytes(), "illegal opcode 0x06", payload + 3, Features::wasm20());
  }
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(kGlobalSection, Bytes{0x01, kI32, 0x00, op::kI32Const, 0xff,
                                                            0xff, 0xff, 0xff, 0x0f, op::kEnd});
    expect_error(mb.bytes(), "integer too large", payload + 4);
  }
}

TEST(DecodeExports, Entries) {
  ModuleBuilder mb;
  mb.section(kExportSection,
             vec({export_entry("f", kExternFunc, 0), export_entry("tbl", kExternTable, 1),
                  export_entry("mem", kExternMemory, 0), export_entry("", kExternGlobal, 7)}));
  Module m = decode_ok(mb.bytes());
  ASSERT_EQ(m.exports.size(), 4u);
  EXPECT_EQ(m.exports[0].name, "f");
  EXPECT_EQ(m.exports[0].kind, ExternKind::Func);
  EXPECT_EQ(m.exports[1].kind, ExternKind::Table);
  EXPECT_EQ(m.exports[1].index, 1u);
  EXPECT_EQ(m.exports[2].kind, ExternKind::Memory);
  EXPECT_EQ(m.exports[3].name, "");
  EXPECT_EQ(m.exports[3].kind, ExternKind::Global);
  EXPECT_EQ(m.exports[3].index, 7u);
}

TEST(DecodeExports, Errors) {
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(kExportSection, vec({export_entry("f", 4, 0)}));
    expect_error(mb.bytes(), "malformed export kind", payload + 3, Features::wasm20());
  }
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(kExportSection, vec({export_entry("\xff", kExternFunc, 0)}));
    expect_error(mb.bytes(), "malformed UTF-8 encoding", payload + 2);
  }
}

TEST(DecodeStart, Index) {
  ModuleBuilder mb;
  mb.section(kStartSection, uleb(1234));
  Module m = decode_ok(mb.bytes());
  EXPECT_EQ(m.start, 1234u);

  ModuleBuilder extra;
  const size_t payload = extra.section(kStartSection, Bytes{0x00, 0x00});
  expect_error(extra.bytes(), "section size mismatch", payload + 1);
}

// ---- Element section: all eight encodings ----

TEST(DecodeElements, AllEightEncodings) {
  ModuleBuilder mb;
  const std::vector<Bytes> segments = {
      Bytes{0x00}.append(i32_const_expr(0)).append(vec_u32({0, 1})),
      Bytes{0x01, 0x00}.append(vec_u32({1})),
      Bytes{0x02}.uleb(3).append(i32_const_expr(1)).u8(0x00).append(vec_u32({0})),
      Bytes{0x03, 0x00}.append(vec_u32({1, 0, 1})),
      Bytes{0x04}
          .append(i32_const_expr(2))
          .append(vec({ref_func_expr(0), ref_null_expr(kFuncRef)})),
      Bytes{0x05, kExternRef}.append(vec({ref_null_expr(kExternRef)})),
      Bytes{0x06}.uleb(2).append(i32_const_expr(3)).u8(kFuncRef).append(vec({ref_func_expr(1)})),
      Bytes{0x07, kFuncRef}.append(vec({ref_func_expr(0), ref_func_expr(1)})),
  };
  mb.section(kElementSection, vec(segments));
  Module m = decode_ok(mb.bytes());
  ASSERT_EQ(m.elems.size(), 8u);
  const auto& e = m.elems;
  for (uint32_t i = 0; i < 8; ++i) EXPECT_EQ(e[i].flags, i);

  EXPECT_EQ(e[0].mode, SegmentMode::Active);
  EXPECT_EQ(e[0].table, 0u);
  EXPECT_EQ(slice(m, e[0].offset.range), i32_const_expr(0).vec());
  // Function indices are never null: (ref func) with typed references (on by default).
  EXPECT_EQ(e[0].type, ValType::ref(HeapType::abstract(AbsHeap::Func), false));
  EXPECT_EQ(e[0].func_indices, (std::vector<uint32_t>{0, 1}));

  EXPECT_EQ(e[1].mode, SegmentMode::Passive);
  EXPECT_EQ(e[1].func_indices, (std::vector<uint32_t>{1}));

  EXPECT_EQ(e[2].mode, SegmentMode::Active);
  EXPECT_EQ(e[2].table, 3u);
  EXPECT_EQ(slice(m, e[2].offset.range), i32_const_expr(1).vec());
  EXPECT_EQ(e[2].func_indices, (std::vector<uint32_t>{0}));

  EXPECT_EQ(e[3].mode, SegmentMode::Declarative);
  EXPECT_EQ(e[3].func_indices, (std::vector<uint32_t>{1, 0, 1}));
  EXPECT_EQ(e[3].item_count(), 3u);

  EXPECT_EQ(e[4].mode, SegmentMode::Active);
  EXPECT_EQ(e[4].type, ValType::funcref());
  ASSERT_EQ(e[4].exprs.size(), 2u);
  EXPECT_EQ(slice(m, e[4].exprs[0].range), ref_func_expr(0).vec());
  EXPECT_EQ(slice(m, e[4].exprs[1].range), ref_null_expr(kFuncRef).vec());
  EXPECT_TRUE(e[4].func_indices.empty());

  EXPECT_EQ(e[5].mode, SegmentMode::Passive);
  EXPECT_EQ(e[5].type, ValType::externref());
  ASSERT_EQ(e[5].exprs.size(), 1u);

  EXPECT_EQ(e[6].mode, SegmentMode::Active);
  EXPECT_EQ(e[6].table, 2u);
  EXPECT_EQ(slice(m, e[6].offset.range), i32_const_expr(3).vec());
  ASSERT_EQ(e[6].exprs.size(), 1u);

  EXPECT_EQ(e[7].mode, SegmentMode::Declarative);
  EXPECT_EQ(e[7].item_count(), 2u);
}

TEST(DecodeElements, Errors) {
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(kElementSection, vec({Bytes{0x08, 0x00}}));
    expect_error(mb.bytes(), "malformed elements segment kind", payload + 1);
  }
  {
    ModuleBuilder mb;
    const size_t payload =
        mb.section(kElementSection, vec({Bytes{0x80, 0x80, 0x80, 0x80, 0x01, 0x00, 0x00}}));
    expect_error(mb.bytes(), "malformed elements segment kind", payload + 1);
  }
  {
    ModuleBuilder mb;
    const size_t payload =
        mb.section(kElementSection, vec({Bytes{0x01, 0x01}.append(vec_u32({0}))}));
    expect_error(mb.bytes(), "malformed element kind", payload + 2);
  }
  {
    ModuleBuilder mb;
    const size_t payload =
        mb.section(kElementSection, vec({Bytes{0x05, kI32}.append(vec({ref_func_expr(0)}))}));
    expect_error(mb.bytes(), "malformed reference type", payload + 2);
  }
  {
    // Items claimed but missing.
    ModuleBuilder mb;
    const size_t payload = mb.section(kElementSection, vec({Bytes{0x01, 0x00, 0x03, 0x00}}));
    expect_error(mb.bytes(), "unexpected end of section or function", payload + 4);
  }
}

// ---- Data count, code, data ----

TEST(DecodeCode, BodiesAndLocals) {
  ModuleBuilder mb;
  mb.section(kTypeSection, vec({func_type({kI32}, {kI32})}));
  mb.section(kFunctionSection, vec_u32({0, 0}));
  const Bytes code0 = Bytes{op::kLocalGet, 0, op::kEnd};
  const Bytes code1 = Bytes{op::kLocalGet, 3, op::kEnd};
  const size_t payload = mb.section(
      kCodeSection, vec({body({}, code0), body({{2, kI32}, {1, kF64}, {0, kI64}}, code1)}));
  Module m = decode_ok(mb.bytes());
  ASSERT_EQ(m.bodies.size(), 2u);
  EXPECT_EQ(m.bodies[0].offset, payload + 2);
  EXPECT_TRUE(m.bodies[0].locals.empty());
  EXPECT_EQ(m.bodies[0].local_count, 0u);
  EXPECT_EQ(m.bodies[0].code.begin, payload + 3);
  EXPECT_EQ(slice(m, m.bodies[0].code), code0.vec());

  const FunctionBody& b = m.bodies[1];
  EXPECT_EQ(b.offset, payload + 2 + 4 + 1);
  ASSERT_EQ(b.locals.size(), 3u);
  EXPECT_EQ(b.locals[0].count, 2u);
  EXPECT_EQ(b.locals[0].type, ValType(ValKind::I32));
  EXPECT_EQ(b.locals[1].count, 1u);
  EXPECT_EQ(b.locals[1].type, ValType(ValKind::F64));
  EXPECT_EQ(b.locals[2].count, 0u);
  EXPECT_EQ(b.local_count, 3u);
  EXPECT_EQ(slice(m, b.code), code1.vec());
}

TEST(DecodeCode, LocalCountUpToTheLimitDecodes) {
  // function-locals counts the parameters too: 2 params + 49,998 locals is exactly the limit.
  ModuleBuilder mb;
  mb.section(kTypeSection, vec({func_type({kI32, kI64}, {})}));
  mb.section(kFunctionSection, vec_u32({0}));
  mb.section(kCodeSection, vec({body({{49'997, kI32}, {1, kI64}}, Bytes{op::kEnd})}));
  Module m = decode_ok(mb.bytes());
  ASSERT_EQ(m.bodies.size(), 1u);
  EXPECT_EQ(m.bodies[0].local_count, 49'998u);
}

// Finding 3 of the sandbox hardening issue: 2^32-1 locals validated, then the interpreter's
// compiler expanded every one (~48 GiB) and Loom died on bad_alloc. binary.wast expects "too many
// locals" for counts past 2^32-1; Loom's limit is far lower and says so.
TEST(DecodeCode, TooManyLocals) {
  ModuleBuilder mb;
  mb.section(kTypeSection, vec({func_type({}, {})}));
  mb.section(kFunctionSection, vec_u32({0}));
  const size_t payload =
      mb.section(kCodeSection, vec({body({{0xffffffff, kI32}, {1, kI32}}, Bytes{op::kEnd})}));
  // payload: count, body size, then the body: groups(1) <- here 0xffffffff(5) i32(1) 1(1)
  const size_t body_start = payload + 2;
  expect_error(mb.bytes(),
               "too many locals: implementation limit exceeded: locals of a function, parameters "
               "included (function-locals = 50000)",
               body_start + 1);

  // As in the finding: one function declaring 2^32-1 locals in two runs (accepted before).
  ModuleBuilder many;
  many.section(kTypeSection, vec({func_type({}, {})}));
  many.section(kFunctionSection, vec_u32({0}));
  const size_t p2 = many.section(
      kCodeSection, vec({body({{0x80000000, kI32}, {0x7fffffff, kI64}}, Bytes{op::kEnd})}));
  expect_error(many.bytes(), "too many locals", p2 + 2 + 1);

  // One past the limit, counting a parameter.
  ModuleBuilder past;
  past.section(kTypeSection, vec({func_type({kI32}, {})}));
  past.section(kFunctionSection, vec_u32({0}));
  const size_t p3 = past.section(kCodeSection, vec({body({{50'000, kI32}}, Bytes{op::kEnd})}));
  expect_error(past.bytes(), "function-locals = 50000", p3 + 3);
}

TEST(DecodeCode, BodyErrors) {
  auto module_with_code_payload = [](const Bytes& payload, size_t& payload_offset) {
    ModuleBuilder mb;
    mb.section(kTypeSection, vec({func_type({}, {})}));
    mb.section(kFunctionSection, vec_u32({0}));
    payload_offset = mb.section(kCodeSection, payload);
    return mb.bytes();
  };
  size_t p = 0;
  {
    auto bytes = module_with_code_payload(Bytes{0x01, 0x00, 0x00}, p);  // size 0 body + stray byte
    expect_error(bytes, "unexpected end of section or function", p + 2);
  }
  {
    auto bytes = module_with_code_payload(Bytes{0x01, 0x01, 0x00}, p);  // locals only, no code
    expect_error(bytes, "unexpected end of section or function", p + 3);
  }
  {
    auto bytes = module_with_code_payload(Bytes{0x01, 0x05, 0x00, op::kEnd}, p);  // size too big
    expect_error(bytes, "unexpected end of section or function", p + 2);
  }
  {
    auto bytes = module_with_code_payload(Bytes{0x01, 0x04, 0x01, 0x01, 0x7a, op::kEnd}, p);
    expect_error(bytes, "malformed value type", p + 4);
  }
  {
    // The locals vector claims more groups than the body has bytes.
    auto bytes = module_with_code_payload(Bytes{0x01, 0x03, 0x7f, 0x01, op::kEnd}, p);
    expect_error(bytes, "unexpected end of section or function", p + 3);
  }
}

TEST(DecodeCode, FunctionAndCodeCountsMustAgree) {
  {
    ModuleBuilder mb;
    mb.section(kTypeSection, vec({func_type({}, {})}));
    mb.section(kFunctionSection, vec_u32({0, 0}));
    const size_t code = mb.section(kCodeSection, vec({body({}, Bytes{op::kEnd})}));
    expect_error(mb.bytes(), "function and code section have inconsistent lengths", code);
  }
  {
    ModuleBuilder mb;
    mb.section(kTypeSection, vec({func_type({}, {})}));
    mb.section(kFunctionSection, vec_u32({0}));
    expect_error(mb.bytes(), "function and code section have inconsistent lengths", mb.size());
  }
  {
    ModuleBuilder mb;
    mb.section(kTypeSection, vec({func_type({}, {})}));
    const size_t code = mb.section(kCodeSection, vec({body({}, Bytes{op::kEnd})}));
    expect_error(mb.bytes(), "function and code section have inconsistent lengths", code);
  }
  {
    ModuleBuilder mb;
    mb.section(kTypeSection, vec({func_type({}, {})}));
    mb.section(kFunctionSection, vec_u32({0}));
    const size_t code = mb.section(kCodeSection, vec({}));
    expect_error(mb.bytes(), "function and code section have inconsistent lengths", code);
  }
  {
    // An empty function section and no code section agree.
    ModuleBuilder mb;
    mb.section(kFunctionSection, vec_u32({}));
    decode_ok(mb.bytes());
  }
}

TEST(DecodeData, AllThreeEncodings) {
  ModuleBuilder mb;
  mb.section(kDataCountSection, uleb(3));
  const size_t payload =
      mb.section(kDataSection, vec({data_active(i32_const_expr(8), "abc"), data_passive("xyz"),
                                    data_active_memory(0, i32_const_expr(16), "")}));
  Module m = decode_ok(mb.bytes());
  EXPECT_EQ(m.data_count, 3u);
  ASSERT_EQ(m.datas.size(), 3u);
  EXPECT_EQ(m.datas[0].mode, SegmentMode::Active);
  EXPECT_EQ(m.datas[0].flags, 0u);
  EXPECT_EQ(m.datas[0].memory, 0u);
  EXPECT_EQ(m.datas[0].offset.range.begin, payload + 2);
  EXPECT_EQ(slice(m, m.datas[0].offset.range), i32_const_expr(8).vec());
  EXPECT_EQ(m.datas[0].init.begin, payload + 6);
  EXPECT_EQ(slice(m, m.datas[0].init), (std::vector<uint8_t>{'a', 'b', 'c'}));
  EXPECT_EQ(m.datas[1].mode, SegmentMode::Passive);
  EXPECT_EQ(m.datas[1].flags, 1u);
  EXPECT_EQ(slice(m, m.datas[1].init), (std::vector<uint8_t>{'x', 'y', 'z'}));
  EXPECT_EQ(m.datas[2].mode, SegmentMode::Active);
  EXPECT_EQ(m.datas[2].flags, 2u);
  EXPECT_EQ(slice(m, m.datas[2].offset.range), i32_const_expr(16).vec());
  EXPECT_TRUE(m.datas[2].init.empty());
}

TEST(DecodeData, ExplicitMemoryIndex) {
  ModuleBuilder mb;
  mb.section(kDataSection, vec({data_active_memory(5, i32_const_expr(0), "q")}));
  Module m = decode_ok(mb.bytes());
  ASSERT_EQ(m.datas.size(), 1u);
  EXPECT_EQ(m.datas[0].memory, 5u);  // range checks are validation
}

TEST(DecodeData, Errors) {
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(kDataSection, vec({Bytes{0x03, 0x00}}));
    expect_error(mb.bytes(), "malformed data segment kind", payload + 1);
  }
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(kDataSection, vec({Bytes{0x01, 0x05, 'a', 'b'}}));
    expect_error(mb.bytes(), "unexpected end of section or function", payload + 3);
  }
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(kDataSection, vec({Bytes{0x00, op::kI32Const, 0x00}}));
    expect_error(mb.bytes(), "unexpected end of section or function", payload + 4);
  }
}

TEST(DecodeData, DataCountMustMatch) {
  {
    ModuleBuilder mb;
    mb.section(kDataCountSection, uleb(2));
    const size_t payload = mb.section(kDataSection, vec({data_passive("a")}));
    expect_error(mb.bytes(), "data count and data section have inconsistent lengths", payload + 1);
  }
  {
    ModuleBuilder mb;
    mb.section(kDataCountSection, uleb(1));
    expect_error(mb.bytes(), "data count and data section have inconsistent lengths", mb.size());
  }
  {
    ModuleBuilder mb;
    mb.section(kDataCountSection, uleb(0));
    Module m = decode_ok(mb.bytes());
    EXPECT_EQ(m.data_count, 0u);
  }
  {
    ModuleBuilder mb;
    const size_t payload = mb.section(kDataCountSection, Bytes{0x80});
    expect_error(mb.bytes(), "unexpected end of section or function", payload + 1);
  }
}

// ---- Name section ----

TEST(DecodeNames, ModuleFunctionAndLocalNames) {
  ModuleBuilder mb;
  mb.section(kTypeSection, vec({func_type({kI32}, {})}));
  mb.section(kFunctionSection, vec_u32({0, 0}));
  mb.section(kCodeSection, vec({body({}, Bytes{op::kEnd}), body({{1, kI32}}, Bytes{op::kEnd})}));
  const Bytes names =
      Bytes()
          .append(name_subsection(0, Bytes().name("my module")))
          // Out of order on purpose: the decoder sorts by index.
          .append(name_subsection(1, Bytes{0x02}.uleb(1).name("second").uleb(0).name("first")))
          .append(name_subsection(
              2, Bytes{0x01}.uleb(1).append(Bytes{0x02}.uleb(0).name("p").uleb(1).name("tmp"))))
          .append(name_subsection(7, Bytes{0x00}));  // global names: skipped
  mb.custom("name", names);
  Module m = decode_ok(mb.bytes());
  EXPECT_TRUE(m.names.has_module);
  EXPECT_EQ(m.names.module, "my module");
  ASSERT_EQ(m.names.functions.size(), 2u);
  EXPECT_EQ(m.names.functions[0], (std::pair<uint32_t, std::string>{0, "first"}));
  EXPECT_EQ(m.names.functions[1], (std::pair<uint32_t, std::string>{1, "second"}));
  EXPECT_EQ(m.func_name(1), "second");
  EXPECT_EQ(m.func_name(2), "");
  ASSERT_EQ(m.names.locals.size(), 1u);
  EXPECT_EQ(m.names.locals[0].first, 1u);
  ASSERT_EQ(m.names.locals[0].second.size(), 2u);
  EXPECT_EQ(m.names.locals[0].second[1].second, "tmp");
  ASSERT_EQ(m.customs.size(), 1u);
  EXPECT_EQ(m.customs[0].name, "name");
}

TEST(DecodeNames, DamagedNameSectionIsNotAnError) {
  ModuleBuilder mb;
  const Bytes names = Bytes()
                          .append(name_subsection(0, Bytes().name("kept")))
                          .append(name_subsection(1, Bytes{0x05, 0x00}))  // 5 names, 1 byte
                          .raw({0x02, 0x7f});                             // size beyond end
  mb.custom("name", names);
  Module m = decode_ok(mb.bytes());
  EXPECT_EQ(m.names.module, "kept");
  EXPECT_TRUE(m.names.functions.empty());

  ModuleBuilder bad_utf8;
  bad_utf8.custom("name", name_subsection(0, Bytes().name("\xc0\xaf")));
  Module m2 = decode_ok(bad_utf8.bytes());
  EXPECT_FALSE(m2.names.has_module);
}

// ---- Hostile counts ----

class LargestAllocation {
 public:
  LargestAllocation() { g_largest_allocation = 0; }
  size_t bytes() const { return g_largest_allocation.load(); }
};

constexpr size_t kAllocationBudget = 64 * 1024;

void expect_fast_failure(const std::vector<uint8_t>& bytes, const std::string& message,
                         size_t offset) {
  LargestAllocation largest;
  expect_error(bytes, message, offset);
  EXPECT_LT(largest.bytes(), kAllocationBudget) << "decoder allocated by an untrusted count";
}

TEST(DecodeHostileCounts, MaxCountVectorsFailWithoutAllocating) {
  const Bytes max_count = uleb(UINT32_MAX);
  for (uint8_t id : {kTypeSection, kImportSection, kFunctionSection, kTableSection, kMemorySection,
                     kGlobalSection, kExportSection, kElementSection, kCodeSection, kDataSection}) {
    SCOPED_TRACE(int(id));
    ModuleBuilder mb;
    const size_t payload = mb.section(id, Bytes(max_count).raw({0, 0, 0}));
    expect_fast_failure(mb.bytes(), "unexpected end", payload + 5);
  }
}

TEST(DecodeHostileCounts, MaxCountInsideEntries) {
  {
    // Parameter list of a function type.
    ModuleBuilder mb;
    const size_t payload = mb.section(kTypeSection, Bytes{0x01, 0x60}.uleb(UINT32_MAX).raw({0, 0}));
    expect_fast_failure(mb.bytes(), "unexpected end", payload + 7);
  }
  {
    // Element segment items.
    ModuleBuilder mb;
    const size_t payload =
        mb.section(kElementSection, Bytes{0x01, 0x01, 0x00}.uleb(UINT32_MAX).raw({0, 0}));
    expect_fast_failure(mb.bytes(), "unexpected end", payload + 8);
  }
  {
    // Local groups of a body.
    ModuleBuilder mb;
    mb.section(kTypeSection, vec({func_type({}, {})}));
    mb.section(kFunctionSection, vec_u32({0}));
    const Bytes inner = Bytes().uleb(UINT32_MAX).raw({0x01, kI32, op::kEnd});
    const size_t payload = mb.section(kCodeSection, Bytes{0x01}.uleb(inner.size()).append(inner));
    expect_fast_failure(mb.bytes(), "unexpected end", payload + 2 + 5);
  }
  {
    // Names: a 4 GiB name in a few bytes.
    ModuleBuilder mb;
    const size_t payload =
        mb.section(kExportSection, Bytes{0x01}.uleb(UINT32_MAX).raw({'a', 0, 0}));
    expect_fast_failure(mb.bytes(), "length out of bounds", payload + 6);
  }
  {
    // Data segment size.
    ModuleBuilder mb;
    const size_t payload = mb.section(kDataSection, Bytes{0x01, 0x01}.uleb(UINT32_MAX).raw({1}));
    expect_fast_failure(mb.bytes(), "unexpected end", payload + 7);
  }
  {
    // A name map inside the name section is silently dropped, still without allocating.
    ModuleBuilder mb;
    mb.custom("name", name_subsection(1, Bytes().uleb(UINT32_MAX).raw({0, 0})));
    LargestAllocation largest;
    decode_ok(mb.bytes());
    EXPECT_LT(largest.bytes(), kAllocationBudget);
  }
}

}  // namespace
}  // namespace loom
