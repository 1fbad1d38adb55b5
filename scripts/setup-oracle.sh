#!/usr/bin/env bash
# Creates the test-only oracle environment, .venv-oracle/ (gitignored): real
# TensorFlow + Keras + tf-keras at the versions of tests/oracle/requirements.lock,
# installed by hash and without dependency resolution. Nothing of it ships.
# Idempotent: does nothing when the venv was built from the current lock.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv-oracle"
LOCK="$ROOT/tests/oracle/requirements.lock"
stamp="$VENV/.lock-sha256"
want="$(sha256sum "$LOCK" | cut -d' ' -f1)"

if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "setup-oracle: .venv-oracle matches requirements.lock"
  exit 0
fi

PYTHON="${AP_ORACLE_PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "setup-oracle: the lock is for CPython 3.11; $PYTHON is $("$PYTHON" -V 2>&1) (set AP_ORACLE_PYTHON)" >&2
  exit 1
fi
rm -rf "$VENV"
if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
  # Debian's python3 needs python3-venv for ensurepip.
  SUDO=()
  if [[ "$(id -u)" -ne 0 ]]; then SUDO=(sudo); fi
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q python3-venv
  "$PYTHON" -m venv "$VENV"
fi
echo "setup-oracle: installing TensorFlow, Keras and tf-keras (~1.6 GB) into .venv-oracle"
"$VENV/bin/pip" install -q --disable-pip-version-check --no-deps --require-hashes -r "$LOCK"
"$VENV/bin/python" -c 'import tensorflow, keras, tf_keras' 2>/dev/null
echo "$want" >"$stamp"
echo "setup-oracle: done ($(du -sh "$VENV" | cut -f1))"
