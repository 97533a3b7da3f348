#!/usr/bin/env bash
# The tier switch (issue 10): `loom run` and `loom wast` take --tier interp|jit, else $LOOM_TIER,
# else the machine's default; both tiers give the same results; --jit-fallbacks reports on stderr.
# Usage: tier_test.sh LOOM WORK_DIR
set -u
loom=$1 work=$2
mkdir -p "$work"
source "$(dirname "${BASH_SOURCE[0]}")/check.sh"

printf '(module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))\n  (func (export "boom") (unreachable)))\n' \
  >"$work/add.wat"
printf '(module (func (export "f") (result i32) (i32.const 7)))\n(assert_return (invoke "f") (i32.const 7))\n' \
  >"$work/ok.wast"

for tier in interp jit; do
  check "run --tier $tier" 0 '^5$' -- "$loom" run --tier "$tier" --invoke add "$work/add.wat" 2 3
  check "LOOM_TIER=$tier" 0 '^5$' -- env LOOM_TIER="$tier" "$loom" run --invoke add "$work/add.wat" 2 3
  check "a trap on $tier" 134 'wasm trap: unreachable' \
    -- "$loom" run --tier "$tier" --invoke boom "$work/add.wat"
  check "wast --tier $tier" 0 '2 passed, 0 failed' -- "$loom" wast --tier "$tier" "$work/ok.wast"
done
check "--tier overrides LOOM_TIER" 0 '^5$' \
  -- env LOOM_TIER=bogus "$loom" run --tier interp --invoke add "$work/add.wat" 2 3
check "an unknown --tier is refused" 105 'tier' -- "$loom" run --tier fast --invoke add "$work/add.wat" 2 3
check "an unknown LOOM_TIER is refused by run" 1 'LOOM_TIER=bogus is not a tier' \
  -- env LOOM_TIER=bogus "$loom" run --invoke add "$work/add.wat" 2 3
check "an unknown LOOM_TIER is refused by wast" 1 'LOOM_TIER=bogus is not a tier' \
  -- env LOOM_TIER=bogus "$loom" wast "$work/ok.wast"
check "the help names the tiers and the default" 0 'tier.*\{interp,jit\}' -- "$loom" run --help
# The interpreter never reports fallbacks; the JIT reports what it leaves to the interpreter
# (or that it is not available here), on stderr only.
check "--jit-fallbacks is silent on the interpreter" 0 '^5$' \
  -- "$loom" run --tier interp --jit-fallbacks --invoke add "$work/add.wat" 2 3
out=$("$loom" run --tier jit --jit-fallbacks --invoke add "$work/add.wat" 2 3 2>/dev/null)
check "--jit-fallbacks leaves stdout alone" 0 '^5$' -- echo "$out"

finish
