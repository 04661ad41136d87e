#!/usr/bin/env bash
# fuzz.sh DIR SECONDS - runs each libFuzzer harness in DIR (built by `make
# build-fuzz` from tests/fuzz/<name>.c) for SECONDS, one after the other, and
# prints a table of executions per harness. Fails if any harness crashed, leaked,
# hit undefined behaviour, took more than a second on one input or more memory
# than the limit.
#
# Each harness starts from its committed seed corpus tests/fuzz/corpus/<name>/,
# which is only read; the inputs it finds and any crash go to
# build/fuzz/findings/<name>/ (crash-*, timeout-*, leak-*, oom-* there). Optional
# tests/fuzz/<name>.dict is a libFuzzer dictionary, tests/fuzz/<name>.options
# holds extra flags (e.g. -max_len=20000). FUZZ_RUNS=N also ends a harness after
# N executions (the campaign: FUZZ_SECONDS=1800 FUZZ_RUNS=10000000). FUZZ_TIMEOUT
# (1 s) is the time one input may take; a campaign run niced beside other work
# needs more, or a starved process counts as a slow input.
set -uo pipefail
cd "$(dirname "$0")/.."
dir=$1
seconds=${2:-60}
findings=build/fuzz/findings
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

rows=()
failed=0
for harness in "$dir"/*; do
  [ -x "$harness" ] || continue
  name=$(basename "$harness")
  corpus=tests/fuzz/corpus/$name
  out=$findings/$name
  log=$findings/$name.log
  mkdir -p "$out" "$corpus"
  args=(-max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-1}" -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$out/")
  [ -n "${FUZZ_RUNS:-}" ] && args+=(-runs="$FUZZ_RUNS")
  [ -f "tests/fuzz/$name.dict" ] && args+=(-dict="tests/fuzz/$name.dict")
  if [ -f "tests/fuzz/$name.options" ]; then
    read -r -a extra <"tests/fuzz/$name.options"
    args+=("${extra[@]}")
  fi
  echo "fuzz: $name for ${seconds}s (log $log)"
  # the first directory receives new inputs: the scratch one, never the seeds
  "$harness" "${args[@]}" "$out" "$corpus" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
  status=ok
  if [ "$rc" -ne 0 ]; then
    status="FAILED (exit $rc)"
    failed=1
    echo "fuzz: $name failed; the end of its log:" >&2
    tail -n 40 "$log" >&2
    ls "$out" | grep -E '^(crash|timeout|leak|oom|slow-unit)-' | sed "s|^|fuzz:   input $out/|" >&2
  fi
  rows+=("$(printf '%-20s %14s  %s' "$name" "${execs:-?}" "$status")")
done

printf '\n%-20s %14s  %s\n' harness executions result
printf '%s\n' "${rows[@]}"
exit $failed
