#!/usr/bin/env node
// Fails fast when web/generated/attention_engine.{mjs,wasm} is missing or
// older than any C++ source or CMake file it is built from, so no test or dev
// server silently runs yesterday's engine. Exit 0 = fresh, 1 = stale/missing.
// AP_ALLOW_STALE_WASM=1 warns instead (web work while the core is mid-edit).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const artefacts = [
  'web/generated/attention_engine.mjs',
  'web/generated/attention_engine.wasm',
  'web/generated/attention_engine.deferred.wasm',
];
// (the split's profile runs the first scenario: scripts/split-engine.mjs)
const sourceRoots = [
  'cpp/core',
  'cpp/wasm',
  'CMakeLists.txt',
  'scripts/split-engine.mjs',
  'scripts/move-deferred-data.mjs',
  'scripts/link-with-map.sh',
  'web/scenarios',
];
const sourceExt = /\.(cc|h|hpp|cpp|inc|mjs|py|json|sh)$|CMakeLists\.txt$/;

function* walk(p) {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return;
  if (st.isDirectory()) {
    for (const e of fs.readdirSync(p)) yield* walk(path.join(p, e));
  } else if (sourceExt.test(p)) {
    yield [p, st.mtimeMs];
  }
}

export function staleReason() {
  let oldest = Infinity;
  for (const a of artefacts) {
    const st = fs.statSync(path.join(root, a), { throwIfNoEntry: false });
    if (!st) return `${a} does not exist`;
    oldest = Math.min(oldest, st.mtimeMs);
  }
  for (const r of sourceRoots) {
    for (const [file, mtime] of walk(path.join(root, r))) {
      if (mtime > oldest) return `${path.relative(root, file)} is newer than the generated WASM`;
    }
  }
  return null;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const reason = staleReason();
  if (reason && process.env.AP_ALLOW_STALE_WASM === '1' && !reason.includes('does not exist')) {
    console.warn(`check-wasm-fresh: WARNING (AP_ALLOW_STALE_WASM=1): ${reason}`);
  } else if (reason) {
    console.error(`check-wasm-fresh: STALE: ${reason}. Run: bash scripts/build-wasm.sh`);
    process.exit(1);
  }
  if (!process.argv.includes('--quiet')) console.log('check-wasm-fresh: web/generated is up to date');
}
