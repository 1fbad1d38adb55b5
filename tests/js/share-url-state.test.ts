// Share links: the hash derived from the state restores it exactly;
// link sizes; the golden links of every schema version keep decoding; every
// malformed or hostile hash gives a message and a valid state.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostileLinks, INJECTIONS } from '../golden-links/hostile-links';
import { decodeHash, encodeState, LONG_LINK_CHARS, packCode, unpackCode, type LinkContext } from '../../web/share/url-state';
import { fromBase64Url, toBase64Url } from '../../web/share/compress';
import { initialState, type AppState } from '../../web/state';
import { SCENARIOS } from '../../web/ui/scenario-data';

const ctx: LinkContext = { scenarios: SCENARIOS, defaultScenarioId: 'article-1' };
const goldenDir = path.resolve(__dirname, '../golden-links');
const ENGINE = '0.1.0';
const roundTrip = async (state: AppState): Promise<AppState> => (await decodeHash(`#${await encodeState(state, ENGINE)}`, ctx)).state;

describe('the hash derived from the state', () => {
  // The article's scenarios get short readable links; #s=article-2 opens scenario 2.
  it('is short and readable for built-in scenarios', async () => {
    expect(await encodeState(initialState('article-2'), ENGINE)).toBe('s=article-2&v=1&e=0.1.0');
    expect(await encodeState({ ...initialState('article-1'), step: 4 }, ENGINE)).toBe('s=article-1&step=4&v=1&e=0.1.0');
    const hand = await decodeHash('#s=article-2', ctx);
    expect(hand.state).toEqual(initialState('article-2'));
    expect(hand.problems).toEqual([]);
  });

  // Every field of the state survives the round trip, for every scenario.
  it('restores every state exactly', async () => {
    const variants: Partial<AppState>[] = [
      {},
      { step: 0 },
      { step: 17, profile: 'tf_keras' },
      { view: 'outputs', theme: 'dark', fullErrorText: true },
      { theme: 'light', code: 'x = 1\n' },
      { code: '' },
      { code: 'import tensorflow as tf\n# ünïcödé 漢字 🙂 </script> ``` & < > " \'\n\tx = tf.zeros((1, 2))\r\n' },
      { code: 'x = 1\n'.repeat(20_000), step: 3 },
    ];
    for (const sc of SCENARIOS) {
      for (const v of variants) {
        const state = { ...initialState(sc.id), ...v };
        expect(await roundTrip(state)).toEqual(state);
      }
    }
  });

  // Edited code that equals the scenario's source is the scenario (as the reducer does).
  it('reads code equal to the scenario source as the scenario', async () => {
    const sc = SCENARIOS[1]!;
    const decoded = await decodeHash(`#s=${sc.id}&c=${await packCode(sc.source)}`, ctx);
    expect(decoded.state.code).toBeNull();
  });

  // Link size targets: every built-in scenario ≤ 200 characters (worst case: every
  // field set), a 60-line edited program ≤ 2000; the measurements are printed.
  it('stays within the size limits', async () => {
    const lines: string[] = [];
    for (const sc of SCENARIOS) {
      const plain = await encodeState(initialState(sc.id), ENGINE);
      const worst = await encodeState({ ...initialState(sc.id), step: 999, profile: 'tf_keras', view: 'outputs', theme: 'light', fullErrorText: true }, ENGINE);
      lines.push(`${sc.id}: ${plain.length + 1} chars (#${plain}); every field set: ${worst.length + 1}`);
      expect(worst.length + 1).toBeLessThanOrEqual(200);
    }
    const sixty = readFileSync(path.join(goldenDir, 'sixty-lines.py'), 'utf8');
    expect(sixty.trimEnd().split('\n')).toHaveLength(60);
    const edited = await encodeState({ ...initialState('article-1'), code: sixty, step: 12 }, ENGINE);
    lines.push(`60-line program (${sixty.length} chars of code): ${edited.length + 1} chars`);
    expect(edited.length + 1).toBeLessThanOrEqual(2000);
    // The gallery scenarios' code as one long edit: still decodes, and is "long".
    const long = SCENARIOS.map((s) => s.source).join('\n') + sixty;
    const longHash = await encodeState({ ...initialState('article-1'), code: long }, ENGINE);
    lines.push(`${long.split('\n').length}-line program: ${longHash.length + 1} chars (warned as long: ${longHash.length > LONG_LINK_CHARS})`);
    expect((await decodeHash(`#${longHash}`, ctx)).state.code).toBe(long);
    console.log(`\nLink lengths (hash incl. '#'):\n  ${lines.join('\n  ')}\n`);
  });
});

describe('golden links', () => {
  const files = readdirSync(goldenDir).filter((f) => /^v\d+\.json$/.test(f));
  // A folder of links per schema version; each decodes to its recorded state.
  it('has a file for every schema version up to the current one', () => {
    expect(files).toContain('v1.json');
  });
  for (const file of files) {
    const golden = JSON.parse(readFileSync(path.join(goldenDir, file), 'utf8')) as { links: { name: string; hash: string; state: AppState; engineVersion: string | null }[] };
    for (const link of golden.links) {
      it(`${file}: ${link.name}`, async () => {
        const decoded = await decodeHash(link.hash, ctx);
        expect(decoded.problems).toEqual([]);
        expect(decoded.state).toEqual(link.state);
        expect(decoded.engineVersion).toBe(link.engineVersion);
        // And the state's current link opens the same state again.
        expect(await roundTrip(decoded.state)).toEqual(link.state);
      });
    }
  }
});

describe('malformed and hostile links', () => {
  // At least 100; each gives a message, a valid state, no hang.
  it('answers each of 100+ malformed links with a message and a usable state', async () => {
    const links = await hostileLinks();
    expect(links.length).toBeGreaterThanOrEqual(100);
    const ids = new Set(SCENARIOS.map((s) => s.id));
    for (const { name, hash } of links) {
      const t0 = performance.now();
      const decoded = await decodeHash(hash, ctx);
      expect(performance.now() - t0, name).toBeLessThan(2000);
      expect(decoded.problems.length, name).toBeGreaterThan(0);
      for (const p of decoded.problems) expect(p.text.length, name).toBeGreaterThan(20);
      expect(ids.has(decoded.state.scenarioId), name).toBe(true);
      // Nothing hostile reaches the state (it would reach the editor as text, but still).
      for (const payload of INJECTIONS) expect(JSON.stringify(decoded.state), name).not.toContain(payload);
      expect(await roundTrip(decoded.state), name).toEqual(decoded.state);
    }
  });

  // Damage to the code is reported as damage, not as a different program.
  it('explains why code cannot be read', async () => {
    const packed = await packCode('print(1)\n');
    expect(await unpackCode(packed)).toBe('print(1)\n');
    expect(await unpackCode(packed.slice(0, -3))).toMatchObject({ error: expect.stringContaining('damaged') });
    expect(await unpackCode('z7.AAAA')).toMatchObject({ error: expect.stringContaining('"z7."') });
    expect(await unpackCode('z1.@@')).toMatchObject({ error: expect.stringContaining('base64url') });
    const bomb = await packCode('a'.repeat(1 << 20));
    expect(await unpackCode(bomb)).toMatchObject({ error: expect.stringContaining('larger than') });
  });

  // Messages quote what they reject with control characters escaped and a length cap.
  it('quotes rejected values safely', async () => {
    const decoded = await decodeHash(`#s=${encodeURIComponent('x\u0000\u202e<b>' + 'y'.repeat(100))}`, ctx);
    const text = decoded.problems[0]?.text ?? '';
    expect(text).toContain('\\u0000');
    expect(text).toContain('\\u202e');
    expect(text).not.toContain('y'.repeat(50));
  });

  it('base64url round-trips every byte value', () => {
    const bytes = Uint8Array.from({ length: 256 * 3 }, (_, i) => i & 0xff);
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    expect(fromBase64Url('a+b/')).toBeNull();
  });
});
