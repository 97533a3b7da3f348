#!/usr/bin/env python3
"""The loom CLI compiles against the public API only: with the exact flags of src/cli/main.cpp
(from compile_commands.json), a file including a public header compiles and one including a stage
header (binary/decoder.hpp) does not, because src/ is not on the CLI's include path."""
import json
import os
import shlex
import subprocess
import sys
import tempfile

build_dir = sys.argv[1]
with open(os.path.join(build_dir, "compile_commands.json")) as f:
    entries = json.load(f)
entry = next(e for e in entries if e["file"].endswith("src/cli/main.cpp"))
args = shlex.split(entry["command"]) if "command" in entry else entry["arguments"]
# Drop the output and the source; keep the compiler, the include path and the flags.
flags, skip = [], False
for arg in args:
    if skip:
        skip = False
        continue
    if arg == "-o":
        skip = True
        continue
    if arg in ("-c", entry["file"]) or arg.endswith("cli/main.cpp"):
        continue
    flags.append(arg)


def compiles(source):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "probe.cpp")
        with open(path, "w") as out:
            out.write(source)
        run = subprocess.run(flags + ["-fsyntax-only", path], cwd=entry["directory"],
                             capture_output=True, text=True)
        return run.returncode == 0, run.stderr


ok, err = compiles('#include <loom/loom.hpp>\n#include <loom/text.hpp>\n#include <loom/wast.hpp>\n'
                   'int main() { return loom::all_features().empty(); }\n')
if not ok:
    sys.exit("public headers do not compile with the CLI's flags:\n" + err)
for header in ("binary/decoder.hpp", "runtime/instance.hpp", "api/state.hpp"):
    ok, err = compiles('#include "%s"\nint main() { return 0; }\n' % header)
    if ok:
        sys.exit("the CLI's flags reach the internal header " + header)
    if header not in err:
        sys.exit("unexpected error for " + header + ":\n" + err)
print("the CLI sees only include/")
