#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, -fsanitize=fuzzer,address,undefined;
# build-fuzz/) and runs each for SECONDS (default 60), one after the other,
# from a seed corpus of every test program (tests/fuzz/make_seeds.mjs) plus
# what earlier runs found (build-fuzz/corpus/, kept between runs), with the
# token dictionary tests/fuzz/python.dict. Prints executions per target.
# Exit 1 on a crash, leak, sanitizer report, timeout or out-of-memory; the
# input is saved as build-fuzz/artifacts/<target>/crash-* (add it to
# tests/fuzz/regressions/ once fixed: hardening_test replays that folder).
#
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]   # TARGET: interp_fuzzer parser_fuzzer
#   AP_FUZZ_SECONDS=600 bash scripts/fuzz.sh     # a longer run (see tests/fuzz/README.md)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SECONDS_PER_TARGET="${1:-${AP_FUZZ_SECONDS:-60}}"
shift || true
TARGETS=("$@")
((${#TARGETS[@]})) || TARGETS=(interp_fuzzer parser_fuzzer)
BUILD="$ROOT/build-fuzz"

CC=clang CXX=clang++ cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DAP_FUZZ=ON -DAP_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j"${AP_JOBS:-2}" --target "${TARGETS[@]}"

rm -rf "$BUILD/seeds"
node tests/fuzz/make_seeds.mjs "$BUILD/seeds"

status=0
summary=()
for target in "${TARGETS[@]}"; do
  case "$target" in
    interp_fuzzer) seeds="$BUILD/seeds/interp" ;;
    *) seeds="$BUILD/seeds/parser" ;;
  esac
  corpus="$BUILD/corpus/$target"
  artifacts="$BUILD/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  log="$BUILD/$target.log"
  echo "fuzz: $target for ${SECONDS_PER_TARGET} s (log: $log)"
  # -timeout: one input taking longer is a hang (the small limits keep a run
  # in milliseconds); -rss_limit_mb: a leak or an unbounded allocation.
  set +e
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$BUILD/tests/fuzz/$target" "$corpus" "$seeds" \
    -dict=tests/fuzz/python.dict -max_total_time="$SECONDS_PER_TARGET" \
    -max_len=4096 -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -h 'stat::number_of_executed_units' "$log" | awk '{s += $2} END {print s + 0}')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
  if ((rc != 0)); then
    status=1
    summary+=("FAIL  $target: exit $rc after $execs executions; see $log and $artifacts")
    grep -m5 -E 'ERROR|SUMMARY|interp_fuzzer:|parser_fuzzer:|Test unit written' "$log" || true
  else
    summary+=("PASS  $target: $execs executions in ${SECONDS_PER_TARGET} s, ${cov:-cov ?}, corpus $(ls "$corpus" | wc -l) inputs")
  fi
done
printf '%s\n' "${summary[@]}"
exit "$status"
