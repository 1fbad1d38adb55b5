// No untrusted string is ever inserted as HTML. A lint by test:
// no HTML-parsing sink anywhere in web/ (the generated engine glue aside), and
// the page's HTML has no inline script and carries the CSP.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const SINKS = /\.(innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML|document\.write(ln)?\s*\(|createContextualFragment|\.srcdoc\s*=|DOMParser|\bnew\s+Function\s*\(|\beval\s*\(|setTimeout\s*\(\s*['"`]|setInterval\s*\(\s*['"`]/;

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'generated') yield* files(p);
    } else if (/\.(ts|js|mjs)$/.test(name)) {
      yield p;
    }
  }
}

describe('no untrusted string becomes HTML or code', () => {
  it('has no HTML or eval sinks in web/ and public/', () => {
    const hits: string[] = [];
    for (const file of [...files(path.join(root, 'web')), ...files(path.join(root, 'public'))]) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const code = line.replace(/\/\/.*$/, ''); // comments may name the sinks
          if (SINKS.test(code)) hits.push(`${path.relative(root, file)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(hits).toEqual([]);
  });

  it('the lint catches each sink', () => {
    for (const line of ['el.innerHTML = x', 'el.outerHTML=x', 'el.insertAdjacentHTML("beforeend", x)', 'document.write(x)', 'new DOMParser()', 'eval(x)', "setTimeout('x()', 1)", 'frame.srcdoc = x']) {
      expect(SINKS.test(line), line).toBe(true);
    }
    expect(SINKS.test('el.textContent = x')).toBe(false);
  });

  // The CSP is in the page itself, and nothing inline would need it relaxed.
  it('index.html has the CSP and no inline script or handler', () => {
    const html = readFileSync(path.join(root, 'index.html'), 'utf8');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).toContain("object-src 'none'");
    for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
      expect(m[1]).toContain('src=');
      expect(m[2]?.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  });
});
