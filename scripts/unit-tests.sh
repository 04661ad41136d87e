#!/usr/bin/env bash
# unit-tests.sh DIR - runs every unit test binary in DIR (sanitizer build);
# fails if any test fails or a sanitizer reports anything.
set -uo pipefail
dir=$1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=0
for t in "$dir"/*; do
  [ -f "$t" ] && [ -x "$t" ] || continue
  if ! "$t"; then
    echo "unit: $(basename "$t") FAILED" >&2
    failed=1
  fi
done
exit $failed
