#!/usr/bin/env python3
"""Checks `loom validate` against the binary modules of a spec .wast file.

Debian's wabt (wast2json) converts the script into .wasm files plus a JSON list of commands. Every
module the script expects to decode and validate (plain modules, and those of assert_trap,
assert_unlinkable, assert_uninstantiable) must be accepted; every assert_invalid module and every
assert_malformed *binary* module must be rejected. Malformed *text* modules are the text parser's
business and are not checked here. Until Loom's own WAST runner exists this is the full check of
issue 2's "done when" for the files wabt can convert.

Prints `FILE: N passed, N failed` and exits 1 on any failure, 77 (skip) when wast2json is absent
or cannot convert the file (reason printed).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

EXPECT_VALID = {"module", "assert_trap", "assert_unlinkable", "assert_uninstantiable",
                "assert_exhaustion", "assert_return"}
EXPECT_REJECT = {"assert_invalid", "assert_malformed"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--loom", required=True)
    ap.add_argument("--wast", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--wabt-flag", action="append", default=[],
                    help="extra wast2json flag, e.g. --enable-memory64 for a 3.0 file")
    args = ap.parse_args()

    name = os.path.basename(args.wast)
    if not shutil.which("wast2json"):
        print(f"{name}: skipped: wast2json (Debian package wabt) is not installed")
        return 77
    work = os.path.join(args.work, name.removesuffix(".wast"))
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    json_path = os.path.join(work, "script.json")
    conv = subprocess.run(["wast2json", *args.wabt_flag, args.wast, "-o", json_path],
                          capture_output=True, text=True)
    if conv.returncode != 0:
        first = conv.stderr.strip().splitlines()[0] if conv.stderr.strip() else "?"
        print(f"{name}: skipped: wabt 1.0.32 cannot convert this file ({first})")
        return 77

    with open(json_path) as f:
        commands = json.load(f)["commands"]
    expectations = []  # (path, should_be_valid, command)
    for cmd in commands:
        filename = cmd.get("filename")
        if not filename or not filename.endswith(".wasm"):
            continue
        kind = cmd["type"]
        if kind in EXPECT_REJECT:
            if cmd.get("module_type", "binary") == "text" and kind == "assert_malformed":
                continue
            expectations.append((os.path.join(work, filename), False, cmd))
        elif kind in EXPECT_VALID:
            expectations.append((os.path.join(work, filename), True, cmd))

    rejected = {}
    # One process for many files; stderr has one "path: message" line per rejected file.
    batch = 500
    for start in range(0, len(expectations), batch):
        paths = [p for p, _, _ in expectations[start:start + batch]]
        run = subprocess.run([args.loom, "validate", *paths], capture_output=True, text=True,
                             timeout=120)
        if run.returncode not in (0, 1):
            print(f"{name}: loom validate crashed (exit {run.returncode})\n{run.stderr[-2000:]}")
            return 1
        for line in run.stderr.splitlines():
            path, _, message = line.partition(": ")
            rejected[path] = message

    passed = failed = 0
    for path, should_be_valid, cmd in expectations:
        is_valid = path not in rejected
        if is_valid == should_be_valid:
            passed += 1
            continue
        failed += 1
        where = f"{name}:{cmd.get('line')}: {cmd['type']}"
        if should_be_valid:
            print(f"  {where}: rejected a valid module: {rejected[path]}")
        else:
            print(f"  {where}: accepted a module that should fail with \"{cmd.get('text')}\"")
    print(f"{name}: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
