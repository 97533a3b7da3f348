#!/usr/bin/env bash
# Finding 5 of the sandbox hardening, end to end: `loom print` output stays linear in its input
# with bounded memory, and no command reads more than the module-bytes limit (/dev/zero).
# Usage: print_test.sh LOOM WORK_DIR
set -u
loom=$1 work=$2
mkdir -p "$work"
passed=0 failed=0
pass() { passed=$((passed + 1)); }
fail() {
  failed=$((failed + 1))
  echo "FAIL $*"
}

# A 40 KB module: one function of 13,333 nested blocks (3 bytes a level).
levels=13333
{
  echo "(module (func"
  for ((i = 0; i < levels; i++)); do echo block; done
  for ((i = 0; i < levels; i++)); do echo end; done
  echo "))"
} >"$work/nested.wat"
"$loom" wat2wasm "$work/nested.wat" -o "$work/nested.wasm" || fail "wat2wasm of the nested module"
input_size=$(stat -c %s "$work/nested.wasm")

# Memory: a 64 MiB address-space cap (the old printer built 350 MB of text for this module).
# Sanitizer builds reserve terabytes of shadow memory, so they run without the cap.
cap_memory="ulimit -v 65536"
if grep -qa AddressSanitizer "$loom"; then cap_memory=":"; fi

for mode in flat folded; do
  flag=()
  [[ $mode == folded ]] && flag=(--folded)
  out="$work/nested-$mode.wat"
  if (eval "$cap_memory" && exec "$loom" print "${flag[@]}" "$work/nested.wasm" >"$out"); then
    pass
  else
    fail "print $mode of the nested module (exit $?)"
  fi
  output_size=$(stat -c %s "$out")
  if ((output_size < 64 * input_size)); then pass; else
    fail "print $mode: $output_size bytes of text for $input_size bytes of module (want < 64x)"
  fi
  # The text reads back to the same module.
  if "$loom" wat2wasm "$out" -o "$work/back-$mode.wasm" && cmp -s "$work/back-$mode.wasm" "$work/nested.wasm"; then
    pass
  else
    fail "print $mode does not read back to the same module"
  fi
  # -o writes the same text as stdout.
  if "$loom" print "${flag[@]}" "$work/nested.wasm" -o "$work/nested-$mode-o.wat" &&
    cmp -s "$work/nested-$mode-o.wat" "$out"; then
    pass
  else
    fail "print $mode -o differs from stdout"
  fi
done

# The text parser's first pass only counts parentheses nested deeper than it looks at: 10 MB of
# '(' is an error in bounded memory (it took 80 bytes a level, 800 MB).
{
  printf '(module (func '
  head -c 10000000 /dev/zero | tr '\0' '('
} >"$work/parens.wat"
output=$(eval "$cap_memory" && exec "$loom" wat2wasm "$work/parens.wat" -o "$work/parens.wasm" 2>&1)
status=$?
if [[ $status -eq 1 && $output =~ "parens.wat:1:10000014: unclosed '(': missing ')'" ]]; then pass; else
  fail "wat2wasm of 10 MB of '(': exit $status (want 1), output: $(echo "$output" | head -3)"
fi

# Reading stops at the module-bytes limit, for every command, within seconds.
limit_message='/dev/zero: file too large: implementation limit exceeded: bytes in a module \(module-bytes = 1073741824\)'
for command in "validate /dev/zero" "print /dev/zero" "print --folded /dev/zero" \
  "wat2wasm /dev/zero -o $work/zero.wasm" "run /dev/zero" "wast /dev/zero"; do
  output=$(timeout 20 "$loom" $command 2>&1)
  status=$?
  if [[ $status -eq 1 && $output =~ $limit_message ]]; then pass; else
    fail "loom $command: exit $status (want 1), output: $(echo "$output" | head -3)"
  fi
done

# A failed print leaves no output file behind.
printf '\x00\x61\x73\x6d\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x03\x02\x01\x00\x0a\x05\x01\x03\x00\xff\x0b' >"$work/bad_body.wasm"
rm -f "$work/bad_body.wat"
if ! "$loom" print "$work/bad_body.wasm" -o "$work/bad_body.wat" 2>/dev/null && [[ ! -e $work/bad_body.wat ]]; then
  pass
else
  fail "print of an undecodable body left $work/bad_body.wat"
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
