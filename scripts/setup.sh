#!/usr/bin/env bash
# Installs what the build and the tests need, and only what is missing:
# Debian packages (apt) and the locked npm devDependencies (npm ci).
# Idempotent: a second run on a set-up machine does nothing slow.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

APT_PACKAGES=(
  emscripten          # em++/emcmake 3.1.6 + Embind (pulls clang-14, lld, binaryen)
  binaryen            # wasm-opt and wasm-split, called directly (cpp/wasm/CMakeLists.txt)
  libeigen3-dev       # Eigen 3.4 (headers + CMake package)
  nlohmann-json3-dev  # JSON for the run document
  chromium            # browser tests (never downloaded by playwright)
  clang               # sanitizer build
  libclang-rt-14-dev  # ASan/UBSan runtimes for clang-14
  clang-format
  cmake
  g++
  libgtest-dev libgmock-dev googletest
  libbenchmark-dev
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then SUDO=(sudo); fi

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  "${SUDO[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q "${missing[@]}"
else
  echo "setup: Debian packages present"
fi

# Vite 8 needs Node >= 20.19.
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error(`setup: Node ${process.versions.node} is too old (need >= 20.19)`); process.exit(1); }'

# npm ci only when node_modules does not match the committed lock.
if [[ ! -f node_modules/.package-lock.json ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
else
  echo "setup: node_modules matches package-lock.json"
fi
