// The page may be served with a CSP `script-src 'self' 'wasm-unsafe-eval'`,
// which forbids eval and new Function. The engine's glue is Embind's, whose
// invokers are built with new Function unless the module is linked with
// -sDYNAMIC_EXECUTION=0 (cpp/wasm/CMakeLists.txt), which makes them plain
// closures. This keeps it that way: the glue's text has neither, and the
// engine runs a program in a Node started with
// --disallow-code-generation-from-strings (V8's switch for what that CSP
// forbids; WebAssembly compilation stays allowed, as 'wasm-unsafe-eval' does).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const gluePath = fileURLToPath(new URL('../../web/generated/attention_engine.mjs', import.meta.url));
const wasmPath = fileURLToPath(new URL('../../web/generated/attention_engine.wasm', import.meta.url));
const deferredPath = fileURLToPath(new URL('../../web/generated/attention_engine.deferred.wasm', import.meta.url));

describe('the generated engine glue under a strict CSP', () => {
  const glue = readFileSync(gluePath, 'utf8');

  it('has no new Function(', () => {
    expect(glue).not.toMatch(/new\s+Function\s*\(/);
  });

  it('has no eval(', () => {
    expect(glue).not.toMatch(/(^|[^\w$.])eval\s*\(/m);
  });

  it('runs a program where code generation from strings is disallowed', () => {
    const script = `
      import { readFileSync } from 'node:fs';
      const { default: create } = await import(${JSON.stringify(pathToFileURL(gluePath).href)});
      let blocked = false;
      try { new Function('return 1'); } catch { blocked = true; }
      // The program needs the deferred part too (scripts/split-engine.mjs):
      // the glue's placeholders load it through loadSplitModule.
      let deferredLoads = 0;
      const m = await create({
        wasmBinary: readFileSync(${JSON.stringify(wasmPath)}),
        printErr: () => {},
        loadSplitModule(file, imports) {
          deferredLoads++;
          new WebAssembly.Instance(new WebAssembly.Module(readFileSync(${JSON.stringify(deferredPath)})), imports);
        },
      });
      // The Embind surface by hand (what web/core/engine.ts does).
      const session = new m.Session();
      const source = 'import tensorflow as tf\\nx = tf.ones((2, 3)) + 1\\nprint(x.shape)';
      const doc = JSON.parse(session.run(new TextEncoder().encode(source), {}));
      const tensor = session.tensor(0);
      session.delete();
      console.log(JSON.stringify({ blocked, ok: doc.ok, stdout: doc.stdout, deferredLoads, shape: tensor?.shape }));
    `;
    const run = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').pop() ?? '')).toEqual({ blocked: true, ok: true, stdout: '(2, 3)\n', deferredLoads: 1, shape: [2, 3] });
  }, 60_000);
});
