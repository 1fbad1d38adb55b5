// Deflate-raw + base64url through the browser's own CompressionStream (also in
// Node ≥ 20), so links need no compression library. Decompression is bounded:
// a hostile link cannot make the page inflate more than `maxBytes`.

/** Raw DEFLATE (RFC 1951) of `bytes`. */
export async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  return readAll(new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('deflate-raw')), Infinity);
}

/** Inflates raw DEFLATE data. Throws InflateError('too-large') as soon as the
 *  output passes `maxBytes`, InflateError('corrupt') for damaged, truncated or
 *  trailing data. */
export async function inflateRaw(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  try {
    return await readAll(new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw')), maxBytes);
  } catch (error) {
    if (error instanceof InflateError) throw error;
    throw new InflateError('corrupt');
  }
}

export class InflateError extends Error {
  constructor(readonly kind: 'too-large' | 'corrupt') {
    super(kind === 'too-large' ? 'the data inflates past the size limit' : 'the compressed data is damaged or incomplete');
    this.name = 'InflateError';
  }
}

async function readAll(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new InflateError('too-large');
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** base64url without padding (RFC 4648 §5). */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Decodes base64url (padding optional); null when `text` is not base64url. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) return null;
  const bare = text.replace(/=+$/, '');
  if (bare.length % 4 === 1) return null; // no byte sequence encodes to this length
  const b64 = bare.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (bare.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(b64);
  } catch {
    return null;
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
