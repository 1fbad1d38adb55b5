// Malformed, truncated and hostile hashes: each one must be
// answered by a clear message (at least one problem from decodeHash), leave a
// usable page, and never run or become HTML. Deterministic (seeded).
export interface HostileLink {
  name: string;
  hash: string;
}

/** Script-injection payloads, as a value anywhere in a link. */
export const INJECTIONS = [
  '<script>window.__pwned=1</script>',
  '"><img src=x onerror="window.__pwned=1">',
  'javascript:window.__pwned=1',
  '<svg/onload=window.__pwned=1>',
  "'-alert(1)-'",
  '{{constructor.constructor("window.__pwned=1")()}}',
];

async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('deflate-raw')).getReader();
  const parts: number[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(...value);
  }
  return new Uint8Array(parts);
}
const b64u = (bytes: Uint8Array): string => {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

function prng(seed: number): () => number {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

export async function hostileLinks(): Promise<HostileLink[]> {
  const out: HostileLink[] = [];
  const add = (name: string, hash: string): void => void out.push({ name, hash: `#${hash}` });
  const enc = encodeURIComponent;

  // 1. Injection payloads in every field and as keys (6 × 9 = 54).
  for (const [i, payload] of INJECTIONS.entries()) {
    for (const key of ['s', 'step', 'p', 'view', 'theme', 'full', 'v', 'e']) add(`injection ${i} in ${key}`, key === 's' ? `s=${enc(payload)}` : `s=article-1&${key}=${enc(payload)}`);
    add(`injection ${i} as a key`, `s=article-1&${enc(payload)}=1`);
  }

  // 2. Edited code that cannot be read (25).
  const code = 'import tensorflow as tf\nx = tf.zeros((2, 3))\nprint(x.shape)\n'.repeat(3);
  const packed = b64u(await deflateRaw(new TextEncoder().encode(code)));
  for (let k = 1; k <= 10; k++) {
    const cut = Math.max(1, Math.floor((packed.length * k) / 11));
    add(`code truncated to ${cut} of ${packed.length} characters`, `s=article-1&c=z1.${packed.slice(0, cut)}&v=1`);
  }
  add('code with characters outside base64url', `s=article-1&c=z1.${enc('<script>alert(1)</script>')}`);
  add('code: prefix only', 's=article-1&c=z1.');
  add('code in an unknown packing', `s=article-1&c=z9.${packed}`);
  add('code without a packing prefix', `s=article-1&c=${packed}`);
  add('code as a raw script tag', `c=${enc('<script>window.__pwned=1</script>')}`);
  add('code: a decompression bomb (8 MB of "a")', `s=article-1&c=z1.${b64u(await deflateRaw(new Uint8Array(8 << 20).fill(97)))}`);
  add('code: valid deflate of bytes that are not UTF-8', `s=article-1&c=z1.${b64u(await deflateRaw(new Uint8Array([0x69, 0x6d, 0xff, 0xfe, 0xc3, 0x28])))}`);
  add('code: base64url of random bytes', `s=article-1&c=z1.${b64u(new Uint8Array(64).map((_, i) => (i * 97 + 13) & 0xff))}`);
  add('code: base64 length that no bytes encode to', 's=article-1&c=z1.AAAAA');
  add('code: padding in the middle', 's=article-1&c=z1.AA==AA');
  add('code: stored block claiming more bytes than present', `s=article-1&c=z1.${b64u(new Uint8Array([0x01, 0xff, 0xff, 0x00, 0x00, 0x41]))}`);
  add('code: deflate with an invalid block type', `s=article-1&c=z1.${b64u(new Uint8Array([0x07, 0x00, 0x00]))}`);
  add('code: the empty stream twice over, unterminated', `s=article-1&c=z1.${b64u(new Uint8Array([0x02]))}`);
  const rand = prng(5);
  for (let k = 0; k < 2; k++) add(`code: random base64url #${k}`, `s=article-1&c=z1.${Array.from({ length: 40 + k * 50 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[Math.floor(rand() * 64)]).join('')}`);

  // 3. Structure and values (30).
  add('bad percent-encoding', 's=%E0%A4%A');
  add('a lone percent sign', '%');
  add('only separators', '&&&&');
  add('only an equals sign', '=');
  add('no key, only a value', '=article-1');
  add('unknown parameters only', 'foo=bar&baz');
  add('a key without a value', 's');
  add('unknown scenario', 's=article-99');
  add('path traversal as scenario', `s=${enc('../../etc/passwd')}`);
  add('__proto__ as scenario', 's=__proto__');
  add('constructor as scenario', 's=constructor');
  add('__proto__ as a key', '__proto__=1&s=article-1');
  add('duplicate scenario', 's=article-1&s=article-2');
  add('negative step', 's=article-1&step=-1');
  add('step in exponent form', 's=article-1&step=1e9');
  add('hex step', 's=article-1&step=0x10');
  add('step too large', 's=article-1&step=99999999');
  add('fractional step', 's=article-1&step=1.5');
  add('unknown profile', 's=article-1&p=keras4');
  add('unknown view', 's=article-1&view=heatmap');
  add('unknown theme', 's=article-1&theme=neon');
  add('full is not 0 or 1', 's=article-1&full=yes');
  add('a newer schema version', 's=article-1&v=2');
  add('schema version 0', 's=article-1&v=0');
  add('schema version not a number', 's=article-1&v=one');
  add('engine version with spaces', `s=article-1&e=${enc('0.1 beta')}`);
  add('NUL and control characters', `s=${enc('article-1\u0000\u0007')}`);
  add('right-to-left override in a value', `s=${enc('\u202eart')}`);
  add('10,000 empty parameters', `${'x=&'.repeat(10_000)}s=article-1`);
  add('a hash past the length limit', `s=article-1&c=z1.${'A'.repeat(120_000)}`);
  add('unicode junk', `${enc('🙂=漢字&ü')}`);
  add('query-string style with a question mark', '?s=article-1');
  add('double-encoded', `s=${enc(enc('<article-1>'))}`);
  return out;
}
