// The article's scenarios and the gallery (web/scenarios/index.json and the
// .py files beside it), bundled into the page at build time.
import type { Fix } from './fix-logic';

export interface KerasVerdict {
  ok: boolean;
  error_type?: string;
  error_line?: number;
  message_contains?: string;
}

export interface Scenario {
  id: string;
  kind: 'article' | 'gallery';
  title: string;
  source: string;
  /** What the article expects (article scenarios only). */
  articleClaim: string | null;
  /** What real Keras 3.15 (TensorFlow 2.21) does, pinned in the manifest. */
  kerasVerdict: KerasVerdict;
  explanation: string;
  fixes: Fix[];
}

interface ManifestEntry {
  id: string;
  kind: string;
  title: string;
  file: string;
  article_claim: string | null;
  keras_verdict: KerasVerdict;
  explanation: string;
  fixes: { label: string; find: string; replace: string; expect_ok?: boolean }[];
}

// (glob rather than a JSON import: no resolveJsonModule needed in tsconfig)
const manifests = import.meta.glob<unknown>('../scenarios/index.json', { import: 'default', eager: true });
const manifest = manifests['../scenarios/index.json'];
const sources = import.meta.glob<string>('../scenarios/*.py', { query: '?raw', import: 'default', eager: true });

function load(): Scenario[] {
  const entries = (manifest as { scenarios: ManifestEntry[] }).scenarios;
  const list = entries.map((e): Scenario => {
    const source = sources[`../scenarios/${e.file}`];
    if (source === undefined) throw new Error(`web/scenarios/${e.file} is missing`);
    return {
      id: e.id,
      kind: e.kind === 'article' ? 'article' : 'gallery',
      title: e.title,
      source,
      articleClaim: e.article_claim,
      kerasVerdict: e.keras_verdict,
      explanation: e.explanation,
      fixes: e.fixes.map((f) => ({ label: f.label, find: f.find, replace: f.replace, origin: 'scenario' as const })),
    };
  });
  // The article's scenarios first, in the manifest's (= the article's) order.
  return [...list.filter((s) => s.kind === 'article'), ...list.filter((s) => s.kind === 'gallery')];
}

export const SCENARIOS: readonly Scenario[] = load();

export function scenarioById(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id);
}

/** Whether the article's expectation matches what Keras does: the article
 *  expects scenario 1 to fail (it runs) and scenario 2 to work (it raises);
 *  scenario 3's expectation is right. The manifest states the claims as prose,
 *  so the comparison is recorded here. */
export const ARTICLE_AGREES: Readonly<Record<string, boolean>> = {
  'article-1': false,
  'article-2': false,
  'article-3': true,
};
