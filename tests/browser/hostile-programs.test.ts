// The hostile-input suite through the page: its generated
// programs (tests/cli/hostile_programs.mjs, the same deterministic list that
// attn-run answers) pasted into the editor of the real page in Chromium, the
// way a person pastes code. For every program the page must answer (a result
// or a run failure it explains), never throw, never hang, keep the pasted
// code in the editor, and show an error that names its type and says what is
// wrong; where the suite pins the type or the wording, the page shows it.
//
// Programs given as bytes (invalid UTF-8, NUL...) are decoded as the browser
// decodes a paste: UTF-8 with U+FFFD for invalid sequences.
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostilePrograms } from '../cli/hostile_programs.mjs';
import { launchBrowser, resultsDir, serveSite, type StaticSite, type TestBrowser } from './harness';

interface PageCase {
  name: string;
  code: string;
  expect: (doc: unknown) => boolean;
}

/** What the page shows after a run, as a run document's outline. */
interface PageAnswer {
  state: string; // 'done' | 'failed' (the run itself was stopped)
  verdict: string;
  status: string;
  errorType: string | null;
  errorMessage: string;
  editorCode: string | null;
}

// The largest cases (MBs of text) are kept out: pasting them is the editor's
// load, not the engine's, and the CLI suite covers them. 50 KB is already a
// long paste.
const MAX_CODE = 50_000;
const SHARDS = 6;

function pageCases(): PageCase[] {
  const seen = new Set<string>();
  const cases: PageCase[] = [];
  for (const c of hostilePrograms()) {
    const code = typeof c.source === 'string' ? c.source : new TextDecoder().decode(c.source);
    // The editor stores lines joined by \n (CodeMirror's default separators).
    const normalized = code.replace(/\r\n?/g, '\n');
    if (normalized.length > MAX_CODE || seen.has(normalized)) continue;
    seen.add(normalized);
    cases.push({ name: c.name, code: normalized, expect: c.expect });
  }
  return cases;
}

const cases = pageCases();
let site: StaticSite;
let chromium: TestBrowser;
let page: Page;
const pageErrors: string[] = [];
const tally = { answered: 0, failedRuns: 0, errors: 0, pinned: 0, slowestMs: 0, slowest: '' };

beforeAll(async () => {
  mkdirSync(resultsDir, { recursive: true });
  site = await serveSite(process.env['AP_DIST_DIR'] || undefined);
  chromium = await launchBrowser();
  page = await chromium.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(site.url);
  await page.locator('body[data-ui="ready"] #verdict[data-state="done"]').waitFor({ timeout: 30_000 });
});

afterAll(async () => {
  console.log(
    `\nHostile programs through the page: ${tally.answered} answered (${tally.errors} with an error card, ` +
      `${tally.failedRuns} runs stopped by the page, ${tally.pinned} checked against the suite's pinned type or wording); ` +
      `slowest ${tally.slowestMs} ms (${tally.slowest})\n`,
  );
  await chromium?.close();
  await site?.close();
});

/** Pastes `code` over the editor's text and waits for the page's answer. */
async function paste(code: string): Promise<PageAnswer> {
  // A marker the page replaces when it starts ('running') and ends a run.
  await page.evaluate(() => {
    document.body.dataset['run'] = 'test-pasting';
  });
  await page.locator('.cm-content').focus();
  await page.keyboard.press('Control+A');
  if (code === '') await page.keyboard.press('Delete');
  else await page.keyboard.insertText(code);
  await page.waitForFunction(() => ['done', 'failed'].includes(document.body.dataset['run'] ?? ''), undefined, { timeout: 30_000 });
  return page.evaluate(() => {
    const text = (sel: string) => document.querySelector(sel)?.textContent ?? '';
    const card = document.querySelector<HTMLElement>('#error-card');
    // CodeMirror keeps its view on the content element, as EditorView.findFromDOM
    // reads it (cmTile.root.view since @codemirror/view 6.39, cmView.rootView.view before).
    type Doc = { state: { doc: { toString(): string } } };
    const content = document.querySelector('.cm-content') as (Element & { cmTile?: { root?: { view?: Doc } }; cmView?: { rootView?: { view?: Doc } } }) | null;
    const view = content?.cmTile?.root?.view ?? content?.cmView?.rootView?.view;
    return {
      state: document.body.dataset['run'] ?? '',
      verdict: text('#verdict'),
      status: text('#run-status'),
      errorType: card && !card.hidden ? (card.dataset['errorType'] ?? '') : null,
      errorMessage: text('#error-message'),
      editorCode: view ? view.state.doc.toString() : null,
    };
  });
}

/** The page shows control characters as Control Pictures (ESC as ␛): map
 *  them back to compare with what the program sent. */
const shownAsSent = (text: string): string =>
  text.replace(/[\u2400-\u241f\u2421]/g, (c) => String.fromCharCode(c === '\u2421' ? 0x7f : c.charCodeAt(0) - 0x2400));

/** The suite's expectation, applied to what the page shows (type, message). */
function pinnedHolds(c: PageCase, answer: PageAnswer): boolean | undefined {
  const doc =
    answer.errorType === null
      ? { ok: true, error: null }
      : { ok: false, error: { type: answer.errorType, message: shownAsSent(answer.errorMessage.replace(/^[A-Za-z]+: /, '')) } };
  try {
    return c.expect(doc);
  } catch {
    return undefined; // the expectation reads fields only the run document has
  }
}

describe('hostile programs pasted into the page', () => {
  it(`covers at least 200 distinct generated programs (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
  });

  const shardSize = Math.ceil(cases.length / SHARDS);
  for (let s = 0; s < SHARDS; ++s) {
    const shard = cases.slice(s * shardSize, (s + 1) * shardSize);
    it(`answers programs ${s * shardSize + 1}-${s * shardSize + shard.length} clearly and keeps the code`, async () => {
      for (const c of shard) {
        const t0 = Date.now();
        const answer = await paste(c.code);
        const ms = Date.now() - t0;
        if (ms > tally.slowestMs) Object.assign(tally, { slowestMs: ms, slowest: c.name });
        tally.answered += 1;
        const what = `${c.name}: ${JSON.stringify(answer).slice(0, 400)}`;
        // The user's code is never lost.
        expect(answer.editorCode, what).toBe(c.code);
        if (answer.state === 'failed') {
          // The page stopped the run itself (time limit): it says so.
          tally.failedRuns += 1;
          expect(answer.status, what).toMatch(/stopped|cancelled|restarted|crashed/i);
          continue;
        }
        expect(answer.verdict.trim(), what).not.toBe('');
        if (answer.errorType !== null) {
          tally.errors += 1;
          expect(answer.errorType, what).toMatch(/^[A-Za-z]+$/);
          expect(answer.errorMessage.trim(), what).not.toBe('');
          // The engine's own failures start with 'internal error'.
          expect(answer.errorMessage, what).not.toMatch(/^[A-Za-z]+: internal error/i);
        }
        const held = pinnedHolds(c, answer);
        if (held !== undefined && c.expect.toString() !== '() => true') {
          tally.pinned += 1;
          expect(held, `${what} (the suite's expectation: ${c.expect.toString().slice(0, 200)})`).toBe(true);
        }
      }
      expect(pageErrors).toEqual([]);
    }, 600_000);
  }
});
