#!/usr/bin/env bash
# Regenerates requirements.lock from requirements.in: resolves the pins in a
# scratch venv, then records every installed distribution with the sha256 of
# the wheel PyPI serves for this machine (CPython 3.11, linux x86_64).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
pip="$work/venv/bin/pip"
"$pip" install -q --upgrade pip
# tf-keras names `tensorflow` as a dependency; tensorflow-cpu is the same module.
grep -v '^tf-keras' "$HERE/requirements.in" | "$pip" install -q -r /dev/stdin
grep '^tf-keras' "$HERE/requirements.in" | "$pip" install -q --no-deps -r /dev/stdin
"$pip" freeze --exclude pip >"$work/freeze.txt"
"$pip" download -q --no-deps -d "$work/wheels" -r "$work/freeze.txt"
"$work/venv/bin/python" - "$work/wheels" "$HERE/requirements.lock" <<'PY'
import hashlib, pathlib, sys
from packaging.utils import canonicalize_name, parse_wheel_filename
wheels, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
header = [line for line in out.read_text().splitlines() if line.startswith("#")] if out.exists() else []
entries = []
for wheel in sorted(wheels.iterdir()):
    name, version, _, _ = parse_wheel_filename(wheel.name)
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    entries.append(f"{canonicalize_name(name)}=={version} \\\n    --hash=sha256:{digest}")
out.write_text("\n".join(header + sorted(entries)) + "\n")
print(f"lock: {len(entries)} packages -> {out}")
PY
