// The only module that loads the WASM engine. Lazily, once per JS realm
// (page, worker or Node test process); everything else goes through it.
import createAttentionEngine, {
  type AttentionEngineModule,
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

// UTF-8 across the boundary (the glue's own string helpers are not exported).
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// ap_run's `present` bits (cpp/wasm/bindings.cc).
const HAS_PROFILE = 1;
const HAS_SEED = 2;
const HAS_MAX_STEPS = 4;

function wrap(module: AttentionEngineModule, split: DeferredLoader): Engine {
  // Copies `text` into a malloc'd UTF-8 buffer: [pointer, byte length]. The
  // caller frees it. encodeInto writes straight into the heap; 3 bytes per
  // UTF-16 unit is enough for any string.
  function writeString(text: string): [number, number] {
    const capacity = text.length * 3;
    const pointer = module._ap_malloc(Math.max(capacity, 1));
    if (pointer === 0) throw new EngineError('load', 'the engine is out of memory');
    const { written } = encoder.encodeInto(text, module.HEAPU8.subarray(pointer, pointer + capacity));
    return [pointer, written];
  }

  // Frees an input buffer. After a trap the heap may be inconsistent: a
  // failing free must not replace the crash the caller has to see.
  function release(pointer: number): void {
    try {
      if (pointer !== 0) module._ap_free(pointer);
    } catch {
      // the module is lost anyway (isEngineCrash)
    }
  }

  // Reads and frees a [uint32 length][UTF-8] block returned by the engine.
  function takeString(block: number): string {
    if (block === 0) throw new EngineError('protocol', 'the engine returned no document (out of memory)');
    try {
      const length = module.HEAPU32[block >>> 2]!;
      return decoder.decode(module.HEAPU8.subarray(block + 4, block + 4 + length));
    } finally {
      module._ap_free(block);
    }
  }

  // Options the TS types allow, passed as plain numbers; a field of the wrong
  // type is passed as present and invalid so the engine answers with its
  // error document (as for any invalid value).
  function run(session: number, source: string, options: RunOptions): RunResult {
    const { profile, seed, maxSteps } = (options ?? {}) as Record<string, unknown>;
    let present = 0;
    if (profile !== undefined) present |= HAS_PROFILE;
    if (seed !== undefined) present |= HAS_SEED;
    if (maxSteps !== undefined) present |= HAS_MAX_STEPS;
    const [sourcePointer, sourceLength] = writeString(String(source));
    let profilePointer = 0;
    let profileLength = 0;
    try {
      if (typeof profile === 'string') [profilePointer, profileLength] = writeString(profile);
      const block = module._ap_run(
        session, sourcePointer, sourceLength, profilePointer, profileLength,
        typeof seed === 'number' ? seed : -1, typeof maxSteps === 'number' ? maxSteps : -1, present,
      );
      return parseResult(takeString(block));
    } finally {
      release(sourcePointer);
      release(profilePointer);
    }
  }

  return {
    runProgram: (source, options = {}) => run(0, source, options),
    engineVersion() {
      const pointer = module._ap_engine_version();
      const heap = module.HEAPU8;
      return decoder.decode(heap.subarray(pointer, heap.indexOf(0, pointer)));
    },
    heapStats() {
      const at = module._ap_heap_stats() >>> 3;
      const heap = module.HEAPF64;
      return { allocated: heap[at]!, free: heap[at + 1]!, arena: heap[at + 2]!, memory: module.HEAPU8.buffer.byteLength };
    },
    debugCrash: (how) => module._ap_debug_crash(how === 'abort' ? 1 : 0),
    // The deferred part imports the primary's exports (memory, table, the
    // functions it calls) under the name wasm-split gave them: "primary".
    attachDeferred: (deferred) => split.attach(deferred, { primary: module.asm }),
    deferredState: () => split.state,
    createSession() {
      let session = module._ap_session_new();
      return {
        run: (source, options = {}) => run(session, source, options),
        tensor(id) {
          if (session === 0 || typeof id !== 'number') return null;
          const block = module._ap_session_tensor(session, id);
          if (block === 0) return null;
          try {
            const rank = module.HEAPU32[block >>> 2]!;
            const count = module.HEAPU32[(block >>> 2) + 1]!;
            const dims = (block + 8) >>> 3;
            const shape = Array.from(module.HEAPF64.subarray(dims, dims + rank));
            // A copy (slice), not a view: the next run or a memory growth
            // would invalidate a view into the heap.
            const first = (block + 8 + 8 * rank) >>> 2;
            const values = module.HEAPF32.slice(first, first + count);
            return { shape, values };
          } finally {
            module._ap_free(block);
          }
        },
        dispose() {
          if (session !== 0) module._ap_session_delete(session);
          session = 0;
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
