# Shared by the CLI test scripts (sourced): counters and `check`, which runs a command and compares
# its exit status and combined output. Every command runs under `timeout`, so a limit that does
# not work fails instead of hanging.
passed=0 failed=0 skipped=0

# check NAME EXPECTED_EXIT EXPECTED_OUTPUT_REGEX -- COMMAND...
check() {
  local name=$1 want_exit=$2 want_output=$3
  shift 4
  local output exit_code
  output=$(timeout 60 "$@" 2>&1)
  exit_code=$?
  if [[ $exit_code -eq $want_exit && $output =~ $want_output ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $name: exit $exit_code (want $want_exit), output:"
    echo "$output" | head -5
  fi
}

# The closing line ctest and CI read, and the script's status.
finish() {
  echo "$passed passed, $failed failed, $skipped skipped"
  ((failed == 0))
}
