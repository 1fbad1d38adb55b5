// The only module that loads the WASM engine. Lazily, once per JS realm
// (page, worker or Node test process); everything else goes through it.
import createAttentionEngine, {
  type AttentionEngineModule,
  type BindingSession,
  type EngineModuleOverrides,
} from '../generated/attention_engine.mjs';
import { DEFERRED_LOAD_FAILED, EngineError, type RunOptions, type RunResult, type TensorData } from './types';

export interface Engine {
  runProgram(source: string, options?: RunOptions): RunResult;
  engineVersion(): string;
  /** A run whose tensors stay available by id until the next run (ap::Session). */
  createSession(): EngineSession;
  /** Test hook: a real WASM trap (`unreachable`) or an abort(); throws. */
  debugCrash(how: 'trap' | 'abort'): void;
  /** The allocator's counts (mallinfo) and the WASM memory's size, in bytes (leak tests). */
  heapStats(): HeapStats;
  /**
   * Instantiates the deferred part from a module compiled elsewhere (the
   * page compiles it after the first verdict), so no run waits for it. A
   * no-op once the part is in. Rejects only if instantiation fails.
   */
  attachDeferred(module: WebAssembly.Module): Promise<void>;
  /** Whether the deferred part is in, and how it got there. */
  deferredState(): DeferredState;
}

/**
 * The engine is split in two modules (scripts/split-engine.mjs): the primary
 * holds the code the page's first verdict runs, attention_engine.deferred.wasm
 * the rest. Until the deferred part is attached, the first call into it
 * loads it synchronously from here, then the call goes on as if the code had
 * always been there.
 */
export interface DeferredPart {
  /** The compiled deferred module, synchronously; throws if unavailable. */
  loadSync(): WebAssembly.Module;
}

/** 'absent': not loaded yet; 'attached': by attachDeferred(); 'on-demand':
 *  loaded synchronously by a call into it. */
export type DeferredState = 'absent' | 'attached' | 'on-demand';

export interface EngineLoadOptions extends EngineModuleOverrides {
  /** Where the deferred part comes from when a run needs it before
   *  attachDeferred(); without it such a run fails with a clear error. */
  deferred?: DeferredPart;
}

export interface HeapStats {
  /** Bytes in use (mallinfo uordblks). */
  allocated: number;
  /** Free bytes kept in the heap (fordblks). */
  free: number;
  /** The heap's size (sbrk, arena). */
  arena: number;
  /** The WASM memory's byteLength. */
  memory: number;
}

export interface EngineSession {
  /** Runs `source`, replacing the previous run's tensors. */
  run(source: string, options?: RunOptions): RunResult;
  /** Shape and values of tensor `id` of the last run; null if there is none. */
  tensor(id: number): TensorData | null;
  /** Frees the C++ session (then run() is a one-off run and tensor() null). */
  dispose(): void;
}

let enginePromise: Promise<Engine> | null = null;

/**
 * Loads (once) and returns the engine. `options` is honoured only on the
 * first call: Node tests pass `{ wasmBinary, deferred }` because the web
 * build would otherwise fetch() the .wasm by URL.
 */
export function loadEngine(options: EngineLoadOptions = {}): Promise<Engine> {
  enginePromise ??= createEngine(options).catch((error: unknown) => {
    enginePromise = null; // allow a retry after a failed load
    throw error;
  });
  return enginePromise;
}

/** A new engine instance, not shared (loadEngine shares one per realm). */
export function createEngine(options: EngineLoadOptions = {}): Promise<Engine> {
  const { deferred, ...overrides } = options;
  const split = new DeferredLoader(deferred);
  return createAttentionEngine({
    printErr: printGlueError,
    ...overrides,
    loadSplitModule: (_file, imports) => split.loadOnDemand(imports),
  }).then(
    (module) => wrap(module, split),
    (cause: unknown) => {
      throw new EngineError('load', `could not load the WASM engine: ${String(cause)}`);
    },
  );
}

// The glue's stderr, minus its two notes around an on-demand load of the
// deferred part (deferredState() tells that, and it is not an error).
function printGlueError(text: string): void {
  if (/^(placeholder function called: |instantiated deferred module)/.test(text)) return;
  console.warn(text);
}


// Instantiates the deferred part at most once, whichever way comes first.
// Instantiating it writes its functions into the primary's table, replacing
// the placeholders, so later calls go straight to them.
class DeferredLoader {
  state: DeferredState = 'absent';

  constructor(private readonly source: DeferredPart | undefined) {}

  // Called by the glue (inside a WASM call) the first time a placeholder runs.
  // A failure is thrown as an abort: the call cannot go on, and the module,
  // interrupted mid-call, is treated as crashed (isEngineCrash), so the page
  // restarts the worker with the user's code unchanged.
  loadOnDemand(imports: WebAssembly.Imports): void {
    if (this.state !== 'absent') return;
    try {
      if (!this.source) throw new Error('no source for it was given to loadEngine');
      new WebAssembly.Instance(this.source.loadSync(), imports);
    } catch (cause) {
      throw new WebAssembly.RuntimeError(`Aborted(${DEFERRED_LOAD_FAILED}: ${String(cause)})`);
    }
    this.state = 'on-demand';
  }

  async attach(module: WebAssembly.Module, imports: WebAssembly.Imports): Promise<void> {
    if (this.state !== 'absent') return;
    await WebAssembly.instantiate(module, imports);
    // (a run may have loaded it on demand meanwhile: both copies are the same code)
    if (this.state === 'absent') this.state = 'attached';
  }
}

/**
 * Loads (once) the engine from a WebAssembly.Module compiled elsewhere (the
 * page compiles it while this worker starts: web/core/engine-module.ts), or
 * fetches the .wasm itself when `module` is null.
 */
export function loadEngineFrom(module: WebAssembly.Module | null, deferred?: DeferredPart): Promise<Engine> {
  if (!module || enginePromise) return loadEngine({ deferred });
  let failed: (cause: unknown) => void = () => undefined;
  const instantiateFailed = new Promise<never>((_, reject) => (failed = reject));
  const loading = loadEngine({
    deferred,
    instantiateWasm(imports, receive) {
      WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module), failed);
      return {};
    },
  });
  return Promise.race([loading, instantiateFailed.catch((cause: unknown) => {
    enginePromise = null; // allow a retry
    throw new EngineError('load', `could not instantiate the WASM engine: ${String(cause)}`);
  })]);
}

// Sources cross as UTF-8 bytes from TextEncoder rather than as JS strings:
// Embind 3.1.6's own encoder turns a lone UTF-16 surrogate into a bogus code
// point, TextEncoder into U+FFFD (what the engine has always been given).
const encoder = new TextEncoder();

function wrap(module: AttentionEngineModule, split: DeferredLoader): Engine {
  // Options go to the binding as given: it reads the fields the TS types
  // allow and answers a wrongly typed one with its error document.
  const bindingOptions = (options: RunOptions | undefined) => (options ?? {}) as Record<string, unknown>;
  const encode = (source: string) => encoder.encode(String(source));

  const runOnce = (source: string, options: RunOptions | undefined) =>
    parseResult(module.runProgram(encode(source), bindingOptions(options)));

  return {
    runProgram: runOnce,
    engineVersion: () => module.engineVersion(),
    heapStats: () => module.heapStats(),
    debugCrash: (how) => module.debugCrash(how),
    // The deferred part imports the primary's exports (memory, table, the
    // functions it calls) under the name wasm-split gave them: "primary".
    attachDeferred: (deferred) => split.attach(deferred, { primary: module.asm }),
    deferredState: () => split.state,
    createSession() {
      let session: BindingSession | null = new module.Session();
      return {
        run: (source, options) =>
          session === null ? runOnce(source, options) : parseResult(session.run(encode(source), bindingOptions(options))),
        tensor: (id) => (session !== null && typeof id === 'number' ? session.tensor(id) : null),
        dispose() {
          session?.delete();
          session = null;
        },
      };
    },
  };
}

/**
 * True for a failure that leaves the module's memory in an unknown state: a
 * WASM trap (RuntimeError: unreachable, out of bounds, ...) or an Emscripten
 * abort ("Aborted(...)", e.g. out of memory). Such a module must not be
 * reused; the worker reports a crash and the page replaces the worker.
 */
export function isEngineCrash(error: unknown): boolean {
  if (error instanceof WebAssembly.RuntimeError) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /^Aborted\(/.test(message);
}

/** Parses and shape-checks the engine's JSON document. */
export function parseResult(json: string): RunResult {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    throw new EngineError('protocol', 'the engine returned malformed JSON');
  }
  if (
    typeof doc !== 'object' || doc === null ||
    typeof (doc as { ok?: unknown }).ok !== 'boolean'
  ) {
    throw new EngineError('protocol', 'the engine returned a document without "ok"');
  }
  return doc as RunResult;
}
