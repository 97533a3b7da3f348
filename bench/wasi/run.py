#!/usr/bin/env python3
"""WASI benchmark suite of Loom (issue 10): native vs Loom's tiers vs Node.js, CPU time.

Every benchmark is one C program, built natively (clang-19 -O2) and as a wasm32-wasi command from
the same source: bench/kernels/*.c (with bench/kernels/native_main.c as main) and bench/wasi/*.c.
Each program prints a checksum; every engine's whole stdout must equal native's.

    serial python3 bench/wasi/run.py                 # the full table (build/bench-wasi/)
    serial python3 bench/wasi/run.py --bench gemm,fib --engines native,loom-jit --runs 5
    python3 bench/wasi/run.py --check --loom build/loom   # smoke test: tiny inputs, no timing

Times are the user+system CPU time of the child process (os.wait4), median of --runs runs,
start-up and compilation included. A cell that is not a time says why: "MISMATCH <checksum>",
"exit N", "signal N", "timeout", "no ref" (native failed); details follow the table.
Only the Python standard library is used.
"""
import argparse
import concurrent.futures
import datetime
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
KERNELS = os.path.join(ROOT, "bench", "kernels")
NODE_RUNNER = os.path.join(ROOT, "tests", "wasi", "node_run.mjs")
FLITE_FETCH = os.path.join(ROOT, "tests", "wasi", "flite_fetch.sh")

WASI_INCLUDE = "/usr/include/wasm32-wasi"
WASI_LIB = "/usr/lib/wasm32-wasi"
WASM_BUILTINS = "/usr/lib/llvm-19/lib/clang/19/lib/wasi/libclang_rt.builtins-wasm32.a"
# -fno-math-errno: sqrt is the plain instruction natively too (the same f64 results as wasm).
COMMON_CFLAGS = ["-O2", "-fno-math-errno", "-Wall", "-Wextra", "-Werror"]
NODE_FLAGS = ["--no-warnings", "--no-turbo-fast-api-calls", "--stack-size=4000"]

# engine name (for --engines) -> column title
ENGINES = {
    "native": "native",
    "loom-jit": "loom jit",
    "loom-interp": "loom interp",
    "node": "node",
    "node-no-liftoff": "node --no-liftoff",
}
LOOM_ENGINES = ["loom-jit", "loom-interp"]
SKIP = 77


class Benchmark:
    def __init__(self, name, sources):
        self.name = name
        self.sources = sources  # C files compiled together


# A WASI command that does nothing but print one line: the fixed cost of each engine (process
# start, runtime set-up, module compilation) that every cell of the table includes.
HELLO_C = '#include <stdio.h>\nint main(void) {\n  puts("checksum 0");\n  return 0;\n}\n'


def discover():
    """The kernels (each with native_main.c) and every bench/wasi/*.c, in that order."""
    found = []
    main = os.path.join(KERNELS, "native_main.c")
    for f in sorted(os.listdir(KERNELS)):
        if f.endswith(".c") and f != "native_main.c":
            found.append(Benchmark(f[:-2], [main, os.path.join(KERNELS, f)]))
    for f in sorted(os.listdir(HERE)):
        if f.endswith(".c"):
            found.append(Benchmark(f[:-2], [os.path.join(HERE, f)]))
    return found


def missing_tools(clang, wasm_ld):
    missing = []
    if not shutil.which(clang):
        missing.append(clang)
    if not shutil.which(wasm_ld):
        missing.append(f"{wasm_ld} (package lld-19)")
    if not (os.path.exists(f"{WASI_INCLUDE}/stdio.h") and os.path.exists(f"{WASI_LIB}/libc.a")):
        missing.append("wasi-libc")
    if not os.path.exists(WASM_BUILTINS):
        missing.append("libclang-rt-19-dev-wasm32")
    return missing


def make_sysroot(build_dir):
    """A private sysroot of two symlinks, so no host header leaks into a wasm build."""
    sysroot = os.path.join(build_dir, "sysroot")
    for sub, target in (("include", WASI_INCLUDE), ("lib", WASI_LIB)):
        os.makedirs(os.path.join(sysroot, sub), exist_ok=True)
        link = os.path.join(sysroot, sub, "wasm32-wasi")
        if not os.path.islink(link):
            try:
                os.symlink(target, link)
            except FileExistsError:
                pass  # made by a concurrent run (the two tiers' smoke tests share the folder)
    return sysroot


def stale(output, inputs):
    if not os.path.exists(output):
        return True
    built = os.path.getmtime(output)
    return any(os.path.getmtime(i) > built for i in inputs)


def build(benchmarks, args, build_dir):
    """Compiles what is out of date, both flavours, on every core. Returns the error texts."""
    sysroot = make_sysroot(build_dir)
    wasm_ld = shutil.which(args.wasm_ld) or args.wasm_ld
    extra = ["-DQUICK"] if args.check else []
    jobs = []
    for b in benchmarks:
        deps = b.sources + [os.path.join(HERE, "bench.h"), os.path.abspath(__file__)]
        native = os.path.join(build_dir, b.name + ".native")
        wasm = os.path.join(build_dir, b.name + ".wasm")
        flags = COMMON_CFLAGS + extra + args.cflags.split()
        if stale(native, deps):
            jobs.append((native, [args.clang] + flags + ["-o", native] + b.sources))
        if stale(wasm, deps):
            jobs.append((wasm, [args.clang, "--target=wasm32-wasi", f"--sysroot={sysroot}",
                                f"-fuse-ld={wasm_ld}", "-s"] + flags + args.wasm_cflags.split() +
                         ["-o", wasm] + b.sources))

    def compile_one(job):
        # Into a private name first, renamed when complete: a concurrent run sharing the folder
        # never sees (or runs) a half-written file.
        output, cmd = job
        partial = f"{output}.{os.getpid()}.tmp"
        cmd = [partial if c == output else c for c in cmd]
        done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if done.returncode != 0:
            if os.path.exists(partial):
                os.remove(partial)
            return f"{' '.join(cmd)}\n{done.stdout}"
        os.replace(partial, output)
        return None

    if jobs:
        print(f"building {len(jobs)} programs into {build_dir}", file=sys.stderr)
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return [e for e in pool.map(compile_one, jobs) if e]


class Result:
    def __init__(self, cpu=None, wall=None, stdout="", stderr="", failure=None):
        self.cpu, self.wall, self.stdout, self.stderr, self.failure = cpu, wall, stdout, stderr, failure


def run_timed(cmd, timeout, cwd=None):
    """Runs cmd; CPU time (user+sys) from wait4's rusage of exactly this child."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        try:
            child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=cwd)
        except OSError as e:
            return Result(failure=f"cannot start: {e}")
        timed_out = threading.Event()

        def kill():
            timed_out.set()
            child.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped already: tell Popen
        out.seek(0)
        err.seek(0)
        result = Result(usage.ru_utime + usage.ru_stime, wall,
                        out.read().decode(errors="replace"), err.read().decode(errors="replace"))
    if timed_out.is_set():
        result.failure = "timeout"
    elif child.returncode < 0:
        result.failure = f"signal {-child.returncode}"
    elif child.returncode != 0:
        result.failure = f"exit {child.returncode}"
    return result


def engine_command(engine, b, args, build_dir):
    wasm = os.path.join(build_dir, b.name + ".wasm")
    if engine == "native":
        return [os.path.join(build_dir, b.name + ".native")]
    if engine in LOOM_ENGINES:
        return [args.loom, "run", "--tier", engine.split("-")[1], wasm]
    flags = NODE_FLAGS + (["--no-liftoff"] if engine == "node-no-liftoff" else [])
    return [args.node] + flags + [NODE_RUNNER, wasm]


def checksum_of(stdout):
    """What a cell shows of an output: the last word of its last line."""
    lines = stdout.strip().splitlines()
    return lines[-1].split()[-1] if lines and lines[-1].split() else "(no output)"


def iterations_of(stdout):
    for line in stdout.splitlines():
        words = line.split()
        if len(words) == 2 and words[0] == "iterations" and words[1].isdigit():
            return int(words[1])
    return None


def measure(benchmarks, engines, args, build_dir, problems):
    """cells[(bench, engine)] = median CPU seconds (float) or a failure text."""
    cells = {}
    for b in benchmarks:
        reference = None
        samples = {e: [] for e in engines}
        for r in range(args.runs):
            for e in engines:
                if isinstance(cells.get((b.name, e)), str):
                    continue  # failed already
                if e != "native" and reference is None:
                    cells[(b.name, e)] = "no ref"
                    continue
                cmd = engine_command(e, b, args, build_dir)
                res = run_timed(cmd, args.timeout)
                if res.failure is None and e == "native" and reference is None:
                    reference = res.stdout
                if res.failure is None and reference is not None and res.stdout != reference:
                    res.failure = f"MISMATCH {checksum_of(res.stdout)}"
                if res.failure:
                    cells[(b.name, e)] = res.failure
                    problems.append(f"{b.name} / {ENGINES[e]}: {res.failure}: {' '.join(cmd)}\n"
                                    f"  native printed: {reference!r}\n  this printed: "
                                    f"{res.stdout[-500:]!r}\n  stderr: {res.stderr[-1500:]!r}")
                    if e == "native":
                        reference = None
                    continue
                samples[e].append(res.cpu)
        for e in engines:
            if not isinstance(cells.get((b.name, e)), str):
                cells[(b.name, e)] = statistics.median(samples[e])
                cells[(b.name, e, "samples")] = samples[e]
        line = "  ".join(f"{ENGINES[e]} {fmt(cells[(b.name, e)])}" for e in engines)
        print(f"  {b.name}: {line}", file=sys.stderr)
        if b.name == "loommark" and reference is not None:
            cells[("loommark", "iterations")] = iterations_of(reference)
    return cells


def fmt(value, digits=3):
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def table(benchmarks, engines, cells):
    heads = ["benchmark"]
    for e in engines:
        heads.append(f"{ENGINES[e]} s")
        if e != "native":
            heads.append("× native")
    rows = []
    for b in benchmarks:
        native = cells.get((b.name, "native"))
        row = [b.name]
        for e in engines:
            v = cells[(b.name, e)]
            row.append(fmt(v))
            if e != "native":
                ok = isinstance(v, float) and isinstance(native, float) and native > 0
                row.append(f"{v / native:.2f}" if ok else "-")
        rows.append(row)
    geo = ["**geomean**"]
    for e in engines:
        secs = [cells[(b.name, e)] for b in benchmarks if isinstance(cells[(b.name, e)], float)]
        g = geomean([s for s in secs if s > 0])
        geo.append(fmt(g) + ("" if len(secs) == len(benchmarks) else f" ({len(secs)})")
                   if g else "-")
        if e != "native":
            ratios = [cells[(b.name, e)] / cells[(b.name, "native")] for b in benchmarks
                      if isinstance(cells[(b.name, e)], float)
                      and isinstance(cells.get((b.name, "native")), float)
                      and cells[(b.name, "native")] > 0 and cells[(b.name, e)] > 0]
            g = geomean(ratios)
            note = "" if len(ratios) == len(benchmarks) else f" ({len(ratios)} of {len(benchmarks)})"
            geo.append(f"**{g:.2f}**{note}" if g else "-")
    rows.append(geo)
    return markdown([heads] + rows)


def markdown(rows):
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"
    sep = "|" + "|".join("-" * (w + 2) if i == 0 else "-" * (w + 1) + ":"
                         for i, w in enumerate(widths)) + "|"
    return "\n".join([line(rows[0]), sep] + [line(r) for r in rows[1:]])


def loommark_table(engines, cells):
    iterations = cells.get(("loommark", "iterations"))
    if not iterations:
        return None
    rows = [["engine", "loommark iterations/s"]]
    for e in engines:
        v = cells.get(("loommark", e))
        rows.append([ENGINES[e], f"{iterations / v:,.0f}" if isinstance(v, float) and v > 0
                     else fmt(v)])
    return markdown(rows)


def flite(args, problems):
    """Start-up of a large real program: Flite speaking one word, per Loom tier."""
    fetched = subprocess.run(["bash", FLITE_FETCH], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    wasm = fetched.stdout.strip()
    if fetched.returncode != 0 or not wasm:
        return f"Flite: not measured ({FLITE_FETCH} failed: {fetched.stderr.strip()[-300:]})"
    size = os.path.getsize(wasm)
    rows = [["engine", "CPU s", "wall s"]]
    with tempfile.TemporaryDirectory() as work:
        wavs = {}
        for e in [e for e in LOOM_ENGINES if e in args.engines]:
            cpu, wall, failure = [], [], None
            wav = os.path.join(work, e + ".wav")
            cmd = [args.loom, "run", "--tier", e.split("-")[1], "--dir", f"{work}::/out", wasm,
                   "-voice", "kal", "-t", "hello", "-o", f"/out/{e}.wav"]
            for _ in range(args.runs):
                res = run_timed(cmd, args.timeout)
                if res.failure is None and not (os.path.exists(wav) and os.path.getsize(wav) > 0):
                    res.failure = "no WAV file"
                if res.failure:
                    failure = res.failure
                    problems.append(f"flite / {ENGINES[e]}: {failure}: {' '.join(cmd)}\n"
                                    f"  stderr: {res.stderr[-1500:]!r}")
                    break
                cpu.append(res.cpu)
                wall.append(res.wall)
            if failure:
                rows.append([ENGINES[e], failure, failure])
                continue
            with open(wav, "rb") as f:
                wavs[e] = f.read()
            rows.append([ENGINES[e], fmt(statistics.median(cpu)), fmt(statistics.median(wall))])
        if len(set(wavs.values())) > 1:
            problems.append("flite: the tiers wrote different WAV files")
    return (f"Flite start-up: `loom run {os.path.basename(wasm)} -voice kal -t hello -o "
            f"/out/x.wav` ({size / 1e6:.1f} MB module), median of {args.runs}\n\n"
            + markdown(rows))


def describe_machine():
    info = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                info.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    flags = info.get("flags", "").split()
    simd = "/".join(f for f in ("sse4_1", "avx2", "avx512f") if f in flags) or "?"
    return (f"{info.get('model name', platform.processor() or '?')} (family "
            f"{info.get('cpu family', '?')} model {info.get('model', '?')}, "
            f"{info.get('cpu MHz', '?')} MHz, {simd}), {os.cpu_count()} cores")


def git_commit(directory):
    got = subprocess.run(["git", "-C", directory, "describe", "--always", "--dirty", "--abbrev=12"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return got.stdout.strip() or "?"


def has_tier_option(loom):
    got = subprocess.run([loom, "run", "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True)
    return "--tier" in got.stdout


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--loom", default=os.path.join(ROOT, "build", "loom"), help="Loom binary")
    p.add_argument("--engines", default=",".join(ENGINES),
                   help=f"comma-separated subset of {','.join(ENGINES)} (native always runs)")
    p.add_argument("--bench", default="", help="comma-separated benchmark names (default: all)")
    p.add_argument("--runs", type=int, default=3, help="runs per cell; the median is reported")
    p.add_argument("--check", action="store_true",
                   help="smoke test: tiny -DQUICK inputs, Loom tiers only, one run, no timing")
    p.add_argument("--build-dir", default=None,
                   help="output folder (default build/bench-wasi, build/bench-wasi-quick)")
    p.add_argument("--timeout", type=float, default=600, help="seconds per run")
    p.add_argument("--no-flite", action="store_true", help="skip the Flite start-up measurement")
    p.add_argument("--output", help="also write the report (markdown) to this file")
    p.add_argument("--clang", default="clang-19")
    p.add_argument("--wasm-ld", default="wasm-ld-19")
    p.add_argument("--node", default="node")
    p.add_argument("--cflags", default="", help="extra flags for both builds")
    p.add_argument("--wasm-cflags", default="", help="extra flags for the wasm build (-msimd128)")
    p.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = p.parse_args()
    args.engines = [e for e in args.engines.split(",") if e]
    unknown = [e for e in args.engines if e not in ENGINES]
    if unknown:
        p.error(f"unknown engine {unknown[0]} (choose from {', '.join(ENGINES)})")
    if args.check:
        args.runs = 1
        if args.engines == list(ENGINES):
            args.engines = list(LOOM_ENGINES)
    if "native" not in args.engines:
        args.engines.insert(0, "native")  # the reference checksum and the denominator
    if args.runs < 1:
        p.error("--runs must be at least 1")
    args.engines = [e for e in ENGINES if e in args.engines]
    args.loom = os.path.abspath(args.loom)
    if args.build_dir is None:
        args.build_dir = os.path.join(ROOT, "build", "bench-wasi-quick" if args.check else "bench-wasi")
    return args


def main():
    args = parse_args()
    benchmarks = discover()
    hello = None
    if args.list:
        print("\n".join(b.name for b in benchmarks))
        return 0
    if args.bench:
        wanted = args.bench.split(",")
        known = {b.name for b in benchmarks}
        for w in wanted:
            if w not in known:
                sys.exit(f"run.py: no benchmark {w} (--list shows them)")
        benchmarks = [b for b in benchmarks if b.name in wanted]

    missing = missing_tools(args.clang, args.wasm_ld)
    uses_loom = any(e in LOOM_ENGINES for e in args.engines)
    if uses_loom and not os.access(args.loom, os.X_OK):
        missing.append(f"the Loom binary {args.loom}")
    elif uses_loom and not has_tier_option(args.loom):
        missing.append(f"`loom run --tier` ({args.loom} run --help lists no --tier)")
    if any(e.startswith("node") for e in args.engines) and not shutil.which(args.node):
        missing.append(args.node)
    if missing:
        print(f"SKIP: missing {', '.join(missing)}")
        return SKIP if args.check else 1

    build_dir = os.path.abspath(args.build_dir)
    os.makedirs(build_dir, exist_ok=True)
    built = list(benchmarks)
    if not args.check:
        hello_c = os.path.join(build_dir, "startup.c")
        if not os.path.exists(hello_c) or open(hello_c).read() != HELLO_C:
            with open(hello_c, "w") as f:
                f.write(HELLO_C)
        hello = Benchmark("startup", [hello_c])
        built.append(hello)
    errors = build(built, args, build_dir)
    if errors:
        print("build failed:\n" + "\n".join(errors), file=sys.stderr)
        return 1

    loom_label = args.loom
    if uses_loom and not args.check:
        # A private copy: a rebuild of the binary during a long run cannot mix two builds.
        snapshot = os.path.join(build_dir, "loom.snapshot")
        shutil.copy2(args.loom, snapshot)
        loom_label = f"{args.loom} (commit {git_commit(os.path.dirname(args.loom))})"
        args.loom = snapshot

    problems = []
    started = datetime.datetime.now(datetime.timezone.utc)
    cells = measure(benchmarks, args.engines, args, build_dir, problems)

    if args.check:
        bad = [f"{b.name} / {ENGINES[e]}: {cells[(b.name, e)]}" for b in benchmarks
               for e in args.engines if isinstance(cells[(b.name, e)], str)]
        for p in problems:
            print(p)
        print(f"{len(benchmarks)} benchmarks on {', '.join(ENGINES[e] for e in args.engines)}: "
              f"{len(benchmarks) * len(args.engines) - len(bad)} runs print native's checksum, "
              f"{len(bad)} problems")
        return 1 if bad else 0

    report = [f"WASI benchmarks, {started:%Y-%m-%d %H:%M} UTC; suite commit {git_commit(ROOT)}; "
              f"loom {loom_label}; CPU: {describe_machine()}.",
              f"Seconds: user+system CPU time of the process (start-up and compilation included), "
              f"median of {args.runs} runs; × native: ratio to the native build (clang-19 -O2).",
              "", table(benchmarks, args.engines, cells)]
    if hello:
        base = measure([hello], args.engines, args, build_dir, problems)
        rows = [["engine", "CPU s"]] + [[ENGINES[e], fmt(base[("startup", e)])] for e in args.engines]
        report += ["", "Fixed cost included in every cell: a WASI command that prints one line "
                   f"(median of {args.runs})", "", markdown(rows)]
    noisy = [f"{k[0]} / {ENGINES[k[1]]}: {', '.join(f'{t:.3f}' for t in v)}"
             for k, v in cells.items() if len(k) == 3 and len(v) > 1
             and min(v) > 0 and (max(v) - min(v)) / statistics.median(v) > 0.2]
    if noisy:
        report += ["", "Cells whose runs differ by more than 20% of their median (machine load?): "
                   + "; ".join(noisy)]
    marks = loommark_table(args.engines, cells)
    if marks:
        report += ["", marks]
    if not args.no_flite and uses_loom:
        report += ["", flite(args, problems)]
    if problems:
        report += ["", "Problems:", "```", *problems, "```"]
    text = "\n".join(report) + "\n"
    print(text)
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
