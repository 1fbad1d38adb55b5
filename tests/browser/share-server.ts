// Servers for the share and embed browser tests: the built site under any
// sub-path (a plain static file server, nothing else), and a host page on
// another loopback port (another origin) that embeds it.
import { readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { repoRoot } from './harness';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
};

export interface Served {
  /** The site's URL, ending in the prefix (e.g. http://127.0.0.1:PORT/a/b/). */
  url: string;
  origin: string;
  /** Every path requested so far. */
  requests: string[];
  close(): Promise<void>;
}

async function listen(handler: (req: IncomingMessage) => { status: number; type?: string; body: Buffer | string; headers?: Record<string, string> }, prefix: string, requests: string[]): Promise<Served> {
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const out = handler(req);
    res.writeHead(out.status, { 'Content-Type': out.type ?? 'text/plain', ...(out.headers ?? {}) });
    res.end(out.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return { url: `${origin}${prefix}`, origin, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Serves `dir` (default dist/) at `prefix` only; other paths are 404.
 *  `headers` are added to every response (e.g. a CSP header). */
export function serveAt(prefix: string, dir = process.env['AP_DIST_DIR'] || path.join(repoRoot, 'dist'), headers: Record<string, string> = {}): Promise<Served> {
  const requests: string[] = [];
  return listen(
    (req) => {
      const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (!urlPath.startsWith(prefix)) return { status: 404, body: 'not found' };
      const rel = urlPath.slice(prefix.length);
      const file = path.join(dir, path.normalize(rel === '' || rel.endsWith('/') ? `${rel}index.html` : rel));
      if (!file.startsWith(dir) || !statSync(file, { throwIfNoEntry: false })?.isFile()) return { status: 404, body: 'not found' };
      return { status: 200, type: MIME[path.extname(file)] ?? 'application/octet-stream', body: readFileSync(file), headers };
    },
    prefix,
    requests,
  );
}

/** Serves fixed pages: path → HTML. */
export function servePages(pages: Record<string, string>): Promise<Served> {
  const requests: string[] = [];
  return listen(
    (req) => {
      const page = pages[new URL(req.url ?? '/', 'http://x').pathname];
      return page === undefined ? { status: 404, body: 'not found' } : { status: 200, type: 'text/html; charset=utf-8', body: page };
    },
    '/',
    requests,
  );
}
