#!/usr/bin/env python3
"""Runs a program of tests/wasi/stdio/ under `loom run` with its stdio on host files of several
kinds and checks what the guest sees and what stays of the host's descriptors afterwards.

  isatty       finding 10: stdio on /dev/null, a pipe, a regular file (isatty 0) and a
               pseudo-terminal (isatty 1); the guest's isatty() must be the host's, and Node.js's
               where node is installed.
  stdio_flags  finding 7: the guest sets O_NONBLOCK and O_APPEND on its stdio; the host's open file
               descriptions (the pipe and file this script holds) must keep their flags while Loom
               runs and after it exits, while the guest still sees its flags, gets EAGAIN from the
               empty pipe, and its write lands at the end of the file.
Exit codes: 0 pass, 1 mismatch, 77 skipped (a tool is missing).
"""
import argparse
import fcntl
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SKIP = 77
TIMEOUT = 60


def run_isatty(cmd, sandbox, stdio):
    """Runs cmd with fds 0, 1, 2 = stdio; returns (exit code, the isatty values, result text)."""
    result = sandbox / "result.txt"
    result.unlink(missing_ok=True)
    p = subprocess.run(cmd, stdin=stdio[0], stdout=stdio[1], stderr=stdio[2], timeout=TIMEOUT)
    text = result.read_text() if result.exists() else ""
    values = [int(v) for v in re.findall(r"isatty (\d)", text)]
    return p.returncode, values, text


def isatty_test(args):
    failed = False
    with tempfile.TemporaryDirectory(prefix="loom-stdio-") as tmp:
        sandbox = Path(tmp, "sandbox")
        sandbox.mkdir()
        engines = [("loom", [args.loom, "run", "--dir", f"{sandbox}::/sandbox", args.wasm])]
        if args.node:
            engines.append(("node", [args.node, "--no-warnings", str(HERE / "node_run.mjs"),
                                     "--dir", f"{sandbox}::/sandbox", "--", args.wasm]))
        else:
            print("note: node not found, Loom's answers are compared with the host's only")

        def devnull():
            fd = os.open("/dev/null", os.O_RDWR)
            return [fd, fd, fd], [fd]

        def pipes():
            r, w = os.pipe()
            r2, w2 = os.pipe()
            return [r, w2, w2], [r, w, r2, w2]

        def regular():
            fd = os.open(Path(tmp, "file"), os.O_RDWR | os.O_CREAT, 0o644)
            return [fd, fd, fd], [fd]

        def terminal():
            master, slave = pty.openpty()
            return [slave, slave, slave], [master, slave]

        setups = [("/dev/null", devnull), ("a pipe", pipes), ("a regular file", regular),
                  ("a pseudo-terminal", terminal)]
        for label, make in setups:
            for engine, cmd in engines:
                stdio, to_close = make()
                native = [int(os.isatty(fd)) for fd in stdio]
                want = [1, 1, 1] if label == "a pseudo-terminal" else [0, 0, 0]
                try:
                    code, values, text = run_isatty(cmd, sandbox, stdio)
                finally:
                    for fd in to_close:
                        os.close(fd)
                ok = code == 0 and values == want == native
                print(f"{'ok  ' if ok else 'FAIL'} {engine} with stdio on {label}: exit {code}, "
                      f"isatty {values} (host {native}, expected {want})")
                if not ok:
                    print("  " + text.replace("\n", "\n  "))
                    failed = failed or engine == "loom"  # node's answers are informational
                elif engine == "loom":
                    print("  " + text.strip().replace("\n", "\n  "))
    return 1 if failed else 0


EXPECTED_FLAGS_OUTPUT = """F_SETFL 0 O_NONBLOCK: ok
F_SETFL 1 O_APPEND|O_NONBLOCK: ok
F_GETFL 0: O_NONBLOCK yes
F_GETFL 1: O_APPEND yes, O_NONBLOCK yes
read of the empty pipe: EAGAIN
write to stdout: 9
ready
poll: 1
read after poll: [go]
F_SETFL 0 blocking: ok
blocking
blocking read: [late]
"""


def fdinfo_flags(pid, fd):
    """The flags line of /proc/PID/fdinfo/FD: the status flags of Loom's description."""
    info = Path(f"/proc/{pid}/fdinfo/{fd}").read_text()
    return int(re.search(r"^flags:\s*([0-7]+)", info, re.M).group(1), 8)


def flags_test(args):
    failed = []
    with tempfile.TemporaryDirectory(prefix="loom-stdio-") as tmp:
        out_path = Path(tmp, "stdout.txt")
        out_path.write_text("0123456789")
        out_fd = os.open(out_path, os.O_WRONLY)  # offset 0, no O_APPEND
        in_read, in_write = os.pipe()
        p = subprocess.Popen([args.loom, "run", args.wasm], stdin=in_read, stdout=out_fd,
                             stderr=subprocess.PIPE)
        stderr = b""

        def read_until(marker):
            nonlocal stderr
            deadline = time.monotonic() + TIMEOUT
            while marker not in stderr and time.monotonic() < deadline:
                ready, _, _ = select.select([p.stderr], [], [], 1)
                if ready:
                    chunk = os.read(p.stderr.fileno(), 4096)
                    if not chunk:
                        return False
                    stderr += chunk
            return marker in stderr

        def check(when, pid):
            """The host's pipe and file (this script's descriptors for the same open file
            descriptions), and while Loom runs its fds 0 and 1, must have neither flag."""
            seen = [("the stdin pipe", fcntl.fcntl(in_read, fcntl.F_GETFL)),
                    ("the stdout file", fcntl.fcntl(out_fd, fcntl.F_GETFL))]
            if pid is not None:
                seen += [(f"/proc/{pid}/fdinfo/{fd}", fdinfo_flags(pid, fd)) for fd in (0, 1)]
            for what, flags in seen:
                if flags & (os.O_NONBLOCK | os.O_APPEND):
                    failed.append(f"{when}: {what} has flags {flags:o} (O_NONBLOCK or O_APPEND)")

        try:
            if read_until(b"ready\n"):
                check("while loom runs", p.pid)
                os.write(in_write, b"go\n")
                if read_until(b"blocking\n"):
                    time.sleep(0.2)  # the guest is in its blocking read by now
                    os.write(in_write, b"late\n")
            os.close(in_write)
            _, rest = p.communicate(timeout=TIMEOUT)
            stderr += rest
        except subprocess.TimeoutExpired:
            p.kill()
            failed.append("loom did not finish")
            p.communicate()
        check("after loom exited", None)
        if p.returncode != 0:
            failed.append(f"exit code {p.returncode}")
        text = stderr.decode(errors="replace")
        if text != EXPECTED_FLAGS_OUTPUT:
            failed.append("guest output differs:\n--- expected\n" + EXPECTED_FLAGS_OUTPUT +
                          "--- loom\n" + text)
        contents = out_path.read_text()
        if contents != "0123456789APPENDED\n":
            failed.append(f"stdout file holds {contents!r}, expected the write at its end")
        os.close(in_read)
        os.close(out_fd)
    for failure in failed:
        print("FAIL " + failure)
    if not failed:
        print("ok: the guest saw its flags and got EAGAIN; the host's pipe and file kept theirs")
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--loom", required=True)
    ap.add_argument("--node", default=shutil.which("node"))
    ap.add_argument("test", choices=["isatty", "stdio_flags"])
    ap.add_argument("wasm")
    args = ap.parse_args()
    if not os.access(args.loom, os.X_OK):
        print(f"SKIP: loom not found at {args.loom}")
        return SKIP
    if not Path(args.wasm).is_file():
        print(f"SKIP: {args.wasm} was not built (wasm32-wasi toolchain missing?)")
        return SKIP
    if args.node and not os.access(args.node, os.X_OK):
        args.node = None  # CMake passes LOOM_NODE-NOTFOUND when node is missing
    return isatty_test(args) if args.test == "isatty" else flags_test(args)


if __name__ == "__main__":
    sys.exit(main())
