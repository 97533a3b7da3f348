#!/usr/bin/env bash
# Interpreter benchmark: builds every kernel in bench/kernels/*.c natively and to freestanding
# wasm32, runs each natively, under Loom, under wabt's wasm-interp and under Node.js, checks that
# every engine prints native's checksum, and prints a table of best-of-N wall times and ratios.
#
# Needs the Debian packages clang-19 lld-19 wabt nodejs:
#     apt-get install -y clang-19 lld-19 wabt nodejs
# (clang-19 and lld-19 are required; a missing wasm-interp, node or Loom binary shows as "n/a").
#
# Usage (from anywhere; after ./scripts/build.sh, Loom is build/loom):
#     bash bench/kernels/run.sh [KERNEL...]          # default: every kernel
# Environment:
#     LOOM=build/loom          Loom binary (relative paths are taken from the current directory);
#                              it is copied into BUILD first unless LOOM_SNAPSHOT=0
#     BUILD=build/bench-kernels  output folder for binaries, outputs and the log
#     RUNS=3                   best-of-N wall time per cell
#     TIMEOUT=300              seconds per run; a run that exceeds it is reported as "timeout"
#     NICE=5                   nice level of every timed run (0 to disable)
#     MEASURE=wall             wall: elapsed time; cpu: user+system time of the process (less
#                              sensitive to other load on a shared machine)
#     ENGINES="native loom wasm-interp node"   engines to run (others show "-")
#     CC=clang-19  WASM_INTERP=wasm-interp  NODE=node  NODE_FLAGS=""  (e.g. NODE_FLAGS=--no-liftoff)
#
# Cells: seconds (best of RUNS, whole process wall time, so startup/compile is included),
# "n/a" (engine missing), "timeout", "error" (non-zero exit: trap, unsupported, ...; see the log),
# "MISMATCH" (checksum differs from native). Ratios and the geomean row use numeric cells only.
# "node-in" is node's own in-process time of the run() call (best of RUNS), for reference only.
set -uo pipefail

orig_pwd=$(pwd)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
kdir="$root/bench/kernels"

abspath() {  # resolve $1 against the directory the script was started from
  case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$orig_pwd/$1" ;; esac
}

if [[ -n "${LOOM:-}" ]]; then LOOM=$(abspath "$LOOM"); else LOOM="$root/build/loom"; fi
if [[ -n "${BUILD:-}" ]]; then BUILD=$(abspath "$BUILD"); else BUILD="$root/build/bench-kernels"; fi
RUNS=${RUNS:-3}
TIMEOUT=${TIMEOUT:-300}
NICE=${NICE:-5}
ENGINES=${ENGINES:-"native loom wasm-interp node"}
CC=${CC:-clang-19}
WASM_INTERP=${WASM_INTERP:-wasm-interp}
NODE=${NODE:-node}
NODE_FLAGS=${NODE_FLAGS:-}
MEASURE=${MEASURE:-wall}
[[ "$MEASURE" == wall || "$MEASURE" == cpu ]] || { echo "run.sh: MEASURE is wall or cpu" >&2; exit 1; }
nice_cmd=()
((NICE > 0)) && nice_cmd=(nice -n "$NICE")
TIMEFORMAT='%3R %3U %3S'

die() { echo "run.sh: $*" >&2; exit 1; }
command -v "$CC" >/dev/null || die "$CC not found (apt-get install -y clang-19 lld-19)"
command -v wasm-ld-19 >/dev/null || command -v wasm-ld >/dev/null ||
  die "wasm-ld not found (apt-get install -y lld-19)"
command -v timeout >/dev/null || die "timeout (coreutils) not found"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"

# ---- kernels -------------------------------------------------------------------------------
if (($# > 0)); then
  kernels=("$@")
else
  kernels=()
  for f in "$kdir"/*.c; do
    k=$(basename "$f" .c)
    [[ "$k" == native_main ]] || kernels+=("$k")
  done
fi

mkdir -p "$BUILD"
log="$BUILD/log.txt"
: >"$log"

# Kernel flags: -fno-math-errno so sqrt is the plain instruction natively too (same f64 results).
common_flags=(-O2 -fno-math-errno -Wall -Wextra)
echo "building ${#kernels[@]} kernels into $BUILD" >&2
for k in "${kernels[@]}"; do
  src="$kdir/$k.c"
  [[ -f "$src" ]] || die "no kernel $src"
  "$CC" "${common_flags[@]}" -o "$BUILD/$k.native" "$kdir/native_main.c" "$src" ||
    die "native build of $k failed"
  "$CC" --target=wasm32 "${common_flags[@]}" -nostdlib -Wl,--no-entry -Wl,--export=run \
    -o "$BUILD/$k.wasm" "$src" || die "wasm build of $k failed"
done

# ---- engines -------------------------------------------------------------------------------
declare -A available
for e in native loom wasm-interp node; do available[$e]=0; done
for e in $ENGINES; do
  case "$e" in
    native) available[$e]=1 ;;
    loom) [[ -x "$LOOM" ]] && available[$e]=1 ;;
    wasm-interp) command -v "$WASM_INTERP" >/dev/null && available[$e]=1 ;;
    node) command -v "$NODE" >/dev/null && available[$e]=1 ;;
    *) die "unknown engine $e (native loom wasm-interp node)" ;;
  esac
done
in_engines() { [[ " $ENGINES " == *" $1 "* ]]; }

# Run a private copy of the Loom binary, so a rebuild of build/loom during the (long) run neither
# breaks it ("Permission denied" while the linker writes the file) nor mixes two builds' timings.
loom_label=$LOOM
if ((available[loom] == 1)) && [[ "${LOOM_SNAPSHOT:-1}" == 1 ]]; then
  if ! { cp "$LOOM" "$BUILD/loom.snapshot" && "$BUILD/loom.snapshot" --help >/dev/null 2>&1; }; then
    die "cannot copy or run $LOOM"
  fi
  loom_label="$LOOM (copied to $BUILD/loom.snapshot at $(date +%H:%M:%S))"
  LOOM="$BUILD/loom.snapshot"
fi

engine_cmd() {  # engine kernel -> sets cmd array
  local e=$1 k=$2
  # shellcheck disable=SC2206  # NODE_FLAGS is split into words on purpose
  case "$e" in
    native) cmd=("$BUILD/$k.native") ;;
    loom) cmd=("$LOOM" run --invoke run "$BUILD/$k.wasm") ;;
    # wabt 1.0.32 has no option to run one export; `run` is the module's only function export.
    wasm-interp) cmd=("$WASM_INTERP" "$BUILD/$k.wasm" --run-all-exports) ;;
    node) cmd=("$NODE" $NODE_FLAGS "$kdir/run_node.mjs" "$BUILD/$k.wasm") ;;
  esac
}

# Checksum from an engine's stdout, as an unsigned decimal: native and node print it unsigned,
# Loom prints the i32 signed, wasm-interp prints "run() => i32:N".
parse_checksum() {
  local line
  line=$(grep -v '^[[:space:]]*$' "$1" | tail -n 1)
  line=${line##*:}
  line=${line//[[:space:]]/}
  [[ "$line" =~ ^-?[0-9]+$ ]] || { echo "?"; return; }
  if ((line < 0)); then line=$((line + 4294967296)); fi
  echo "$line"
}

# result[k,e] = seconds | n/a | timeout | error | MISMATCH | -
declare -A result inproc
declare -A native_sum
for k in "${kernels[@]}"; do
  for e in native loom wasm-interp node; do
    if ! in_engines "$e"; then result[$k,$e]="-"; continue; fi
    if ((available[$e] == 0)); then result[$k,$e]="n/a"; continue; fi
    if [[ "$e" != native && -z "${native_sum[$k]:-}" ]]; then
      result[$k,$e]="-"  # no reference checksum
      continue
    fi
    engine_cmd "$e" "$k"
    best="" cell=""
    for ((r = 1; r <= RUNS; r++)); do
      out="$BUILD/$k.$e.out" err="$BUILD/$k.$e.err"
      # bash's `time` gives the wall time and the user+system time of the process tree
      { time timeout "$TIMEOUT" "${nice_cmd[@]}" "${cmd[@]}" >"$out" 2>"$err"; } 2>"$BUILD/time.tmp"
      rc=$?
      read -r real user sys <"$BUILD/time.tmp"
      if [[ "$MEASURE" == cpu ]]; then
        t=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')
      else
        t=$real
      fi
      if ((rc == 124)); then
        cell="timeout"
        echo "$k/$e: timeout after ${TIMEOUT}s: ${cmd[*]}" >>"$log"
        break
      elif ((rc != 0)); then
        cell="error"
        { echo "$k/$e: exit status $rc: ${cmd[*]}"; head -c 2000 "$err"; echo; } >>"$log"
        break
      fi
      sum=$(parse_checksum "$out")
      if [[ "$e" == native ]]; then
        native_sum[$k]=$sum
      elif [[ "$sum" != "${native_sum[$k]}" ]]; then
        cell="MISMATCH"
        { echo "$k/$e: checksum $sum, native ${native_sum[$k]}: ${cmd[*]}"; head -c 2000 "$out";
          head -c 2000 "$err"; echo; } >>"$log"
        break
      fi
      if [[ -z "$best" ]] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
      if [[ "$e" == node ]]; then
        it=$(sed -n 's/.*node-inproc .* run=\([0-9.]*\).*/\1/p' "$err")
        if [[ -n "$it" ]] && { [[ -z "${inproc[$k]:-}" ]] ||
          awk -v a="$it" -v b="${inproc[$k]}" 'BEGIN { exit !(a < b) }'; }; then
          inproc[$k]=$it
        fi
      fi
    done
    if [[ -z "$cell" ]]; then cell=$best; fi
    if [[ "$e" == native && "$cell" != "$best" ]]; then unset 'native_sum[$k]'; fi
    result[$k,$e]=$cell
    if [[ "$e" == native ]]; then echo "  $k native: $cell (checksum ${native_sum[$k]:-?})" >&2; else echo "  $k $e: $cell" >&2; fi
  done
done

# ---- table ---------------------------------------------------------------------------------
isnum() { [[ "$1" =~ ^[0-9]+(\.[0-9]+)?$ ]]; }
ratio() {  # a b -> a/b or "-"
  if isnum "$1" && isnum "$2" && awk -v b="$2" 'BEGIN { exit !(b > 0) }'; then
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
  else
    echo "-"
  fi
}
fmt_time() { if isnum "$1"; then awk -v a="$1" 'BEGIN { printf "%.3f", a }'; else echo "$1"; fi; }

columns=(native loom wasm-interp node node-in loom/native wasm-interp/loom node/native)
declare -A cellv
for k in "${kernels[@]}"; do
  cellv[$k,native]=$(fmt_time "${result[$k,native]}")
  cellv[$k,loom]=$(fmt_time "${result[$k,loom]}")
  cellv[$k,wasm-interp]=$(fmt_time "${result[$k,wasm-interp]}")
  cellv[$k,node]=$(fmt_time "${result[$k,node]}")
  if isnum "${result[$k,node]}" && [[ -n "${inproc[$k]:-}" ]]; then
    cellv[$k,node-in]=$(fmt_time "${inproc[$k]}")
  else
    cellv[$k,node-in]="-"
  fi
  cellv[$k,loom/native]=$(ratio "${result[$k,loom]}" "${result[$k,native]}")
  cellv[$k,wasm-interp/loom]=$(ratio "${result[$k,wasm-interp]}" "${result[$k,loom]}")
  cellv[$k,node/native]=$(ratio "${result[$k,node]}" "${result[$k,native]}")
done
# geometric mean of each column over its numeric cells (count shown when some are missing)
for c in "${columns[@]}"; do
  vals=()
  for k in "${kernels[@]}"; do isnum "${cellv[$k,$c]}" && vals+=("${cellv[$k,$c]}"); done
  if ((${#vals[@]} == 0)); then
    cellv[geomean,$c]="-"
  else
    g=$(printf '%s\n' "${vals[@]}" | awk '$1 > 0 { s += log($1); n++ } END { if (n) printf "%.3f", exp(s / n); else print "-" }')
    if [[ "$c" == */* && "$g" != "-" ]]; then g=$(awk -v a="$g" 'BEGIN { printf "%.2f", a }'); fi
    ((${#vals[@]} < ${#kernels[@]})) && g="$g (${#vals[@]})"
    cellv[geomean,$c]=$g
  fi
done

echo
if [[ "$MEASURE" == cpu ]]; then what="user+system CPU"; else what="wall-clock"; fi
echo "best of $RUNS $what seconds per process (timeout ${TIMEOUT}s); loom: $loom_label"
declare -A width
for c in "${columns[@]}"; do
  width[$c]=${#c}
  for k in "${kernels[@]}" geomean; do ((${#cellv[$k,$c]} > width[$c])) && width[$c]=${#cellv[$k,$c]}; done
done
printf '%-10s' kernel
for c in "${columns[@]}"; do printf ' %*s' "${width[$c]}" "$c"; done
echo
for k in "${kernels[@]}" geomean; do
  printf '%-10s' "$k"
  for c in "${columns[@]}"; do printf ' %*s' "${width[$c]}" "${cellv[$k,$c]}"; done
  echo
done
if [[ -s "$log" ]]; then
  echo
  echo "problems (also in $log):"
  cat "$log"
fi
