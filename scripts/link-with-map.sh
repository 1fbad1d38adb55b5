#!/usr/bin/env bash
# CMake link launcher for the engine: runs the em++ link command given after
# the map path, with wasm-ld writing a link map there (--Map). em++ drops
# --Map itself (it reads it as the unsupported -M), so this puts a wasm-ld
# that adds it in front of Emscripten's LLVM through EM_LLVM_ROOT: a
# directory of links to the real LLVM tools. scripts/move-deferred-data.mjs
# reads the map to find the linker's merged string table.
#   usage: link-with-map.sh MAP_FILE COMMAND...
set -euo pipefail
MAP_FILE="$1"
shift
LLVM_ROOT="$(em-config LLVM_ROOT)"
VERSION="$(em-config LLVM_ADD_VERSION 2>/dev/null || true)"
SUFFIX="${VERSION:+-$VERSION}"
WRAP_DIR="$(dirname "$MAP_FILE")/llvm-with-map"
mkdir -p "$WRAP_DIR"
for tool in "$LLVM_ROOT"/clang* "$LLVM_ROOT"/llvm-* "$LLVM_ROOT"/lld* "$LLVM_ROOT"/wasm-*; do
  [[ -e "$tool" ]] && ln -sf "$tool" "$WRAP_DIR/$(basename "$tool")"
done
LD="wasm-ld$SUFFIX"
rm -f "$WRAP_DIR/$LD"
printf '#!/bin/sh\nexec "%s" "$@" --Map="%s"\n' "$LLVM_ROOT/$LD" "$MAP_FILE" > "$WRAP_DIR/$LD"
chmod +x "$WRAP_DIR/$LD"
rm -f "$MAP_FILE"
EM_LLVM_ROOT="$WRAP_DIR" "$@"
