#!/usr/bin/env bash
# Differential check against real TensorFlow + Keras (tests/oracle/README.md):
#   bash scripts/oracle.sh [--profile keras3|tf_keras] [--corpus FILE]... [--only ID]...
# Sets up the oracle venv and builds attn-run when missing, then compares
# every program of the corpora (default: the project's own) in both profiles.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup-oracle.sh >&2
if [[ ! -x build-native/attn-run || -n "$(find cpp -newer build-native/attn-run -print -quit)" ]]; then
  { cmake -S . -B build-native -DCMAKE_BUILD_TYPE=Release >/dev/null &&
      cmake --build build-native -j"${AP_JOBS:-2}" --target attn-run >/dev/null; } >&2
fi
exec .venv-oracle/bin/python tests/oracle/oracle.py "$@"
