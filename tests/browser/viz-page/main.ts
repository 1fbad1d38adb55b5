// Test page for tests/browser/shape-flow-heatmap.test.ts: runs a scenario (?scenario=NAME,
// default article-1) in the real engine worker and mounts the shape flow and
// the heatmap the way the playground page does.
import { createEngineClient } from '../../../web/core/client';
import type { RunCall, TracedTensor } from '../../../web/core/types';
import { createHeatmap } from '../../../web/ui/heatmap';
import { renderShapeFlow } from '../../../web/ui/shape-flow-view';

const sources = import.meta.glob<string>('../../../web/scenarios/*.py', { query: '?raw', import: 'default', eager: true });

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const name = params.get('scenario') ?? 'article-1';
  const source = sources[`../../../web/scenarios/${name}.py`];
  if (source === undefined) throw new Error(`no scenario ${name}`);
  const client = createEngineClient();
  const result = await client.runProgram(source, { seed: 0 });
  const call: RunCall | undefined = result.steps.flatMap((s) => s.calls ?? []).find((c) => /Attention$/.test(c.callee));
  const flow = document.getElementById('flow')!;
  const heatmapBox = document.getElementById('heatmap')!;
  if (call) renderShapeFlow(flow, call, result.error);
  const heatmap = createHeatmap(heatmapBox, (id) => client.tensor(id));
  const weights: TracedTensor | undefined = call?.intermediates?.find((t) => t.label === 'weights' || (t.label === 'scores' && t.axes.includes('num_heads')));
  const mask = call?.intermediates?.find((t) => t.label === 'score_mask' || t.label === 'attention_mask') ?? null;
  if (weights) heatmap.show(weights, mask);
  document.body.dataset['ready'] = 'true';
}

main().catch((error: unknown) => {
  document.body.dataset['error'] = String(error);
});
