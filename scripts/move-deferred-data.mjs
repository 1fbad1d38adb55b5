#!/usr/bin/env node
// Moves the strings only the deferred part uses out of the first load.
//
// wasm-split moves functions, never data: every string literal of the
// engine stays in the primary module's data section, the messages of
// numpy, model.fit or the recurrent layers as much as the article's. The
// linker merges string literals into one table (the map's
// `<internal>:(.rodata)`), a run of NUL-terminated strings. A string that
// no code of the primary module can address (no i32.const or load/store
// offset inside it, no pointer to it anywhere in the data) is only reached
// by deferred code, which runs after the deferred module is instantiated.
// So its bytes become zeros in the primary's data (which gzip all but
// drops) and an active data segment of the deferred module, which writes
// them back at the same address when it is instantiated, before any of its
// code can run.
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

// ---- what the primary module can address ----------------------------------

/** The linker's merged string tables, from the link map: [start, end). */
function stringTables(mapText) {
  const out = [];
  const line = /^\s*([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+<internal>:\(\.rodata\)\s*$/gm;
  for (const m of mapText.matchAll(line)) {
    const start = parseInt(m[1], 16);
    out.push([start, start + parseInt(m[2], 16)]);
  }
  return out;
}

/** Every constant the primary's code uses as an address or a memory offset. */
function codeAddresses(primaryPath) {
  const text = execFileSync(args['wasm-dis'], [...FEATURES, primaryPath], { maxBuffer: 1 << 30 }).toString();
  const out = [];
  for (const m of text.matchAll(/i32\.const (-?\d+)|offset=(\d+)/g)) out.push(Number(m[1] ?? m[2]));
  return out;
}

/** Every 4-byte value in the data, at any alignment (possible pointers). */
function dataWords(segments) {
  const out = [];
  for (const s of segments) {
    const view = Buffer.from(s.bytes.buffer, s.bytes.byteOffset, s.bytes.length);
    for (let i = 0; i + 4 <= view.length; i++) out.push(view.readUInt32LE(i));
  }
  return out;
}

// ---- main -----------------------------------------------------------------

if (!existsSync(args.map)) {
  console.warn('move-deferred-data: no link map; every string stays in the primary module');
  process.exit(0);
}
const primary = readFileSync(args.primary);
const deferred = readFileSync(args.deferred);
const segments = dataSegments(primary).map((s) => ({ offset: s.offset, bytes: Buffer.from(s.bytes) }));
if (dataSegments(deferred).length) throw new Error('move-deferred-data: the deferred module already has data');
const tables = stringTables(readFileSync(args.map, 'utf8'));

const memoryByte = (address) => {
  for (const s of segments) {
    if (address >= s.offset && address < s.offset + s.bytes.length) return s.bytes[address - s.offset];
  }
  return undefined;
};

const referenced = [...codeAddresses(args.primary), ...dataWords(segments)].sort((a, b) => a - b);
function isReferenced(start, last) {
  let lo = 0;
  let hi = referenced.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (referenced[mid] < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < referenced.length && referenced[lo] <= last;
}

const moved = []; // [start, end) of each string, its NUL included
let stringCount = 0;
for (const [start, end] of tables) {
  if (memoryByte(end - 1) !== 0) throw new Error('move-deferred-data: a string table does not end in NUL');
  let s = start;
  while (s < end) {
    let e = s;
    while (memoryByte(e) !== 0) e++;
    stringCount++;
    if (!isReferenced(s, e)) moved.push([s, e + 1]);
    s = e + 1;
  }
}

// Zeros in the primary; the same bytes, merged into runs, in the deferred.
const runs = [];
for (const [s, e] of moved) {
  const last = runs[runs.length - 1];
  if (last && last[1] === s) last[1] = e;
  else runs.push([s, e]);
}
const deferredSegments = [];
let movedBytes = 0;
for (const [s, e] of runs) {
  const seg = segments.find((g) => s >= g.offset && e <= g.offset + g.bytes.length);
  if (!seg) throw new Error('move-deferred-data: a string spans data segments');
  deferredSegments.push({ offset: s, bytes: Buffer.from(seg.bytes.subarray(s - seg.offset, e - seg.offset)) });
  seg.bytes.fill(0, s - seg.offset, e - seg.offset);
  movedBytes += e - s;
}
writeFileSync(args.primary, withDataSection(primary, segments));
writeFileSync(args.deferred, withDataSection(deferred, deferredSegments));
console.log(
  `move-deferred-data: ${moved.length} of ${stringCount} strings (${movedBytes} bytes, ` +
    `${deferredSegments.length} segments) now load with the deferred module`,
);
