// Node.js runner for a freestanding benchmark kernel: node run_node.mjs K.wasm
// Prints run()'s checksum (unsigned) on stdout, and on stderr the in-process times in seconds:
// "node-inproc compile+instantiate=S run=S". run.sh times the whole process; the in-process
// run time is reported only as an extra column.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const bytes = readFileSync(process.argv[2]);
const t0 = performance.now();
const { instance } = await WebAssembly.instantiate(bytes, {});
const t1 = performance.now();
const checksum = instance.exports.run() >>> 0;
const t2 = performance.now();
console.log(String(checksum));
console.error(`node-inproc compile+instantiate=${((t1 - t0) / 1000).toFixed(6)} run=${((t2 - t1) / 1000).toFixed(6)}`);
