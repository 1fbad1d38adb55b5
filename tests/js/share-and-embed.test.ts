// The share bar's texts and the embed's contract:
// embed snippet, Markdown, runnable Python, embed parameters from an
// allowlist, and the parent messages the embed accepts (injection payloads).
import { describe, expect, it } from 'vitest';
import { embedLayout, readEmbedOptions, withEmbedOptions } from '../../web/embed/options';
import { fromParent, parseParentMessage, resizeMessage, ampResizeMessage } from '../../web/embed/messages';
import { embedSnippet, escapeHtml, playgroundLink, embedLink, siteBase } from '../../web/share/links';
import { asMarkdown, codeSpan, fence } from '../../web/share/markdown';
import { asRunnablePython } from '../../web/share/python';
import { initialState } from '../../web/state';
import { INJECTIONS } from '../golden-links/hostile-links';

describe('links and the embed snippet', () => {
  // Links work from any sub-path: the site's folder, not the origin root.
  it('builds links relative to the page folder', () => {
    expect(siteBase('https://h.example/a/b/index.html?x=1#s=1').href).toBe('https://h.example/a/b/');
    expect(playgroundLink('https://h.example/a/b/?embed=1&id=x#old', 's=article-2&v=1')).toBe('https://h.example/a/b/#s=article-2&v=1');
    expect(embedLink('http://127.0.0.1:4000/sub/', 's=article-1', 'ap-1')).toBe('http://127.0.0.1:4000/sub/?embed=1&id=ap-1#s=article-1');
  });

  // An iframe with a title, lazy loading, a sandbox, a fallback link, and embed.js.
  it('makes an embed snippet with every required attribute, escaped', () => {
    const title = INJECTIONS[1]!;
    const html = embedSnippet({ href: 'https://h.example/p/', hash: 's=article-1&v=1', title, id: 'ap-abc' });
    expect(html).toMatch(/^<iframe data-attention-playground src="https:\/\/h\.example\/p\/\?embed=1&amp;id=ap-abc#s=article-1&amp;v=1"/);
    expect(html).toContain('loading="lazy"');
    expect(html).toContain('sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"');
    expect(html).toContain(`title="Attention Playground: ${escapeHtml(title)}"`);
    expect(html).toContain('<a href="https://h.example/p/#s=article-1&amp;v=1">');
    expect(html).toContain('<script async src="https://h.example/p/embed.js"></script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror="');
  });
});

describe('Markdown and Python', () => {
  // A fence longer than any backtick run: code cannot close it early.
  it('fences code so it cannot break out', () => {
    expect(fence('a ``` b ```` c', 'python')).toBe('`````python\na ``` b ```` c\n`````');
  });

  it('puts shapes in code spans that nothing can close', () => {
    expect(codeSpan('a ` b | c')).toBe('``a ` b \\| c``');
    expect(codeSpan('`x`')).toBe('`` `x` ``');
  });

  it('exports code, shapes, the error and the link', () => {
    const md = asMarkdown({
      title: 'Scenario 2 <b>',
      code: 'x = 1\n',
      profile: 'keras3',
      profileLabel: 'Keras 3.15',
      result: { ok: false, error: { type: 'ValueError', message: '\u001b[1mbad\u001b[0m shapes', line: 17, column: 1 } } as never,
      annotations: [{ line: 1, texts: ['x: (1, 32, 2) float32'], error: null }],
      link: 'https://h.example/#s=article-2&v=1',
    });
    expect(md).toContain('### Scenario 2 \\<b\\> (Keras 3.15)');
    expect(md).toContain('```python\nx = 1\n```');
    expect(md).toContain('| 1 | `x: (1, 32, 2) float32` |');
    expect(md).toContain('**ValueError** on line 17');
    expect(md).toContain('ValueError: bad shapes'); // ANSI bold stripped
    expect(md).toContain('[Open in the Attention Playground](<https://h.example/#s=article-2&v=1>)');
  });

  it('exports runnable Python with the framework to run it under', () => {
    const py = asRunnablePython('import tensorflow as tf\r\nx = 1   \n\n', 'tf_keras', 'https://h/#s=a');
    expect(py).toBe('# From the Attention Playground: https://h/#s=a\n# Runs under TensorFlow 2.21 with tf-keras 2.21 as tf.keras (Keras 2):\n#   pip install "tensorflow==2.21.*" "tf-keras==2.21.*"\n#   export TF_USE_LEGACY_KERAS=1\n\nimport tensorflow as tf\nx = 1\n');
  });
});

describe('embed parameters', () => {
  it('is not an embed without embed=1', () => {
    expect(readEmbedOptions('?theme=dark')).toBeNull();
    expect(readEmbedOptions('')).toBeNull();
  });

  // Only allowlisted parameters and values; everything else is reported and ignored.
  it('reads the allowlisted parameters', () => {
    const o = readEmbedOptions('?embed=1&id=ap-1&theme=auto&view=heatmap&step=3&readonly=1&hide=title,open&ctl=1&evil=1');
    expect(o).toMatchObject({ id: 'ap-1', theme: 'system', view: 'heatmap', step: 3, readonly: true, clickToLoad: true, problems: [] });
    expect([...(o?.hide ?? [])]).toEqual(['title', 'open']);
    const bad = readEmbedOptions(`?embed=1&id=${encodeURIComponent('<x>')}&theme=neon&view=${encodeURIComponent(INJECTIONS[0]!)}&step=-1&hide=everything`);
    expect(bad).toMatchObject({ id: '', theme: null, view: 'all', step: null });
    expect(bad?.problems).toHaveLength(5);
  });

  it('lays out the views and overrides the linked state', () => {
    const heat = readEmbedOptions('?embed=1&view=heatmap&theme=dark&step=2')!;
    expect(embedLayout(heat).parts).toMatchObject({ views: true, code: false, narrative: false, error: false, open: true });
    expect(withEmbedOptions(initialState('article-1'), heat)).toMatchObject({ view: 'outputs', theme: 'dark', step: 2 });
    const all = readEmbedOptions('?embed=1&hide=steps,narrative')!;
    expect(embedLayout(all).parts).toMatchObject({ views: false, narrative: false, code: true, error: true });
  });
});

describe('embed messages', () => {
  it('posts exactly the documented resize messages', () => {
    expect(resizeMessage('ap-1', 480)).toEqual({ type: 'attention-playground:resize', v: 1, id: 'ap-1', height: 480 });
    expect(ampResizeMessage(480)).toEqual({ sentinel: 'amp', type: 'embed-size', height: 480 });
  });

  // Only the two documented parent messages, with exact keys and types.
  it('accepts only documented messages from the parent', () => {
    expect(parseParentMessage({ type: 'attention-playground:theme', v: 1, theme: 'dark' })).toEqual({ type: 'theme', theme: 'dark' });
    expect(parseParentMessage({ type: 'attention-playground:theme', v: 1, theme: 'auto' })).toEqual({ type: 'theme', theme: 'system' });
    expect(parseParentMessage({ type: 'attention-playground:step', v: 1, step: 2 })).toEqual({ type: 'step', step: 2 });
    expect(parseParentMessage({ type: 'attention-playground:step', v: 1, step: null })).toEqual({ type: 'step', step: null });
    const rejected: unknown[] = [
      null, undefined, 'attention-playground:theme', 42, [], new Date(),
      { type: 'attention-playground:theme', v: 2, theme: 'dark' },
      { type: 'attention-playground:theme', v: '1', theme: 'dark' },
      { type: 'attention-playground:theme', v: 1, theme: 'dark', html: '<img src=x onerror=alert(1)>' },
      { type: 'attention-playground:step', v: 1, step: -1 },
      { type: 'attention-playground:step', v: 1, step: 1.5 },
      { type: 'attention-playground:step', v: 1, step: '2' },
      { type: 'attention-playground:step', v: 1, step: Infinity },
      { type: 'attention-playground:resize', v: 1, id: 'x', height: 1 },
      { type: 'attention-playground:code', v: 1, code: 'import os' },
      JSON.parse('{"type":"attention-playground:theme","v":1,"theme":"dark","__proto__":{"x":1}}'),
      Object.assign(Object.create({ inherited: 1 }), { type: 'attention-playground:theme', v: 1, theme: 'dark' }),
      ...INJECTIONS.map((theme) => ({ type: 'attention-playground:theme', v: 1, theme })),
      ...INJECTIONS.map((p) => ({ type: p, v: 1 })),
    ];
    for (const data of rejected) expect(parseParentMessage(data), JSON.stringify(data) ?? String(data)).toBeNull();
  });

  it('takes messages only from the parent window and its origin', () => {
    const parent = {};
    expect(fromParent({ source: parent as never, origin: 'https://host.example' }, parent, 'https://host.example')).toBe(true);
    expect(fromParent({ source: parent as never, origin: 'https://evil.example' }, parent, 'https://host.example')).toBe(false);
    expect(fromParent({ source: {} as never, origin: 'https://host.example' }, parent, 'https://host.example')).toBe(false);
    expect(fromParent({ source: parent as never, origin: 'https://any.example' }, parent, null)).toBe(true);
    expect(fromParent({ source: null, origin: 'x' }, null, null)).toBe(false);
  });
});
