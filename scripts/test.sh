#!/usr/bin/env bash
# Runs every test suite: native Release build + ctest, the differential
# check against real TensorFlow + Keras (scripts/oracle.sh), ASan/UBSan
# build + ctest, a short run of each libFuzzer target, the core portability check, a
# clang-format check, the WASM build, the TypeScript typecheck, the vitest
# contract tests and the browser tests.
# Every step runs even after a failure; prints a summary; exits 1 on any.
#   AP_JOBS=2            parallel compile jobs (this machine has 2 cores)
#   AP_STRICT_FORMAT=0   report clang-format differences without failing
#   AP_FUZZ_SECONDS=60   how long each libFuzzer target runs (scripts/fuzz.sh)
#   AP_DIFFFUZZ_COUNT=300, AP_DIFFFUZZ_SEED=1   the differential fuzzing run
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
JOBS="${AP_JOBS:-2}"
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}  # em++ needs Debian's acorn
export CTEST_OUTPUT_ON_FAILURE=1

# Each step's output also goes to test-results/logs/<n>.log, so that a
# failure's test names can be repeated next to the summary: CI shows the end
# of this output, and a bare "FAIL browser tests" there says too little.
LOGS="$ROOT/test-results/logs"
rm -rf "$LOGS" "$ROOT/test-results/browser.json" && mkdir -p "$LOGS"
results=()
digests=()
failed=0
step() {
  local name="$1"; shift
  echo
  echo "==================== $name ===================="
  local start=$SECONDS
  local log="$LOGS/$((${#results[@]} + 1)).log"
  if "$@" 2>&1 | tee "$log"; then
    results+=("PASS  $name ($((SECONDS - start)) s)")
  else
    results+=("FAIL  $name ($((SECONDS - start)) s)")
    digests+=("--- $name (full log: ${log#"$ROOT"/})" "$(bash scripts/failure-digest.sh "$log")")
    failed=1
  fi
}

native() {
  cmake -S . -B build-native -DCMAKE_BUILD_TYPE=Release &&
    cmake --build build-native -j"$JOBS" &&
    ctest --test-dir build-native -j"$JOBS" --timeout 300
}

sanitized() {
  # clang: its ASan/UBSan runtimes come from libclang-rt-14-dev.
  CC=clang CXX=clang++ cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAP_SANITIZE=ON &&
    cmake --build build-asan -j"$JOBS" &&
    ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      ctest --test-dir build-asan -j"$JOBS" --timeout 600
}

format_check() {
  local files bad=()
  mapfile -t files < <(find cpp tests/cpp tests/fuzz -type f \( -name '*.cc' -o -name '*.h' \) | sort)
  for f in "${files[@]}"; do
    # --dry-run prints one warning per needed change; silence means formatted.
    [[ -z "$(clang-format --dry-run "$f" 2>&1)" ]] || bad+=("$f")
  done
  if ((${#bad[@]} == 0)); then
    echo "clang-format: all ${#files[@]} files formatted"
    return 0
  fi
  echo "clang-format: ${#bad[@]} of ${#files[@]} files differ from .clang-format (fix: clang-format -i FILE):"
  printf '  %s\n' "${bad[@]}"
  if [[ "${AP_STRICT_FORMAT:-1}" == 1 ]]; then return 1; fi
  echo "clang-format: not enforced (AP_STRICT_FORMAT=0)"
}

# The comparator's and the worker's unit tests, then the project corpus
# through the engine and through real TensorFlow + Keras (both profiles).
oracle() {
  (cd tests/oracle && ../../.venv-oracle/bin/python -m unittest discover -p 'test_*.py') &&
    bash scripts/oracle.sh
}

# A bounded differential fuzzing run: generated programs through the engine
# and real TensorFlow + Keras (a long run: tests/oracle/README.md).
difffuzz() {
  .venv-oracle/bin/python tests/oracle/difffuzz.py --count "${AP_DIFFFUZZ_COUNT:-300}" \
    --seed "${AP_DIFFFUZZ_SEED:-1}" --profile keras3 --profile tf_keras
}

step "setup (apt + npm ci)" bash scripts/setup.sh
step "setup the oracle (real TensorFlow + Keras, test-only venv)" bash scripts/setup-oracle.sh
step "native Release build + ctest" native
step "oracle: engine vs real TensorFlow + Keras, project corpus, both profiles" oracle
step "differential fuzz vs real TensorFlow (${AP_DIFFFUZZ_COUNT:-300} programs x 2 profiles)" difffuzz
step "ASan+UBSan build (clang) + ctest" sanitized
step "fuzz (libFuzzer, ${AP_FUZZ_SECONDS:-60} s per target)" bash scripts/fuzz.sh "${AP_FUZZ_SECONDS:-60}"
step "core has no Emscripten dependency" bash tests/check_core_is_portable.sh
step "clang-format (cpp/, tests/cpp, tests/fuzz)" format_check
step "WASM build (emcmake)" env AP_JOBS="$JOBS" bash scripts/build-wasm.sh
step "TypeScript typecheck" npm run -s typecheck
step "vitest (engine contract, worker client)" npm run -s test:js
step "browser tests (Chromium)" npm run -s test:browser

flaky="$(node scripts/report-retries.mjs test-results/browser.json)"
if [[ -n "$flaky" ]]; then
  echo
  echo "==================== flaky ===================="
  printf '%s\n' "$flaky"
fi
if ((${#digests[@]})); then
  echo
  echo "==================== what failed ===================="
  printf '%s\n' "${digests[@]}"
fi
echo
echo "==================== summary ===================="
printf '%s\n' "${results[@]}"
if ((failed)); then
  echo "test.sh: FAILED"
  exit 1
fi
echo "test.sh: all ${#results[@]} steps passed"
