#!/usr/bin/env bash
# Sets up, builds the engine if stale, and serves the playground with Vite's
# dev server (hot reload for web/; re-run after C++ changes, or run
# `bash scripts/build-wasm.sh` in another terminal).
#   PORT=5173 HOST=127.0.0.1 bash scripts/run.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
bash scripts/build-wasm.sh --if-stale
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-5173}"
echo "run: serving the playground at http://${HOST}:${PORT}/  (Ctrl-C to stop)"
exec npx vite --host "$HOST" --port "$PORT" --strictPort
