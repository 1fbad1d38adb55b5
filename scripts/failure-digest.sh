#!/usr/bin/env bash
# Prints the few lines of a failed test step's log that say what failed:
# failing test names (ctest, GoogleTest, vitest), their first error lines,
# sanitizer and libFuzzer reports, unformatted files. Falls back to the log's
# last lines. scripts/test.sh prints this next to its summary.
#   bash scripts/failure-digest.sh LOG [MAX_LINES]
set -uo pipefail
log="$1"
max="${2:-24}"
# Colour codes and carriage returns make the patterns miss.
plain="$(sed -e 's/\x1b\[[0-9;]*[A-Za-z]//g' -e 's/\r$//' "$log")"
picked="$(grep -E -A12 '^The following tests FAILED:' <<<"$plain" | grep -E '^(The following|[[:space:]]+[0-9]+ - )')"
picked+=$'\n'"$(grep -E '^\[  FAILED  \] [A-Za-z]' <<<"$plain" | sort -u)"
# vitest: " FAIL  file > suite > test", "× test", then the first error line of each.
picked+=$'\n'"$(grep -E '^ *(FAIL|×) ' <<<"$plain" | sed -E 's/ +[0-9]+ms$//' | awk '!seen[$0]++')"
picked+=$'\n'"$(grep -E '^(AssertionError|[A-Za-z]*Error):' <<<"$plain" | cut -c1-300 | awk '!seen[$0]++' | head -6)"
# Playwright: the step an action was stuck on ("waiting for element to be
# visible, enabled and stable") says more than its timeout.
picked+=$'\n'"$(grep -E -A6 '^Call log:' <<<"$plain" | grep -E '^ +- ' | awk '!seen[$0]++' | head -6)"
picked+=$'\n'"$(grep -E '^(==[0-9]+==ERROR|SUMMARY: |fuzz: .*(crash|leak|timeout|FAIL|oom))' <<<"$plain" | head -6)"
picked+=$'\n'"$(grep -E -A20 'files differ from .clang-format' <<<"$plain" | grep -E '^(clang-format|  [^ ])')"
picked="$(grep -v '^$' <<<"$picked" | head -n "$max")"
if [[ -z "$picked" ]]; then
  picked="$(grep -v '^$' <<<"$plain" | tail -n 10)"
fi
printf '%s\n' "$picked"
