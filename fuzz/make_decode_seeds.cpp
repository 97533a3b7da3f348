// Writes the seed corpus for fuzz_decode_validate: a handful of small modules that between them
// use every section, every element/data encoding and the main instruction groups.
//
//   make_decode_seeds <output-dir>
#include <cstdio>
#include <string>
#include <vector>

#include "support/wasm_builder.hpp"

namespace {

using namespace loom::test;  // NOLINT

bool write_file(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  return std::fclose(f) == 0 && ok;
}

std::vector<uint8_t> empty_module() {
  return ModuleBuilder().bytes();
}

// (i32, i32) -> i32 with blocks, loop, if/else, br_table, call and locals.
std::vector<uint8_t> control_flow() {
  ModuleBuilder mb;
  mb.section(kTypeSection, vec({func_type({kI32, kI32}, {kI32}), func_type({}, {})}));
  mb.section(kFunctionSection, vec_u32({0, 1}));
  mb.section(kExportSection, vec({export_entry("f", kExternFunc, 0)}));
  const Bytes code = Bytes{op::kBlock, kEmptyBlock, op::kLoop, kEmptyBlock}
                         .raw({op::kLocalGet, 0, op::kI32Eqz, op::kBrIf, 1})
                         .raw({op::kLocalGet, 0, op::kI32Const, 1, op::kI32Sub, op::kLocalTee, 0})
                         .raw({op::kLocalGet, 2, op::kI32Add, op::kLocalSet, 2})
                         .raw({op::kLocalGet, 1, op::kBrTable, 2, 0, 1, 0})
                         .raw({op::kEnd, op::kEnd})
                         .raw({op::kLocalGet, 2, op::kIf, kI32, op::kI32Const, 1, op::kElse,
                               op::kI32Const, 2, op::kEnd})
                         .raw({op::kCall, 1, op::kEnd});
  mb.section(kCodeSection, vec({body({{1, kI32}}, code), body({}, Bytes{op::kNop, op::kEnd})}));
  return mb.bytes();
}

// Every section, all element and data encodings, memory, table, bulk and reference instructions.
std::vector<uint8_t> all_sections() {
  ModuleBuilder mb;
  mb.custom("before", Bytes{1, 2, 3});
  mb.section(kTypeSection, vec({func_type({}, {}), func_type({kI32}, {kI64}),
                                func_type({kF32, kF64}, {kF64, kF32})}));
  mb.section(
      kImportSection,
      vec({import_func("env", "f", 1), import_table("env", "t", kFuncRef, limits(1)),
           import_memory("env", "m", limits(1, 2)), import_global("env", "g", kI32, false)}));
  mb.section(kFunctionSection, vec_u32({0, 1, 2}));
  mb.section(kTableSection, vec({Bytes{kFuncRef}.append(limits(4, 8))}));
  mb.section(kGlobalSection, vec({global_entry(kI32, true, Bytes{op::kGlobalGet, 0, op::kEnd}),
                                  global_entry(kFuncRef, false, ref_func_expr(1))}));
  mb.section(kExportSection,
             vec({export_entry("run", kExternFunc, 1), export_entry("mem", kExternMemory, 0),
                  export_entry("tab", kExternTable, 1), export_entry("glob", kExternGlobal, 1)}));
  mb.section(kStartSection, uleb(1));
  mb.section(kElementSection,
             vec({Bytes{0x00}.append(i32_const_expr(0)).append(vec_u32({1, 2})),
                  Bytes{0x01, 0x00}.append(vec_u32({3})),
                  Bytes{0x02}.uleb(1).append(i32_const_expr(1)).u8(0x00).append(vec_u32({1})),
                  Bytes{0x03, 0x00}.append(vec_u32({2})),
                  Bytes{0x04}.append(i32_const_expr(2)).append(vec({ref_func_expr(1)})),
                  Bytes{0x05, kFuncRef}.append(vec({ref_null_expr(kFuncRef)})),
                  Bytes{0x06}
                      .uleb(1)
                      .append(i32_const_expr(3))
                      .u8(kFuncRef)
                      .append(vec({ref_func_expr(3)})),
                  Bytes{0x07, kFuncRef}.append(vec({ref_func_expr(2)}))}));
  mb.section(kDataCountSection, uleb(3));
  const Bytes run = Bytes{op::kI32Const, 0, op::kI32Const, 0, op::kI32Const, 4}
                        .raw({op::kPrefixFC, 0x08, 0x01, 0x00})  // memory.init 1
                        .raw({op::kPrefixFC, 0x09, 0x01})        // data.drop 1
                        .raw({op::kI32Const, 0, op::kI32Const, 8, op::kI32Const, 4})
                        .raw({op::kPrefixFC, 0x0a, 0x00, 0x00})  // memory.copy
                        .raw({op::kI32Const, 16, op::kI32Load, 2, 0})
                        .raw({op::kI32Const, 32, op::kI64Load, 3, 8, op::kI64Store, 3, 0})
                        .raw({op::kI32Const, 0, op::kI32Const, 0, op::kI32Const, 1})
                        .raw({op::kPrefixFC, 0x0c, 0x01, 0x00})  // table.init 1 0
                        .raw({op::kPrefixFC, 0x0d, 0x03})        // elem.drop 3
                        .raw({op::kRefFunc, 2, op::kDrop, op::kI32Const, 0, 0x25, 0x00})
                        .raw({0xd1, op::kDrop})                    // ref.is_null
                        .raw({0x3f, 0x00, 0x40, 0x00, op::kDrop})  // memory.size / grow
                        .raw({op::kI32Const, 0, op::kCallIndirect, 0, 0})
                        .raw({op::kLocalGet, 0, op::kI64ExtendI32U, op::kEnd});
  // (f32, f64) -> (f64, f32); local 2 is an i32.
  const Bytes floats =
      Bytes{op::kLocalGet, 1, op::kLocalGet, 0}
          .raw({0xbb, op::kF64Add})  // f64.promote_f32
          .raw({op::kLocalGet, 0, op::kLocalGet, 0, op::kLocalGet, 2, 0x1c, 0x01, kF32})
          .raw({op::kLocalGet, 2, op::kLocalGet, 2, op::kI32Const, 1, op::kSelect, op::kDrop})
          .raw({op::kLocalGet, 0, 0xfc, 0x00, op::kDrop})  // i32.trunc_sat_f32_s
          .raw({op::kEnd});
  mb.section(kCodeSection,
             vec({body({}, Bytes{op::kEnd}), body({{2, kI64}}, run), body({{1, kI32}}, floats)}));
  mb.section(kDataSection, vec({data_active(i32_const_expr(0), "hello"), data_passive("world"),
                                data_active_memory(0, i32_const_expr(64), "!")}));
  mb.custom(
      "name",
      Bytes()
          .append(name_subsection(0, Bytes().name("seed")))
          .append(name_subsection(1, Bytes{0x02}.uleb(1).name("start").uleb(2).name("run")))
          .append(name_subsection(2, Bytes{0x01}.uleb(2).append(Bytes{0x01}.uleb(0).name("x")))));
  return mb.bytes();
}

// v128 arithmetic, shuffles, lanes and lane loads.
std::vector<uint8_t> simd() {
  ModuleBuilder mb;
  mb.section(kTypeSection, vec({func_type({kV128}, {kI32})}));
  mb.section(kFunctionSection, vec_u32({0}));
  mb.section(kMemorySection, vec({limits(1)}));
  Bytes code;
  code.raw(
      {op::kI32Const, 0, op::kLocalGet, 0, op::kPrefixFD, 0x54, 0x00, 0x00, 0x03});  // load8_lane
  code.raw({op::kPrefixFD, 0x0c});                                                   // v128.const
  for (uint8_t i = 0; i < 16; ++i) code.u8(i);
  code.raw({op::kPrefixFD, 0x0d});  // i8x16.shuffle
  for (uint8_t i = 0; i < 16; ++i) code.u8(uint8_t(i * 2 % 32));
  code.raw({op::kLocalGet, 0, op::kPrefixFD, 0x8e, 0x01})  // i16x8.add
      .raw({op::kPrefixFD, 0x1b, 0x02, op::kEnd});         // i32x4.extract_lane 2
  mb.section(kCodeSection, vec({body({}, code)}));
  return mb.bytes();
}

// Multi-value block types (a type index) and a typed select.
std::vector<uint8_t> multi_value() {
  ModuleBuilder mb;
  mb.section(kTypeSection, vec({func_type({}, {kI32, kI64}), func_type({kI32}, {kI32, kI64})}));
  mb.section(kFunctionSection, vec_u32({0}));
  const Bytes code =
      Bytes{op::kI32Const, 7, op::kBlock, 0x01}.raw({op::kI64Const, 9, op::kEnd, op::kEnd});
  mb.section(kCodeSection, vec({body({}, code)}));
  return mb.bytes();
}

// A 3.0 feature: tail calls (decodes only with the feature enabled).
std::vector<uint8_t> tail_call() {
  ModuleBuilder mb;
  mb.section(kTypeSection, vec({func_type({kI32}, {kI32})}));
  mb.section(kFunctionSection, vec_u32({0}));
  mb.section(kCodeSection, vec({body({}, Bytes{op::kLocalGet, 0, 0x12, 0x00, op::kEnd})}));
  return mb.bytes();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <output-dir>\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const std::pair<const char*, std::vector<uint8_t>> seeds[] = {
      {"empty.wasm", empty_module()},        {"control_flow.wasm", control_flow()},
      {"all_sections.wasm", all_sections()}, {"simd.wasm", simd()},
      {"multi_value.wasm", multi_value()},   {"tail_call.wasm", tail_call()},
  };
  for (const auto& [name, bytes] : seeds) {
    if (!write_file(dir + "/" + name, bytes)) {
      std::fprintf(stderr, "cannot write %s/%s\n", dir.c_str(), name);
      return 1;
    }
  }
  return 0;
}
