// Writes the fuzzers' seed corpora: every program the test suites run.
//   node tests/fuzz/make_seeds.mjs OUT_DIR
// OUT_DIR/parser/ gets the program texts; OUT_DIR/interp/ the same texts
// behind interp_fuzzer's first byte (0: keras3, 1: tf_keras). Sources:
// tests/corpus/public.json, web/scenarios/*.py, tests/fuzz/regressions/*,
// the hostile programs of tests/cli/hostile_programs.mjs, and the programs
// written as C string literals in tests/cpp/*_test.cc.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostilePrograms } from '../cli/hostile_programs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = process.argv[2];
if (!out) {
  console.error('usage: node make_seeds.mjs OUT_DIR');
  process.exit(2);
}

const programs = new Map(); // sha1 -> Buffer
function add(text) {
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  // libFuzzer's -max_len applies to seeds too; keep them small.
  if (buf.length === 0 || buf.length > 16384) return;
  programs.set(createHash('sha1').update(buf).digest('hex'), buf);
}

for (const c of JSON.parse(readFileSync(join(root, 'tests/corpus/public.json'), 'utf8'))) add(c.code);
const scenarios = join(root, 'web/scenarios');
for (const f of readdirSync(scenarios)) if (f.endsWith('.py')) add(readFileSync(join(scenarios, f)));
const regressions = join(root, 'tests/fuzz/regressions');
for (const f of readdirSync(regressions)) if (!f.startsWith('.') && f !== 'README.md') add(readFileSync(join(regressions, f)));
for (const h of hostilePrograms()) add(h.source);

// Adjacent C string literals (optionally after the fidelity tests' HDR
// macro) that look like a program.
const HDR = 'import tensorflow as tf\nfrom tensorflow.keras import layers\n';
const literalRun = /(HDR\s*)?((?:"(?:[^"\\\n]|\\.)*"\s*){1,})/g;
const testDir = join(root, 'tests/cpp');
let fromTests = 0;
for (const f of readdirSync(testDir)) {
  if (!f.endsWith('.cc')) continue;
  const text = readFileSync(join(testDir, f), 'utf8');
  for (const m of text.matchAll(literalRun)) {
    let program = m[1] ? HDR : '';
    try {
      for (const lit of m[2].match(/"(?:[^"\\\n]|\\.)*"/g)) program += JSON.parse(lit);
    } catch {
      continue; // a C escape JSON does not know (\x, \0, ...): skip
    }
    if (program.length >= 8 && (program.includes('\n') || program.includes('='))) {
      add(program);
      fromTests++;
    }
  }
}

mkdirSync(join(out, 'parser'), { recursive: true });
mkdirSync(join(out, 'interp'), { recursive: true });
let i = 0;
for (const [hash, buf] of programs) {
  writeFileSync(join(out, 'parser', hash), buf);
  // Alternate the profile byte so both profiles are seeded.
  writeFileSync(join(out, 'interp', hash), Buffer.concat([Buffer.from([i++ & 1]), buf]));
}
console.log(`make_seeds: ${programs.size} distinct programs (${fromTests} literal runs from tests/cpp) -> ${out}`);
