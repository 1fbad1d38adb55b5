// One-click fixes: the scenario manifest's own, and ones derived from the
// error's structure for edited code where the rewrite is unambiguous. A fix
// is a text replacement the editor applies as one undoable change. No DOM
// here (tests/js/ui-logic.test.ts).
import type { Call, RunResult } from '../core/types';

export interface Fix {
  label: string;
  /** Text to replace (the first occurrence at or after `from`). */
  find: string;
  replace: string;
  /** Offset of `find` in the code when the fix was derived for one place. */
  from?: number;
  /** Where it comes from: the scenario's manifest or the error's structure. */
  origin: 'scenario' | 'derived';
  /** A short reason shown under the button. */
  why?: string;
}

export interface Change {
  from: number;
  to: number;
  insert: string;
}

/** Where the fix applies in `code`, or null when its text is not there. */
export function locateFix(code: string, fix: Fix): Change | null {
  let at = -1;
  if (fix.from !== undefined && code.startsWith(fix.find, fix.from)) at = fix.from;
  else at = code.indexOf(fix.find);
  if (at < 0 || fix.find === '') return null;
  return { from: at, to: at + fix.find.length, insert: fix.replace };
}

export function applyFix(code: string, fix: Fix): string | null {
  const change = locateFix(code, fix);
  if (!change) return null;
  return code.slice(0, change.from) + change.insert + code.slice(change.to);
}

/** Offset of the first character of 1-based `line`. */
function lineOffset(code: string, line: number): number {
  let offset = 0;
  for (let i = 1; i < line; i++) {
    const next = code.indexOf('\n', offset);
    if (next < 0) return code.length;
    offset = next + 1;
  }
  return offset;
}

/** The text of lines first..last (1-based, inclusive) and its offset. */
function lineSpan(code: string, first: number, last: number): { text: string; offset: number } {
  const offset = lineOffset(code, first);
  const end = lineOffset(code, Math.max(first, last) + 1);
  return { text: code.slice(offset, end), offset };
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** ValueError "mask list of length 2 or 3" with `mask=[x]` → `mask=[x, None]`. */
function maskListFix(code: string, result: RunResult): Fix | null {
  const error = result.error;
  if (!error || error.type !== 'ValueError') return null;
  const text = error.plain_message ?? error.message;
  if (!text.includes('mask list of length 2 or 3')) return null;
  const span = lineSpan(code, error.line, error.end_line ?? error.line);
  const m = /mask\s*=\s*\[\s*([^[\],]+?)\s*,?\s*\]/.exec(span.text);
  if (!m || !m[1]) return null;
  return {
    label: `Pass the mask as [${m[1]}, None]`,
    find: m[0],
    replace: `mask=[${m[1]}, None]`,
    from: span.offset + m.index,
    origin: 'derived',
    why: 'Attention takes mask=[query_mask, value_mask]; None means "no value mask".',
  };
}

/** Incompatible shapes from `a * b` where both end in the same feature size
 *  but differ in steps: the scores were meant as a matrix product. */
function elementwiseMatmulFix(code: string, result: RunResult): Fix | null {
  const error = result.error;
  if (!error || error.type !== 'InvalidArgumentError' || error.op !== 'Mul') return null;
  const [a, b] = error.shapes ?? [];
  if (!a || !b || a.length < 2 || a.length !== b.length) return null;
  if (a[a.length - 1] !== b[b.length - 1] || a[a.length - 2] === b[b.length - 2]) return null;
  if (!/^\s*import\s+tensorflow\s+as\s+tf\b/m.test(code)) return null;
  const span = lineSpan(code, error.line, error.end_line ?? error.line);
  const matches = [...span.text.matchAll(/([A-Za-z_][\w.]*(?:\[[^\]\n]*\])?)\s*\*\s*([A-Za-z_][\w.]*(?:\[[^\]\n]*\])?)/g)];
  if (matches.length !== 1) return null; // more than one product: not sure which
  const m = matches[0];
  if (!m || !m[1] || !m[2]) return null;
  return {
    label: `Use tf.matmul(${m[1]}, ${m[2]}, transpose_b=True)`,
    find: m[0],
    replace: `tf.matmul(${m[1]}, ${m[2]}, transpose_b=True)`,
    from: span.offset + (m.index ?? 0),
    origin: 'derived',
    why: `Scores pair every step of ${m[1]} with every step of ${m[2]}: a matrix product over the feature axis, not an elementwise one.`,
  };
}

/** A list [q, k, v] that Keras read as [query, value, key]: swap the last two. */
function keyValueOrderFix(code: string, result: RunResult): Fix | null {
  for (const step of result.steps) {
    for (const call of step.calls ?? []) {
      const fix = keyValueOrderFixForCall(code, step.line, step.end_line ?? step.line, call);
      if (fix) return fix;
    }
  }
  return null;
}

function keyValueOrderFixForCall(code: string, first: number, last: number, call: Call): Fix | null {
  const inputs = call.inputs ?? [];
  const value = inputs.find((i) => i.arg_path === 'inputs[1]' && i.role === 'value');
  const key = inputs.find((i) => i.arg_path === 'inputs[2]' && i.role === 'key');
  const query = inputs.find((i) => i.arg_path === 'inputs[0]');
  if (!value || !key || !query) return null;
  // The engine says when a name suggests the other role (suggested_role).
  if (value.suggested_role !== 'key' || key.suggested_role !== 'value') return null;
  const span = lineSpan(code, first, last);
  const list = new RegExp(`\\[\\s*${escapeRegExp(query.source)}\\s*,\\s*${escapeRegExp(value.source)}\\s*,\\s*${escapeRegExp(key.source)}\\s*\\]`);
  const m = list.exec(span.text);
  if (!m) return null;
  return {
    label: `Pass the list as [query, value, key]: [${query.source}, ${key.source}, ${value.source}]`,
    find: m[0],
    replace: `[${query.source}, ${key.source}, ${value.source}]`,
    from: span.offset + m.index,
    origin: 'derived',
    why: `Keras reads the list as [query, value, key]: ${value.source} was used as the value and ${key.source} as the key.`,
  };
}

/** Fixes derived from the run's structure (each checked to apply to `code`). */
export function deriveFixes(code: string, result: RunResult): Fix[] {
  const fixes = [maskListFix(code, result), elementwiseMatmulFix(code, result), keyValueOrderFix(code, result)];
  return fixes.filter((f): f is Fix => f !== null && locateFix(code, f) !== null);
}

/** What the fix panel offers: the scenario's fixes that still apply, then the
 *  derived ones, without two fixes that give the same code. */
export function fixesFor(code: string, result: RunResult | null, scenarioFixes: readonly Fix[]): Fix[] {
  const out: Fix[] = [];
  const seen = new Set<string>();
  const candidates = [...scenarioFixes, ...(result ? deriveFixes(code, result) : [])];
  for (const fix of candidates) {
    const fixed = applyFix(code, fix);
    if (fixed === null || seen.has(fixed)) continue;
    seen.add(fixed);
    out.push(fix);
  }
  return out;
}
