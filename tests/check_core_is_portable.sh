#!/usr/bin/env bash
# The core must build natively: nothing under cpp/core may include an
# Emscripten header or use the emscripten:: namespace (only cpp/wasm may).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if hits="$(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]emscripten|emscripten::' "$ROOT/cpp/core")"; then
  echo "check_core_is_portable: FAIL: cpp/core depends on Emscripten:" >&2
  echo "$hits" >&2
  exit 1
fi
echo "check_core_is_portable: OK ($(find "$ROOT/cpp/core" -type f | wc -l) files, no Emscripten dependency)"
