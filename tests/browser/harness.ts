// Shared setup for the browser tests: a static server for the built site
// (dist/, from `vite build`) on 127.0.0.1 and headless Debian Chromium driven
// by playwright-core (no browser download: docs/building.md).
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const resultsDir = path.join(repoRoot, 'test-results');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm', // needed for WebAssembly.instantiateStreaming
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface StaticSite {
  url: string;
  close(): Promise<void>;
}

/** Serves `dir` (default dist/) on an ephemeral loopback port, with `headers`
 *  added to every response (e.g. a Content-Security-Policy as a host sends it). */
export async function serveSite(dir = path.join(repoRoot, 'dist'), headers: Record<string, string> = {}): Promise<StaticSite> {
  if (!statSync(path.join(dir, 'index.html'), { throwIfNoEntry: false })) {
    throw new Error(`${dir}/index.html not found: run \`npx vite build\` first`);
  }
  const server: Server = createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(dir, path.normalize(urlPath.endsWith('/') ? `${urlPath}index.html` : urlPath));
    if (!file.startsWith(dir) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface TestBrowser {
  /** A context on a fresh profile; `context.newPage()` for each page. */
  context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with the flags that work on this machine (as root, no
 *  network), on a fresh user-data-dir (playwright-core takes it as the
 *  persistent-context argument and rejects a --user-data-dir flag). */
export async function launchBrowser(): Promise<TestBrowser> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'ap-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env['AP_CHROMIUM'] ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1100, height: 900 },
    args: [
      '--headless',
      '--no-sandbox', // root in a container: the sandbox cannot start
      '--disable-gpu',
      '--disable-background-networking', // otherwise floods the closed network
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The editor's text as shown (without the shape notes drawn beside lines). */
export const editorText = (page: Page): Promise<string> =>
  page.evaluate(() =>
    [...document.querySelectorAll('.cm-line')]
      .map((line) => {
        const copy = line.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('.cm-shape-note').forEach((n) => n.remove());
        return copy.textContent;
      })
      .join('\n'),
  );
