#!/usr/bin/env bash
# Builds the engine to web/generated/attention_engine.{mjs,wasm,deferred.wasm}
# with emcmake (the .wasm split in two: scripts/split-engine.mjs).
# --if-stale: do nothing when the artefacts are newer than every C++ source.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BUILD_DIR="${AP_WASM_BUILD_DIR:-build-wasm}"
JOBS="${AP_JOBS:-2}"

if [[ "${1:-}" == "--if-stale" ]] && node scripts/check-wasm-fresh.mjs --quiet 2>/dev/null; then
  echo "build-wasm: web/generated is up to date"
  exit 0
fi

# Debian's em++ needs Debian's node modules (acorn) on NODE_PATH.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
# emcmake's toolchain file restricts find roots: point it at the Debian packages.
NLOHMANN_DIR="$(dirname "$(dpkg -L nlohmann-json3-dev | grep -m1 'nlohmann_jsonConfig.cmake$')")"
if [[ ! -f "$BUILD_DIR/CMakeCache.txt" ]]; then
  emcmake cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release \
    -DEigen3_DIR=/usr/share/eigen3/cmake -Dnlohmann_json_DIR="$NLOHMANN_DIR"
fi
cmake --build "$BUILD_DIR" -j"$JOBS" --target attention_engine
# The link step rewrites the outputs only when its inputs changed; touch so the
# freshness check sees them as newer than sources edited without effect.
GENERATED=(web/generated/attention_engine.{mjs,wasm,deferred.wasm})
touch "${GENERATED[@]}"
ls -l "${GENERATED[@]}"
