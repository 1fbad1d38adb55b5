#!/usr/bin/env node
// Moves the data only the deferred part uses out of the first load.
//
// wasm-split moves functions, never data: every constant of the engine
// stays in the primary module's data section, the messages, vtables and
// type names of numpy, model.fit or the recurrent layers as much as the
// article's. The link map names the linker's data objects (each input
// section of .rodata and .data, with the merged string literals of
// `<internal>:(.rodata)` split at their NULs). An object is reachable from
// the primary when an i32.const or a load/store offset of its code points
// into it, or a 4-byte word of a reachable object does (a vtable, a table
// of strings). Every other object is only reached by deferred code, which
// runs after the deferred module is instantiated. So its bytes become zeros
// in the primary's data (which gzip all but drops) and an active data
// segment of the deferred module, which writes them back at the same
// address when it is instantiated, before any of its code can run.
//
// usage: node scripts/move-deferred-data.mjs --wasm-dis BIN --map LINK.map
//          --primary PRIMARY.wasm --deferred DEFERRED.wasm
// Rewrites both modules in place; prints what it moved.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    'wasm-dis': { type: 'string', default: 'wasm-dis' },
    map: { type: 'string' },
    primary: { type: 'string' },
    deferred: { type: 'string' },
  },
});
for (const name of ['map', 'primary', 'deferred']) {
  if (!args[name]) throw new Error(`move-deferred-data: --${name} is required`);
}
const FEATURES = ['--enable-simd', '--enable-exception-handling', '--enable-mutable-globals'];
const DATA_SECTION = 11;

// ---- wasm binary helpers --------------------------------------------------

function readU32(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}

function readI32(bytes, at) {
  let value = 0;
  let shift = 0;
  let b;
  do {
    b = bytes[at++];
    value |= (b & 0x7f) << shift;
    shift += 7;
  } while (b >= 0x80);
  if (shift < 32 && b & 0x40) value |= -1 << shift;
  return [value, at];
}

function u32(value) {
  const out = [];
  do {
    let b = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) b |= 0x80;
    out.push(b);
  } while (value);
  return out;
}

function i32(value) {
  const out = [];
  for (;;) {
    const b = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && !(b & 0x40)) || (value === -1 && b & 0x40);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

/** The sections of a module: {id, start (of the payload), end}. */
function sections(bytes) {
  const out = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, start] = readU32(bytes, at + 1);
    out.push({ id, headerStart: at, start, end: start + size });
    at = start + size;
  }
  return out;
}

/** Active data segments of memory 0: [{offset, bytes}]. */
function dataSegments(bytes) {
  const section = sections(bytes).find((s) => s.id === DATA_SECTION);
  if (!section) return [];
  let [count, at] = readU32(bytes, section.start);
  const out = [];
  while (count--) {
    const [flags, afterFlags] = readU32(bytes, at);
    if (flags !== 0 || bytes[afterFlags] !== 0x41) {
      throw new Error('move-deferred-data: only active i32.const data segments are handled');
    }
    const [offset, afterOffset] = readI32(bytes, afterFlags + 1);
    if (bytes[afterOffset] !== 0x0b) throw new Error('move-deferred-data: unexpected offset expression');
    const [size, dataStart] = readU32(bytes, afterOffset + 1);
    out.push({ offset, bytes: bytes.subarray(dataStart, dataStart + size) });
    at = dataStart + size;
  }
  return out;
}

function dataSectionPayload(segments) {
  const parts = [u32(segments.length)];
  for (const s of segments) {
    parts.push([0, 0x41, ...i32(s.offset), 0x0b, ...u32(s.bytes.length)], s.bytes);
  }
  return Buffer.concat(parts.map((p) => Buffer.from(p)));
}

/** `bytes` with its data section replaced (or added, after the code). */
function withDataSection(bytes, segments) {
  const payload = dataSectionPayload(segments);
  const section = Buffer.concat([Buffer.from([DATA_SECTION, ...u32(payload.length)]), payload]);
  const all = sections(bytes);
  const existing = all.find((s) => s.id === DATA_SECTION);
  if (existing) {
    return Buffer.concat([bytes.subarray(0, existing.headerStart), section, bytes.subarray(existing.end)]);
  }
  // The data section follows the code section (10) and precedes custom ones.
  const code = all.find((s) => s.id === 10);
  return Buffer.concat([bytes.subarray(0, code.end), section, bytes.subarray(code.end)]);
}

// ---- the link map and the primary's references ---------------------------

/**
 * The data objects of the link map: [{start, end, strings}] for every input
 * section of the .rodata and .data output sections (`strings`: the merged
 * string literals, split by the caller).
 */
function mapObjects(mapText) {
  const out = [];
  let section = '';
  // "     VA   Offset     Size Out     In      Symbol": an output section
  // comes after one space, an input section after nine, a symbol after more.
  const line = /^\s*([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)( +)(\S.*)$/;
  for (const text of mapText.split('\n')) {
    const m = line.exec(text);
    if (!m) continue;
    const [, va, size, gap, name] = m;
    if (gap.length === 1) {
      section = name;
    } else if (gap.length <= 10 && (section === '.rodata' || section === '.data')) {
      const start = parseInt(va, 16);
      out.push({ start, end: start + parseInt(size, 16), strings: name === '<internal>:(.rodata)' });
    }
  }
  return out;
}

/**
 * Every constant of the primary's code that may be an address: i32.const,
 * load/store offsets, and the 32-bit halves and lanes of i64.const and
 * v128.const (LLVM stores two pointers, or a pointer and a length, at once).
 */
function codeAddresses(primaryPath) {
  const all = execFileSync(args['wasm-dis'], [...FEATURES, primaryPath], { maxBuffer: 1 << 30 }).toString();
  // Only the code: a data segment's own offset (`(data (i32.const N) ...`)
  // is not a reference to the object it starts with.
  const text = all
    .split('\n')
    .filter((line) => !line.startsWith(' (data '))
    .join('\n');
  const out = [];
  const constant = /i32\.const (-?\d+)|offset=(\d+)|i64\.const (-?\d+)|v128\.const i32x4 (0x[0-9a-f]+) (0x[0-9a-f]+) (0x[0-9a-f]+) (0x[0-9a-f]+)/g;
  for (const m of text.matchAll(constant)) {
    if (m[1] !== undefined) out.push(Number(m[1]) >>> 0);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) {
      const v = BigInt.asUintN(64, BigInt(m[3]));
      out.push(Number(v & 0xffffffffn), Number(v >> 32n));
    } else {
      for (const lane of m.slice(4, 8)) out.push(Number(BigInt.asUintN(32, BigInt(lane))));
    }
  }
  return out;
}

// ---- main -----------------------------------------------------------------

if (!existsSync(args.map)) {
  console.warn('move-deferred-data: no link map; all data stays in the primary module');
  process.exit(0);
}
const primary = readFileSync(args.primary);
const deferred = readFileSync(args.deferred);
const segments = dataSegments(primary).map((s) => ({ offset: s.offset, bytes: Buffer.from(s.bytes) }));
if (dataSegments(deferred).length) throw new Error('move-deferred-data: the deferred module already has data');

const memoryByte = (address) => {
  for (const s of segments) {
    if (address >= s.offset && address < s.offset + s.bytes.length) return s.bytes[address - s.offset];
  }
  return undefined;
};

// The objects in address order, each string of the merged table its own.
const objects = [];
for (const o of mapObjects(readFileSync(args.map, 'utf8'))) {
  if (!o.strings) {
    objects.push({ start: o.start, end: o.end });
    continue;
  }
  if (memoryByte(o.end - 1) !== 0) throw new Error('move-deferred-data: a string table does not end in NUL');
  for (let s = o.start; s < o.end; ) {
    let e = s;
    while (memoryByte(e) !== 0) e++;
    objects.push({ start: s, end: e + 1, string: true });
    s = e + 1;
  }
}
objects.sort((a, b) => a.start - b.start);
if (!objects.length) throw new Error('move-deferred-data: no data objects in the link map');

function objectAt(address) {
  let lo = 0;
  let hi = objects.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (objects[mid].start <= address) lo = mid + 1;
    else hi = mid;
  }
  const o = objects[lo - 1];
  return o && address < o.end ? o : undefined;
}

// Reachable: from the primary's code, then through the words of reachable
// objects (at any alignment: conservative, a pointer is 4-byte aligned).
// A code constant also reaches the tables (objects other than string
// literals) that start up to 64 bytes after it: compilers fold
// `table[i - 1]` into `(table - 4)[i]` (a table of powers of ten indexed
// from 1 did exactly that). A string literal is addressed at its start, or
// inside it when the linker merged it into the tail of a longer one.
const CONSTANT_REACH = 64;
const pending = [];
// The lowest address inside a string literal anything points at: the
// linker merges a literal into the tail of a longer one that ends the same
// way, and a pointer there reads the tail only (to the NUL, or a length
// that ends there), so the bytes before it can move.
const reference = (o, address) => {
  if (o.string) o.firstRef = Math.min(o.firstRef ?? o.end, address);
};
for (const c of codeAddresses(args.primary)) {
  const at = objectAt(c);
  if (at) {
    reference(at, c);
    pending.push(at);
  }
  let lo = 0;
  let hi = objects.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (objects[mid].start <= c) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < objects.length && objects[i].start <= c + CONSTANT_REACH; i++) {
    if (!objects[i].string) pending.push(objects[i]);
  }
}
while (pending.length) {
  const o = pending.pop();
  if (o.reachable) continue;
  o.reachable = true;
  for (let a = o.start; a + 4 <= o.end; a++) {
    const word =
      (memoryByte(a) | (memoryByte(a + 1) << 8) | (memoryByte(a + 2) << 16) | (memoryByte(a + 3) << 24)) >>> 0;
    const target = objectAt(word);
    if (target) reference(target, word);
    if (target && !target.reachable) pending.push(target);
  }
}

// Zeros in the primary; the same bytes, merged into runs, in the deferred.
const runs = [];
for (const o of objects) {
  // An unreachable object moves whole; a string reached only inside, its
  // bytes before the first reference.
  const end = !o.reachable ? o.end : o.string ? (o.firstRef ?? o.start) : o.start;
  if (end <= o.start) continue;
  const last = runs[runs.length - 1];
  if (last && last[1] === o.start) last[1] = end;
  else runs.push([o.start, end]);
}
const deferredSegments = [];
let movedBytes = 0;
for (const [s, e] of runs) {
  // (the bytes between data segments are zeros already: nothing to move)
  for (const seg of segments) {
    const from = Math.max(s, seg.offset);
    const to = Math.min(e, seg.offset + seg.bytes.length);
    if (from >= to) continue;
    deferredSegments.push({ offset: from, bytes: Buffer.from(seg.bytes.subarray(from - seg.offset, to - seg.offset)) });
    seg.bytes.fill(0, from - seg.offset, to - seg.offset);
    movedBytes += to - from;
  }
}
deferredSegments.sort((a, b) => a.offset - b.offset);
writeFileSync(args.primary, withDataSection(primary, segments));
writeFileSync(args.deferred, withDataSection(deferred, deferredSegments));
const reachable = objects.filter((o) => o.reachable).length;
const prefixes = objects.filter((o) => o.reachable && o.string && o.firstRef > o.start).length;
console.log(
  `move-deferred-data: ${objects.length - reachable} of ${objects.length} data objects ` +
    `and the heads of ${prefixes} merged strings (${movedBytes} bytes, ` +
    `${deferredSegments.length} segments) now load with the deferred module`,
);
