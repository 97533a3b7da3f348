// Node.js's side of fuzz/differential.py (loom_exec_runner.cpp is Loom's; see there for the output
// lines, which must be the same). The export signatures come from a small reader of the binary's
// type, import, function and export sections, independent of Loom's decoder.
//
//   node node_exec_runner.mjs FILE.wasm
import { readFileSync } from 'node:fs';

const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b;
const TYPE_NAMES = { [I32]: 'i32', [I64]: 'i64', [F32]: 'f32', [F64]: 'f64', [V128]: 'v128' };

// Function signatures by function index, and the exports in module order.
function readSignatures(bytes) {
  let at = 8;
  const u8 = () => bytes[at++];
  const uleb = () => {
    let result = 0, shift = 0, b;
    do {
      b = u8();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return result;
  };
  const name = () => {
    const n = uleb();
    const s = new TextDecoder().decode(bytes.subarray(at, at + n));
    at += n;
    return s;
  };
  const valtypes = () => Array.from({ length: uleb() }, () => u8());
  const limits = () => {
    const flags = u8();
    uleb();
    if (flags & 1) uleb();
  };
  // A constant expression: skip to its `end`, over the immediates of the constant instructions.
  const constExpr = () => {
    for (let op = u8(); op !== 0x0b; op = u8()) {
      if (op === 0x41 || op === 0x42 || op === 0x23 || op === 0xd2) uleb();  // LEB sign is moot
      else if (op === 0x43) at += 4;
      else if (op === 0x44) at += 8;
      else if (op === 0xd0) u8();
      else if (op === 0xfd && uleb() === 12) at += 16;
    }
  };
  const types = [], funcs = [], globals = [], exports = [];
  while (at < bytes.length) {
    const id = u8();
    const size = uleb();
    const end = at + size;
    if (id === 1) {
      for (let n = uleb(); n > 0; --n) {
        if (u8() !== 0x60) throw new Error('unsupported type form');
        types.push({ params: valtypes(), results: valtypes() });
      }
    } else if (id === 2) {
      for (let n = uleb(); n > 0; --n) {
        name();
        name();
        const kind = u8();
        if (kind === 0) funcs.push(types[uleb()]);
        else if (kind === 1) { u8(); limits(); }
        else if (kind === 2) limits();
        else if (kind === 3) { globals.push(u8()); u8(); }
        else if (kind === 4) { u8(); uleb(); }
      }
    } else if (id === 3) {
      for (let n = uleb(); n > 0; --n) funcs.push(types[uleb()]);
    } else if (id === 6) {
      for (let n = uleb(); n > 0; --n) {
        globals.push(u8());
        u8();
        constExpr();
      }
    } else if (id === 7) {
      for (let n = uleb(); n > 0; --n) {
        const exportName = name();
        const kind = u8();
        const index = uleb();
        exports.push({ name: exportName, kind, type: kind === 0 ? funcs[index] : globals[index] });
      }
    }
    at = end;
  }
  return exports;
}

// The same argument tables as loom_exec_runner.cpp.
const ARGS = {
  [I32]: [1, -1, 42, 2147483647, -2147483648, 7, 255, 65536, -2, 3],
  [I64]: [1n, -1n, 42n, 9223372036854775807n, -9223372036854775808n, 7n, 4294967296n, -2n],
  [F32]: [1.5, -1, 0.5, 1024, 3.4028234663852886e38, -2.25, 7, 1e-45].map(Math.fround),
  [F64]: [1.5, -1, 0.5, 1e300, -2.25, 5e-324, 1234.5678, 7],
};
function argument(type, exportNumber, param) {
  const table = ARGS[type];
  return table ? table[(exportNumber * 3 + param) % table.length] : null;
}

const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1), u64 = new BigUint64Array(f64.buffer);
function format(type, value) {
  switch (type) {
    case I32:
    case I64:
      return `${value}`;
    case F32:
      if (Number.isNaN(value)) return 'nan';
      f32[0] = value;
      return `f32:${u32[0].toString(16).padStart(8, '0')}`;
    case F64:
      if (Number.isNaN(value)) return 'nan';
      f64[0] = value;
      return `f64:${u64[0].toString(16).padStart(16, '0')}`;
    default:
      return value === null ? 'null' : 'ref';
  }
}

// V8's trap messages mapped to the classes of loom_exec_runner.cpp's trap_class.
function trapClass(e) {
  if (e instanceof RangeError && /call stack/i.test(e.message)) return 'stack';
  if (e instanceof TypeError) return 'jstype';
  if (!(e instanceof WebAssembly.RuntimeError)) return `other (${e})`;
  const m = e.message;
  if (m === 'unreachable') return 'unreachable';
  if (/divide by zero|remainder by zero/.test(m)) return 'div0';
  if (/divide result unrepresentable/.test(m)) return 'overflow';
  if (/float unrepresentable/.test(m)) return 'conversion';
  if (/memory access out of bounds|data segment/.test(m)) return 'memory';
  if (/table index is out of bounds|element segment|table access/.test(m)) return 'table';
  if (/null function or function signature mismatch/.test(m)) return 'indirect';
  if (/null/.test(m)) return 'null';
  return `other (${m})`;
}

const out = [];
const print = (line) => out.push(line);
const bytes = readFileSync(process.argv[2]);
try {
  let module;
  try {
    module = new WebAssembly.Module(bytes);
  } catch (e) {
    print(`skip invalid: ${e.message}`);
    throw null;
  }
  const logger = (type) => (value) => print(`log ${TYPE_NAMES[type]} ${format(type, value)}`);
  const support = { 'log-i32': logger(I32), 'log-i64': logger(I64), 'log-f32': logger(F32),
    'log-f64': logger(F64), 'log-v128': () => {} };
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module !== 'fuzzing-support' || imp.kind !== 'function' || !(imp.name in support)) {
      print(`skip import ${imp.module} ${imp.name}`);
      throw null;
    }
  }
  let instance;
  try {
    instance = new WebAssembly.Instance(module, { 'fuzzing-support': support });
  } catch (e) {
    print(e instanceof WebAssembly.LinkError ? `instantiate error ${e.message}`
      : `instantiate trap ${trapClass(e)}`);
    throw null;
  }
  print('instantiate ok');
  const hangLimitInitializer = instance.exports.hangLimitInitializer;
  let exportNumber = 0;
  const exports = readSignatures(bytes);
  for (const { name, type } of exports.filter((e) => e.kind === 0)) {
    print(`call ${name}`);
    if (typeof hangLimitInitializer === 'function') hangLimitInitializer();
    const number = exportNumber++;
    const args = type.params.map((t, i) => argument(t, number, i));
    try {
      const value = instance.exports[name](...args);
      const values = type.results.length > 1 ? value : [value];
      print(['result', ...type.results.map((t, i) => format(t, values[i]))].join(' '));
    } catch (e) {
      print(`trap ${trapClass(e)}`);
    }
  }
  // What the calls left behind, as loom_exec_runner.cpp's print_exported_state.
  for (const { name, kind, type } of exports) {
    const value = instance.exports[name];
    if (kind === 2) {
      let hash = 2166136261;
      for (const b of new Uint8Array(value.buffer)) hash = Math.imul(hash ^ b, 16777619) >>> 0;
      const pages = value.buffer.byteLength / 65536;
      print(`memory ${name} ${pages} ${hash.toString(16).padStart(8, '0')}`);
    } else if (kind === 1) {
      print(`table ${name} ${value.length}`);
    } else if (kind === 3) {
      print(`global ${name} ${type === V128 ? 'jstype' : format(type, value.value)}`);
    }
  }
} catch (e) {
  if (e !== null) print(`runner error ${e}`);
}
process.stdout.write(out.map((l) => `${l}\n`).join(''));
