// GC type section (3.0, --enable-gc): rec groups, subtypes, structs and arrays decode, and the
// validator checks supertypes; iso-recursive canonicalisation makes equal rec groups equal.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "binary/decoder.hpp"
#include "binary/encoder.hpp"
#include "ir/type_canon.hpp"
#include "support/wasm_builder.hpp"
#include "valid/validator.hpp"

namespace loom {
namespace {

using namespace loom::test;

// "" when the type section decodes and validates, else the error.
std::string check(const std::vector<Bytes>& entries) {
  ModuleBuilder mb;
  mb.section(kTypeSection, vec(entries));
  auto m = decode_module(mb.bytes(), Features::all());
  if (!m) return m.error().message;
  Status valid = validate_module(*m, Features::all());
  return valid ? "" : valid.error().message;
}

TEST(GcTypes, DecodesRecGroupsSubtypesStructsAndArrays) {
  ModuleBuilder mb;
  const Bytes array = Bytes().u8(0x5e).append(field_type(0x78, true));  // (array (mut i8))
  mb.section(
      kTypeSection,
      vec({rec_group(
               {sub_type(struct_type({field_type(kI32, false)}), std::nullopt, false), array}),
           sub_type(struct_type({field_type(kI32, false), field_type(0x77, true)}), 0u, true)}));
  auto m = decode_module(mb.bytes(), Features::all());
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  ASSERT_EQ(m->types.size(), 3u);
  EXPECT_EQ(m->type_def(0).kind, CompKind::Struct);
  EXPECT_FALSE(m->type_def(0).is_final);
  EXPECT_EQ(m->type_def(1).rec_pos, 1u);
  EXPECT_EQ(m->type_def(1).rec_size, 2u);
  EXPECT_EQ(m->type_def(1).fields[0].packed, Packed::I8);
  EXPECT_EQ(m->type_def(2).super, 0u);
  EXPECT_EQ(m->type_def(2).fields[1].packed, Packed::I16);
  EXPECT_TRUE(validate_module(*m, Features::all()));
  // The encoder writes the same forms back.
  EXPECT_EQ(encode_module(*m), mb.bytes());
  // Without GC the forms are malformed.
  EXPECT_FALSE(decode_module(mb.bytes()).ok());
}

TEST(GcTypes, SupertypesMustComeFirstBeOpenAndMatch) {
  const Bytes empty = struct_type({});
  const Bytes one_i32 = struct_type({field_type(kI32, false)});
  EXPECT_EQ(check({sub_type(one_i32, std::nullopt, false), sub_type(one_i32, 0u, true)}), "");
  // A struct subtype may add fields, not drop them.
  EXPECT_NE(
      check({sub_type(one_i32, std::nullopt, false), sub_type(empty, 0u, true)}).find("sub type"),
      std::string::npos);
  // A final type has no subtypes.
  EXPECT_NE(check({sub_type(empty, std::nullopt, true), sub_type(empty, 0u, true)}).find("final"),
            std::string::npos);
  // The supertype is defined first.
  EXPECT_NE(check({sub_type(empty, 1u, false), sub_type(empty, std::nullopt, false)})
                .find("unknown type"),
            std::string::npos);
  // A mutable field is invariant.
  EXPECT_NE(check({sub_type(struct_type({field_type(kI32, true)}), std::nullopt, false),
                   sub_type(struct_type({field_type(kI64, true)}), 0u, true)})
                .find("sub type"),
            std::string::npos);
}

TEST(GcTypes, EqualRecGroupsCanonicaliseToOneId) {
  // Two identical groups {struct (ref 0)} and {struct (ref 1)} (each referring to itself), and
  // a group with an outside reference, which differs.
  const Bytes self0 = struct_type({Bytes().u8(0x63).uleb(0).u8(0)});  // (field (ref null 0))
  const Bytes self1 = struct_type({Bytes().u8(0x63).uleb(1).u8(0)});
  ModuleBuilder mb;
  mb.section(kTypeSection, vec({rec_group({self0}), rec_group({self1}), rec_group({self0})}));
  auto m = decode_module(mb.bytes(), Features::all());
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  TypeCanonicalizer canon;
  const std::vector<uint32_t> ids = canon.canonicalize(*m);
  EXPECT_EQ(ids[0], ids[1]);
  EXPECT_NE(ids[0], ids[2]);  // type 2 refers to type 0 outside its group
}

}  // namespace
}  // namespace loom
