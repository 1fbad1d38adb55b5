#!/usr/bin/env node
// Splits the linked engine into the part the page's first verdict needs and
// a deferred part (the whole .wasm is ~270 KB gzip, the first load's budget
// for it 150 KB). Profile-guided, with Binaryen's wasm-split:
//   1. instrument the linked module (it then records which functions run);
//   2. run the workload below through the real glue, as the page does;
//   3. split: functions that ran stay in the primary module, the rest move
//      to <name>.deferred.wasm. The primary calls a placeholder for a moved
//      function until the deferred module is instantiated: the page fetches
//      it right after the first verdict, and the engine loads it on demand
//      before that (web/core/engine.ts, DeferredPart).
// The workload is what the page runs before its first verdict: the
// playground opens on scenario article-1 (web/scenarios/index.json), run
// with the page's options, and reads the run's tensors for the heatmaps. Its
// one-click fix is run too. Everything else works as well, from the
// deferred part, so the choice affects only where code lives, never results.
//
// usage: node scripts/split-engine.mjs --wasm-split BIN --input LINKED.wasm
//          --glue attention_engine.mjs --primary OUT.wasm --deferred OUT.deferred.wasm
//          --work-dir DIR
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    'wasm-split': { type: 'string', default: 'wasm-split' },
    input: { type: 'string' },
    glue: { type: 'string' },
    primary: { type: 'string' },
    deferred: { type: 'string' },
    'work-dir': { type: 'string' },
  },
});
for (const name of ['input', 'glue', 'primary', 'deferred', 'work-dir']) {
  if (!args[name]) throw new Error(`split-engine: --${name} is required`);
}
// The module's own features (as cpp/wasm/CMakeLists.txt's wasm-opt pass).
const PLACEHOLDER_NAMESPACE = 'p';
const FEATURES = ['--enable-simd', '--enable-exception-handling', '--enable-mutable-globals'];
const PAGE_RUN_OPTIONS = { profile: 'keras3', seed: 0 }; // web/main.ts's first run
const FIRST_SCENARIO = 'article-1'; // web/state.ts's initial scenario

const workDir = args['work-dir'];
mkdirSync(workDir, { recursive: true });
const instrumented = path.join(workDir, 'instrumented.wasm');
const profilePath = path.join(workDir, 'first-verdict.profile');
execFileSync(args['wasm-split'], [...FEATURES, '--instrument', args.input, '-o', instrumented]);

/** The page's first programs: the first scenario, then with its fix applied. */
function workloadPrograms() {
  const scenarioDir = path.join(root, 'web/scenarios');
  const index = JSON.parse(readFileSync(path.join(scenarioDir, 'index.json'), 'utf8'));
  const first = index.scenarios.find((s) => s.id === FIRST_SCENARIO);
  if (!first) throw new Error(`split-engine: no scenario ${FIRST_SCENARIO} in web/scenarios/index.json`);
  const source = readFileSync(path.join(scenarioDir, first.file), 'utf8');
  const fixed = (first.fixes ?? []).map((fix) => source.replace(fix.find, fix.replace));
  return [source, ...fixed];
}

// Runs the workload on the instrumented module through the generated glue
// (the same Embind calls as web/core/engine.ts) and returns its profile.
async function recordProfile() {
  const { default: createAttentionEngine } = await import(pathToFileURL(path.resolve(args.glue)).href);
  const bytes = readFileSync(instrumented);
  let instanceExports = null;
  const engine = await createAttentionEngine({
    instantiateWasm(imports, receive) {
      WebAssembly.instantiate(bytes, imports).then(({ instance, module }) => {
        instanceExports = instance.exports;
        receive(instance, module);
      });
      return {};
    },
  });
  engine.engineVersion();
  const session = new engine.Session();
  for (const program of workloadPrograms()) {
    const doc = JSON.parse(session.run(program, PAGE_RUN_OPTIONS));
    if (typeof doc.ok !== 'boolean') throw new Error('split-engine: the workload run returned no verdict');
    // The page fetches every traced tensor's values for its heatmaps.
    for (let id = 0; id < 256; id++) session.tensor(id);
  }
  session.delete();
  engine.heapStats();
  // The profile is written into the module's own memory (Embind's glue
  // exports malloc for its strings).
  const capacity = 1 << 20;
  const buffer = engine._malloc(capacity);
  const written = instanceExports.__write_profile(buffer, capacity);
  if (!(written > 0 && written <= capacity)) throw new Error(`split-engine: __write_profile wrote ${written} bytes`);
  return engine.HEAPU8.slice(buffer, buffer + written);
}

writeFileSync(profilePath, await recordProfile());
execFileSync(args['wasm-split'], [
  ...FEATURES, '--split', `--profile=${profilePath}`, args.input,
  '-o1', args.primary, '-o2', args.deferred,
  // The namespaces the Emscripten glue (-sSPLIT_MODULE) provides; the
  // placeholders' one is renamed (below).
  `--placeholder-namespace=${PLACEHOLDER_NAMESPACE}`, '--import-namespace=primary',
]);
// The primary module imports one placeholder per moved function (~1,300),
// each naming its namespace: a one-letter name instead of the glue's
// "placeholder" takes ~13 KB (0.5 KB gzip) off the first load's .wasm. The
// glue's proxy is registered under the same name.
const glue = readFileSync(args.glue, 'utf8');
const glueKey = '"placeholder":new Proxy(';
const renamedKey = `"${PLACEHOLDER_NAMESPACE}":new Proxy(`;
if (glue.split(glueKey).length === 2) {
  writeFileSync(args.glue, glue.replace(glueKey, renamedKey));
} else if (glue.split(renamedKey).length !== 2) {
  throw new Error(`split-engine: expected one ${glueKey} in ${args.glue}`);
}
