#!/usr/bin/env bash
# Start-up time of `loom run` on a tiny module against the cost of starting any process, measured
# by hyperfine in the same invocation: /bin/true (dynamically linked), a tiny static C program, `loom
# --version` and `loom run --invoke answer tiny.wasm`. Prints the median and minimum of RUNS runs
# of each (in rounds, interleaved), and the differences and ratios of the medians to /bin/true
# and to the static C program.
# Usage: bench/startup.sh [RUNS=300] (after a build; LOOM=path/to/loom picks another binary).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-300}
loom=$(realpath "${LOOM:-build/loom}")
command -v hyperfine >/dev/null || { echo "needs hyperfine (scripts/deps.sh)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo '(module (func (export "answer") (result i32) (i32.const 42)))' >"$work/tiny.wat"
"$loom" wat2wasm "$work/tiny.wat" -o "$work/tiny.wasm"
printf '#include <stdio.h>\nint main(void) { puts("42"); return 0; }\n' >"$work/hello.c"
cc -O2 -static "$work/hello.c" -o "$work/hello"

# Several rounds of hyperfine, so that a change of machine load hits every command alike.
rounds=5
for ((round = 0; round < rounds; round++)); do
  if ! hyperfine -N --style none --warmup 10 --runs $(((runs + rounds - 1) / rounds)) \
    --export-json "$work/round$round.json" -n /bin/true /bin/true -n "static C program" "$work/hello" \
    -n "loom --version" "$loom --version" \
    -n "loom run --invoke answer tiny.wasm" "$loom run --invoke answer $work/tiny.wasm" \
    >"$work/hyperfine.log" 2>&1; then
    cat "$work/hyperfine.log" >&2
    exit 1
  fi
done
python3 - "$work" "$rounds" <<'PY'
import json, statistics, sys
rounds = [json.load(open(f"{sys.argv[1]}/round{i}.json"))["results"] for i in range(int(sys.argv[2]))]
names = [r["command"] for r in rounds[0]]
times = {n: [t for rs in rounds for r in rs if r["command"] == n for t in r["times"]] for n in names}
true, static_c = statistics.median(times["/bin/true"]), statistics.median(times["static C program"])
print(f"start-up, {len(times[names[0]])} runs each  median       min   vs /bin/true      vs static C")
for n in names:
    m = statistics.median(times[n])
    print(f"{n:34} {m * 1e3:6.2f} ms {min(times[n]) * 1e3:6.2f} ms"
          f"  {(m - true) * 1e3:+6.2f} ms {m / true:4.2f}x  {(m - static_c) * 1e3:+6.2f} ms {m / static_c:4.2f}x")
PY
