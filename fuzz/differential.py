#!/usr/bin/env python3
"""Differential execution fuzzing of Loom against Node.js (V8).

Makes COUNT random valid modules with binaryen's `wasm-opt -ttf` (translate random bytes to a
module; features: MVP + sign-ext + sat-float-to-int + multi-value + bulk memory + reference types
+ SIMD), runs each under fuzz/loom_exec_runner and fuzz/node_exec_runner.mjs (every export called
with the same non-zero arguments, the fuzzing-support logging imports printing each value) and
compares their output line by line after normalisation (see normalise()). A mismatch, a crash or
a timeout of either runner is reported and its reproducer kept in OUT/mismatch-<seed>-<n>/:
module.wasm, input.bin (the random bytes), loom.txt, node.txt.

With --denan (the default) binaryen instruments the module to turn every NaN into 0: NaN bit
patterns are nondeterministic by the spec and would otherwise leak into integers and memory.

  differential.py --runner build/fuzz/loom_exec_runner [--count N] [--seed S] [--out DIR]
  differential.py --runner ... --replay module.wasm      # run and compare one module
  differential.py --runner ... --tier jit --reference interp   # Loom's JIT against its interpreter

--tier picks the tier the runner uses (default: the machine's default); --reference interp
compares against the runner on the interpreter instead of Node (reproducer file node.txt then
holds the interpreter's output).
Exit codes: 0 no mismatch, 1 mismatch, 77 skipped (node or wasm-opt missing).
"""
import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SKIP = 77
TIMEOUT = 60
FEATURES = [
    "--mvp-features", "--enable-sign-ext", "--enable-nontrapping-float-to-int",
    "--enable-mutable-globals", "--enable-multivalue", "--enable-bulk-memory",
    "--enable-reference-types", "--enable-simd",
]


def generate(wasm_opt, input_path, output_path, features, denan):
    command = [wasm_opt, str(input_path), "-ttf", *features, "-o", str(output_path)]
    if denan:
        command.insert(3, "--denan")
    result = subprocess.run(command, capture_output=True, timeout=TIMEOUT)
    return result.returncode == 0 and output_path.exists()


def run(command):
    """(output, problem): the runner's stdout, or why it failed (crash, exit status, timeout)."""
    try:
        result = subprocess.run(command, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return "", f"timeout after {TIMEOUT}s"
    output = result.stdout.decode(errors="replace")
    if result.returncode != 0:
        return output, f"exit status {result.returncode}: {result.stderr.decode(errors='replace')[-2000:]}"
    return output, None


def normalise(output):
    """Runner output with engine-specific wording removed: validation and link error messages."""
    lines = []
    for line in output.splitlines():
        if line.startswith("skip invalid"):
            line = "skip invalid"
        elif line.startswith("instantiate error"):
            line = "instantiate error"
        lines.append(line)
    return lines


def classify(lines):
    """A summary of what a module did, for the counts: skipped / invalid / trapped / ran."""
    if not lines:
        return "empty"
    if lines[0] == "skip invalid":
        return "invalid"
    if lines[0].startswith("skip"):
        return "skipped"
    if lines[0] != "instantiate ok":
        return "instantiate-failed"
    return "ran"


def first_difference(a, b):
    for i in range(max(len(a), len(b))):
        left = a[i] if i < len(a) else "<end>"
        right = b[i] if i < len(b) else "<end>"
        if left != right:
            context = [line for line in a[:i] if line.startswith("call ")]
            where = context[-1] if context else "(before any call)"
            return f"line {i + 1}, in {where}: loom: {left!r}  node: {right!r}"
    return None


def compare(args, wasm):
    tier = ["--tier", args.tier] if args.tier else []
    loom_out, loom_problem = run([args.runner, *tier, str(wasm)])
    if args.reference == "interp":
        node_out, node_problem = run([args.runner, "--tier", "interp", str(wasm)])
    else:
        node_out, node_problem = run([args.node, "--no-warnings", "--stack-size=4000",
                                      str(HERE / "node_exec_runner.mjs"), str(wasm)])
    loom_lines, node_lines = normalise(loom_out), normalise(node_out)
    problem = None
    if loom_problem:
        problem = f"loom runner failed: {loom_problem}"
    elif node_problem:
        problem = f"node runner failed: {node_problem}"
    else:
        problem = first_difference(loom_lines, node_lines)
    stats = {
        "kind": classify(loom_lines),
        "calls": sum(1 for line in loom_lines if line.startswith("call ")),
        "traps": sum(1 for line in loom_lines if line.startswith("trap ")),
        "logs": sum(1 for line in loom_lines if line.startswith("log ")),
    }
    return problem, stats, loom_out, node_out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runner", required=True, help="loom_exec_runner executable")
    parser.add_argument("--node", default=shutil.which("node") or shutil.which("nodejs"))
    parser.add_argument("--wasm-opt", default=shutil.which("wasm-opt"))
    parser.add_argument("--count", type=int, default=100, help="modules to generate")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: time)")
    parser.add_argument("--seconds", type=float, default=None, help="stop after this long")
    parser.add_argument("--out", default="differential-out", help="where reproducers go")
    parser.add_argument("--no-denan", dest="denan", action="store_false",
                        help="keep NaNs (expect NaN-bit mismatches through reinterpret)")
    parser.add_argument("--replay", help="compare one existing module instead of generating")
    parser.add_argument("--tier", choices=["interp", "jit"], help="the runner's tier")
    parser.add_argument("--reference", choices=["node", "interp"], default="node",
                        help="what the runner is compared with")
    args = parser.parse_args()

    if args.reference == "node" and not args.node:
        print("SKIP: node (Node.js) not found")
        return SKIP
    if not args.replay and not args.wasm_opt:
        print("SKIP: wasm-opt (package binaryen) not found")
        return SKIP

    if args.replay:
        problem, stats, loom_out, node_out = compare(args, Path(args.replay))
        sys.stdout.write(loom_out)
        print(f"{stats['kind']}: {problem or 'loom and node agree'}")
        return 1 if problem else 0

    seed = args.seed if args.seed is not None else int(time.time())
    rng = random.Random(seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    counts = {"generated": 0, "generator-failed": 0, "mismatches": 0}
    totals = {"calls": 0, "traps": 0, "logs": 0}
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in range(args.count):
            if args.seconds and time.monotonic() - start > args.seconds:
                break
            input_path, wasm = tmp / "input.bin", tmp / "module.wasm"
            input_path.write_bytes(rng.randbytes(rng.choice([256, 1024, 4096, 16384])))
            # Binaryen 108 often gives reference-typed modules that the final spec rejects (its
            # anyref still holds funcref, typed function references leak in): both engines must
            # reject those alike; the same input then goes again without reference types.
            for features in (FEATURES, [f for f in FEATURES if "reference-types" not in f]):
                wasm.unlink(missing_ok=True)
                if not generate(args.wasm_opt, input_path, wasm, features, args.denan):
                    counts["generator-failed"] += 1
                    break
                counts["generated"] += 1
                problem, stats, loom_out, node_out = compare(args, wasm)
                counts[stats["kind"]] = counts.get(stats["kind"], 0) + 1
                for key in totals:
                    totals[key] += stats[key]
                if problem:
                    counts["mismatches"] += 1
                    keep = out / f"mismatch-{seed}-{n}"
                    keep.mkdir(parents=True, exist_ok=True)
                    shutil.copy(wasm, keep / "module.wasm")
                    shutil.copy(input_path, keep / "input.bin")
                    (keep / "loom.txt").write_text(loom_out)
                    (keep / "node.txt").write_text(node_out)
                    (keep / "wasm-opt-flags.txt").write_text(" ".join(features) + "\n")
                    print(f"MISMATCH module {n} (seed {seed}): {problem}\n  reproducer: {keep}")
                if problem or stats["kind"] != "invalid":
                    break
    elapsed = time.monotonic() - start
    summary = ", ".join(f"{k} {v}" for k, v in counts.items())
    print(f"seed {seed}: {summary}; {totals['calls']} export calls, {totals['traps']} traps, "
          f"{totals['logs']} logged values; {elapsed:.0f}s")
    return 1 if counts["mismatches"] else 0


if __name__ == "__main__":
    sys.exit(main())
