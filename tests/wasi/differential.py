#!/usr/bin/env python3
"""Runs one WASI test program under Loom and compares the result.

Differential mode (default): run under `loom run` and under Node.js (node_run.mjs), each on a fresh
copy of tests/wasi/fixtures/<prog>/ preopened as /sandbox, with the same arguments, environment and
stdin; compare exit code, stdout, stderr and the resulting sandbox tree.

Expected mode (--expected FILE): run under Loom only, inside a sandbox with escape bait around it
(see make_sandbox), and compare stdout with FILE, where `{A|B}` accepts either A or B. Afterwards
everything outside the sandbox must be unchanged and unread.

Per-program settings come from header comments of the .c file:
  // ARGS: a "b c"     one run per ARGS line (shell quoting); no ARGS line means one run, no args
  // ENV: K=V K2=V2    environment (shell quoting)
  // STDIN: text\\n    stdin contents (backslash escapes)
  // EXIT: N           expected exit code in expected mode (default 0)
Exit codes: 0 pass, 1 mismatch, 77 skipped (a tool is missing).
"""
import argparse
import difflib
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SKIP = 77
TIMEOUT = 60
SECRET = "TOP SECRET: outside the sandbox"
OLD_TIME = 946684800  # 2000-01-01: a read of a file with this atime updates it even under relatime


def parse_header(source):
    runs, env, stdin, exit_code = [], [], b"", 0
    for line in Path(source).read_text().splitlines():
        m = re.match(r"//\s*(ARGS|ENV|STDIN|EXIT):(.*)$", line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "ARGS":
            runs.append(shlex.split(value))
        elif key == "ENV":
            env += shlex.split(value)
        elif key == "STDIN":
            stdin = value.encode().decode("unicode_escape").encode("latin-1")
        else:
            exit_code = int(value)
    return runs or [[]], env, stdin, exit_code


def tree(root):
    """Sorted lines describing every entry under root: path, type, contents or link target."""
    lines = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in sorted(dirnames + filenames):
            path = Path(dirpath, name)
            rel = path.relative_to(root)
            if path.is_symlink():
                lines.append(f"{rel} -> {os.readlink(path)}")
            elif path.is_dir():
                lines.append(f"{rel}/")
            else:
                data = path.read_bytes()
                shown = data.decode("utf-8", "backslashreplace") if len(data) <= 200 else (
                    f"<{len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()[:16]}>")
                lines.append(f"{rel}: {shown!r}")
    return sorted(lines)


def run(cmd, stdin):
    try:
        p = subprocess.run(cmd, input=stdin, capture_output=True, timeout=TIMEOUT)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        return "timeout", e.stdout or b"", e.stderr or b""


def loom_cmd(args, wasm, dirs, env, argv):
    cmd = [args.loom, "run"]
    for host, guest, ro in dirs:
        cmd += ["--ro-dir" if ro else "--dir", f"{host}::{guest}"]
    for kv in env:
        cmd += ["--env", kv]
    return cmd + ["--", wasm] + argv


def node_cmd(args, wasm, dirs, env, argv):
    cmd = [args.node, "--no-warnings", "--no-turbo-fast-api-calls", "--stack-size=4000",
           str(HERE / "node_run.mjs")]
    for host, guest, _ in dirs:
        cmd += ["--dir", f"{host}::{guest}"]
    for kv in env:
        cmd += ["--env", kv]
    return cmd + ["--", wasm] + argv


def show_diff(what, a, b, name_a="loom", name_b="node"):
    if a == b:
        return False
    text = lambda x: x.decode("utf-8", "backslashreplace") if isinstance(x, bytes) else "\n".join(x)
    diff = difflib.unified_diff(text(a).splitlines(), text(b).splitlines(), name_a, name_b,
                                lineterm="", n=2)
    print(f"--- {what} differs:")
    print("\n".join(diff))
    return True


def differential(args, wasm, fixture, runs, env, stdin):
    failed = False
    for argv in runs:
        results = {}
        with tempfile.TemporaryDirectory(prefix="loom-wasi-") as tmp:
            for engine, make in (("loom", loom_cmd), ("node", node_cmd)):
                sandbox = Path(tmp, engine)
                copy_fixture(fixture, sandbox)
                code, out, err = run(make(args, wasm, [(sandbox, "/sandbox", False)], env, argv),
                                     stdin)
                results[engine] = (code, out, err, tree(sandbox))
        (lc, lo, le, lt), (nc, no, ne, nt) = results["loom"], results["node"]
        label = " ".join(shlex.quote(a) for a in argv) or "(no args)"
        if (lc, lo, le, lt) != (nc, no, ne, nt):
            print(f"=== MISMATCH for args {label}")
            if lc != nc:
                print(f"--- exit code differs: loom {lc}, node {nc}")
            show_diff("stdout", lo, no)
            show_diff("stderr", le, ne)
            show_diff("sandbox tree afterwards", lt, nt)
            failed = True
        else:
            print(f"same for args {label}: exit {lc}, {len(lo)} bytes of stdout, {len(lt)} entries")
    return 1 if failed else 0


def copy_fixture(fixture, dest):
    if fixture.is_dir():
        shutil.copytree(fixture, dest, symlinks=True)
    else:
        dest.mkdir(parents=True)


def make_sandbox(root, fixture):
    """root/outer/{sandbox,ro,outside}: the sandbox holds links that lead out of it."""
    outer = root / "outer"
    sandbox, ro, outside = outer / "sandbox", outer / "ro", outer / "outside"
    copy_fixture(fixture, sandbox)
    (outside / "dir").mkdir(parents=True)
    (outside / "secret.txt").write_text(SECRET + "\n")
    (outside / "dir" / "secret2.txt").write_text(SECRET + " (2)\n")
    ro.mkdir()
    (ro / "file.txt").write_text("read-only preopen file\n")
    (ro / "sub").mkdir()
    (sandbox / "deep" / "er").mkdir(parents=True, exist_ok=True)
    (sandbox / "file.txt").write_text("inside\n")
    links = {
        "abs_secret": str(outside / "secret.txt"),
        "abs_outside": str(outside),
        "abs_root": "/",
        "abs_etc_passwd": "/etc/passwd",
        "rel_secret": "../outside/secret.txt",
        "rel_outside": "../outside",
        "deep/er/rel_up": "../../../outside/secret.txt",
        "deep/rel_in": "../file.txt",
        "rel_dangling": "../outside/created-by-guest.txt",
        "abs_dangling": str(outside / "created-by-guest.txt"),
        "hop": "deep/er/rel_up",
    }
    for name, target in links.items():
        os.symlink(target, sandbox / name)
    return sandbox, ro


def age(root):
    """Sets every time under root to OLD_TIME, so that a later read or change shows."""
    for path in [p for p in root.rglob("*") if not p.is_symlink()] + [root]:
        os.utime(path, (OLD_TIME, OLD_TIME))


def snapshot_outside(root, sandbox, ro):
    """lstat of everything under root except the sandbox (no reads: they would move atimes).
    Atimes are left out for directories (taking the snapshot lists them) and in the read-only
    preopen (the guest may read it)."""
    state = {}
    for path in sorted(root.rglob("*")) + [root]:
        if path == sandbox or sandbox in path.parents:
            continue
        st = path.lstat()
        readable = path.is_dir() or path == ro or ro in path.parents
        atime = None if readable else st.st_atime_ns
        state[str(path.relative_to(root))] = (st.st_mode, st.st_size, st.st_mtime_ns, atime)
    return state


def contents_outside(root, sandbox):
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and not p.is_symlink() and sandbox not in p.parents}


def line_matches(expected, actual):
    pattern = "".join(f"(?:{m[1:-1]})" if m.startswith("{") else re.escape(m)
                      for m in re.split(r"(\{[^{}]*\|[^{}]*\})", expected))
    return re.fullmatch(pattern, actual) is not None


def resolve_expected(expected, actual):
    """The expected lines, each replaced by its actual line when they match, so that a diff
    shows only real differences (and no {A|B} patterns that did match)."""
    act = actual.splitlines()
    return [act[i] if i < len(act) and line_matches(e, act[i]) else e
            for i, e in enumerate(expected.splitlines())]


def expected_mode(args, wasm, fixture, runs, env, stdin, exit_code):
    expected = Path(args.expected).read_text()
    failed = False
    for argv in runs:
        with tempfile.TemporaryDirectory(prefix="loom-wasi-") as tmp:
            root = Path(tmp)
            sandbox, ro = make_sandbox(root, fixture)
            contents = contents_outside(root, sandbox)
            age(root)
            before = snapshot_outside(root, sandbox, ro)
            dirs = [(sandbox, "/sandbox", False), (ro, "/ro", True)]
            code, out, err = run(loom_cmd(args, wasm, dirs, env, argv), stdin)
            after = snapshot_outside(root, sandbox, ro)
            changed = contents != contents_outside(root, sandbox)
        text = out.decode("utf-8", "backslashreplace")
        if code != exit_code:
            print(f"--- exit code {code}, expected {exit_code}; stderr:\n{err.decode(errors='replace')}")
            failed = True
        resolved = resolve_expected(expected, text)
        if resolved != text.splitlines():
            show_diff("stdout (expected vs loom)", resolved, text.splitlines(), "expected", "loom")
            failed = True
        if SECRET in text or SECRET in err.decode(errors="replace"):
            print("--- the guest read a file outside the sandbox")
            failed = True
        if changed:
            print("--- a file outside the sandbox changed its contents")
            failed = True
        for key in sorted(set(before) | set(after)):
            if before.get(key) != after.get(key):
                what = "created" if key not in before else "removed" if key not in after else (
                    "read (atime moved)" if before[key][:3] == after[key][:3] else "modified")
                print(f"--- outside the sandbox, {key or '.'} was {what}")
                failed = True
    if not failed:
        print(f"loom output matches {args.expected}; nothing outside the sandbox was touched")
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--loom", required=True)
    ap.add_argument("--node", default=shutil.which("node"))
    ap.add_argument("--expected", help="Loom-only: compare stdout with this file")
    ap.add_argument("wasm")
    ap.add_argument("source", help="the program's .c file (header comments, fixture name)")
    args = ap.parse_args()

    if not os.access(args.loom, os.X_OK):
        print(f"SKIP: loom not found at {args.loom}")
        return SKIP
    if not args.expected and not args.node:
        print("SKIP: node (Node.js) not found; the differential tests need it")
        return SKIP
    if not Path(args.wasm).is_file():
        print(f"SKIP: {args.wasm} was not built (wasm32-wasi toolchain missing?)")
        return SKIP
    source = Path(args.source)
    fixture = HERE / "fixtures" / source.stem
    runs, env, stdin, exit_code = parse_header(source)
    if args.expected:
        return expected_mode(args, args.wasm, fixture, runs, env, stdin, exit_code)
    return differential(args, args.wasm, fixture, runs, env, stdin)


if __name__ == "__main__":
    sys.exit(main())
