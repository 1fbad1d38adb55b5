// The engine ships as two modules (scripts/split-engine.mjs): the primary,
// with what the page's first verdict runs, and a deferred part with the rest.
// These tests run the real generated pair: the first scenario must need only
// the primary; any other program must load the deferred part once, by either
// path (on demand inside a run, or attached ahead of time), and give the same
// document as the whole engine would; a deferred part that cannot be loaded
// must fail the run as a crash with a message that names it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createEngine, isEngineCrash, type DeferredPart, type Engine } from '../../web/core/engine';
import { DEFERRED_LOAD_FAILED } from '../../web/core/types';

const generated = (name: string) => fileURLToPath(new URL(`../../web/generated/${name}`, import.meta.url));
const primaryBytes = readFileSync(generated('attention_engine.wasm'));
const deferredBytes = readFileSync(generated('attention_engine.deferred.wasm'));
const scenarioDir = fileURLToPath(new URL('../../web/scenarios/', import.meta.url));

interface ScenarioEntry {
  id: string;
  file: string;
  fixes?: { find: string; replace: string }[];
}
const scenarios = (JSON.parse(readFileSync(`${scenarioDir}index.json`, 'utf8')) as { scenarios: ScenarioEntry[] })
  .scenarios;
function scenarioSource(id: string): string {
  const entry = scenarios.find((s) => s.id === id);
  if (!entry) throw new Error(`no scenario ${id}`);
  return readFileSync(`${scenarioDir}${entry.file}`, 'utf8');
}

/** A deferred part from disk that counts its loads (or fails with `failure`). */
function countingDeferred(failure?: string): DeferredPart & { loads: number } {
  const part = {
    loads: 0,
    loadSync(): WebAssembly.Module {
      part.loads++;
      if (failure) throw new Error(failure);
      return new WebAssembly.Module(deferredBytes);
    },
  };
  return part;
}

const PAGE_OPTIONS = { profile: 'keras3', seed: 0 } as const;

// Everything but the per-process engine version is compared.
function verdictOf(engine: Engine, source: string) {
  const doc = engine.runProgram(source, PAGE_OPTIONS);
  return { ok: doc.ok, error: doc.error ?? null, stdout: doc.stdout, steps: doc.steps };
}

describe('the split engine', () => {
  it('runs the first scenario and its fix from the primary module alone', async () => {
    const deferred = countingDeferred();
    const engine = await createEngine({ wasmBinary: primaryBytes, deferred });
    const source = scenarioSource('article-1');
    const session = engine.createSession();
    const first = session.run(source, PAGE_OPTIONS);
    expect(first.ok).toBe(true);
    expect(first.stdout).toBe('output: (1, 32, 2)\nweights: (1, 32, 1200)\n');
    const fix = scenarios.find((s) => s.id === 'article-1')!.fixes![0]!;
    expect(session.run(source.replace(fix.find, fix.replace), PAGE_OPTIONS).ok).toBe(true);
    // The heatmaps read the run's tensors.
    const tensors = first.steps.flatMap((step) => step.bindings.map((b) => b.value))
      .filter((value): value is { kind: 'tensor'; id: number } =>
        typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'tensor');
    expect(tensors.length).toBeGreaterThan(0);
    expect(session.tensor(tensors[0]!.id)?.values.length).toBeGreaterThan(0);
    expect(deferred.loads).toBe(0);
    expect(engine.deferredState()).toBe('absent');
  });

  it('loads the deferred part once, on demand, for the other scenarios', async () => {
    const deferred = countingDeferred();
    const engine = await createEngine({ wasmBinary: primaryBytes, deferred });
    const whole = await createEngine({ wasmBinary: primaryBytes, deferred: countingDeferred() });
    await whole.attachDeferred(new WebAssembly.Module(deferredBytes));
    const article2 = engine.runProgram(scenarioSource('article-2'), PAGE_OPTIONS);
    expect(article2.ok).toBe(false);
    expect(article2.error?.type).toBe('ValueError');
    expect(engine.deferredState()).toBe('on-demand');
    for (const { id } of scenarios) {
      expect(verdictOf(engine, scenarioSource(id)), id).toEqual(verdictOf(whole, scenarioSource(id)));
    }
    expect(deferred.loads).toBe(1);
  });

  it('needs no on-demand load once the page attached the deferred part', async () => {
    const deferred = countingDeferred();
    const engine = await createEngine({ wasmBinary: primaryBytes, deferred });
    await engine.attachDeferred(await WebAssembly.compile(deferredBytes));
    expect(engine.deferredState()).toBe('attached');
    await engine.attachDeferred(await WebAssembly.compile(deferredBytes)); // a second copy is ignored
    expect(engine.runProgram(scenarioSource('article-3'), PAGE_OPTIONS).ok).toBe(true);
    expect(deferred.loads).toBe(0);
  });

  it('fails a run that needs an unreachable deferred part as a crash that names it', async () => {
    const deferred = countingDeferred('network error');
    const engine = await createEngine({ wasmBinary: primaryBytes, deferred });
    let thrown: unknown = null;
    try {
      engine.runProgram(scenarioSource('article-2'), PAGE_OPTIONS);
    } catch (error) {
      thrown = error;
    }
    expect(isEngineCrash(thrown)).toBe(true);
    expect(String(thrown)).toContain(DEFERRED_LOAD_FAILED);
    expect(String(thrown)).toContain('network error');
    expect(engine.deferredState()).toBe('absent');
  });

  it('fails a run that needs the deferred part when none was given, naming it', async () => {
    const engine = await createEngine({ wasmBinary: primaryBytes });
    expect(() => engine.runProgram('import tensorflow as tf\nx = tf.ones((2, 3)) + 1', PAGE_OPTIONS)).toThrow(
      DEFERRED_LOAD_FAILED,
    );
  });
});
