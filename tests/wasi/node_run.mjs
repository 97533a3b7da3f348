// Runs a WASI preview 1 command under Node.js's node:wasi with loom's command line:
//   node --no-warnings --no-turbo-fast-api-calls --stack-size=4000 node_run.mjs \
//        [--dir HOST[::GUEST]]... [--env K=V]... [--] FILE.wasm [ARGS...]
// argv[0] is FILE as given (as loom and wasmtime pass it); the environment holds only --env
// variables; the exit code is the guest's; a trap prints the error and exits 134 like loom.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';

const argv = process.argv.slice(2);
const preopens = {};
const env = {};
while (argv.length && argv[0].startsWith('--')) {
  const opt = argv.shift();
  if (opt === '--') break;
  const value = argv.shift();
  if (value === undefined) throw new Error(`${opt} needs a value`);
  if (opt === '--dir') {
    const [host, guest = host] = value.split('::');
    preopens[guest] = host;
  } else if (opt === '--env') {
    const eq = value.indexOf('=');
    if (eq < 0) throw new Error(`--env ${value}: expected K=V`);
    env[value.slice(0, eq)] = value.slice(eq + 1);
  } else {
    throw new Error(`unknown option ${opt}`);
  }
}
if (!argv.length) {
  console.error('usage: node_run.mjs [--dir HOST[::GUEST]]... [--env K=V]... FILE.wasm [ARGS...]');
  process.exit(2);
}

const wasi = new WASI({ version: 'preview1', args: argv, env, preopens, returnOnExit: true });
try {
  const module = await WebAssembly.compile(await readFile(argv[0]));
  const imports = wasi.getImportObject?.() ?? { wasi_snapshot_preview1: wasi.wasiImport };
  const instance = await WebAssembly.instantiate(module, imports);
  process.exitCode = wasi.start(instance);
} catch (e) {
  console.error(`Error: ${e.message}`);
  process.exitCode = 134;
}
