// Links, embed snippets and their URLs, built from a state hash. Pure: the
// page passes its own location, tests pass any URL.

/** The playground's folder (where index.html, embed.js live) for a page at `href`. */
export function siteBase(href: string): URL {
  const url = new URL(href);
  url.search = '';
  url.hash = '';
  return new URL('.', url);
}

/** The link to the full playground with `hash` (no '#'). */
export function playgroundLink(href: string, hash: string): string {
  const url = siteBase(href);
  url.hash = hash;
  return url.href;
}

/** The embed's URL: the page with ?embed=1, the iframe's id and its options. */
export function embedLink(href: string, hash: string, id: string, options: Record<string, string> = {}): string {
  const url = siteBase(href);
  const params = new URLSearchParams({ embed: '1', id, ...options });
  url.search = params.toString();
  url.hash = hash;
  return url.href;
}

/** Escapes text for an HTML attribute or text inside the snippet. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export interface EmbedSnippetInput {
  href: string;
  hash: string;
  /** Shown as the iframe's title and the fallback link's text. */
  title: string;
  /** Unique per host page: embed.js matches resize messages by it. */
  id: string;
  height?: number;
}

/** An <iframe> with a title, lazy loading, a sandbox and a fallback link, and
 *  the script that sizes it (public/embed.js, served beside index.html). */
export function embedSnippet({ href, hash, title, id, height = 520 }: EmbedSnippetInput): string {
  const src = embedLink(href, hash, id);
  const open = playgroundLink(href, hash);
  const script = new URL('embed.js', siteBase(href)).href;
  const t = escapeHtml(`Attention Playground: ${title}`);
  return [
    `<iframe data-attention-playground src="${escapeHtml(src)}" title="${t}" width="100%" height="${height}" loading="lazy"`,
    `  sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox"`,
    `  referrerpolicy="strict-origin-when-cross-origin" style="border:0;width:100%;max-width:100%">`,
    `  <a href="${escapeHtml(open)}">${t} (open in a new page)</a>`,
    `</iframe>`,
    `<script async src="${escapeHtml(script)}"></script>`,
  ].join('\n');
}

/** A short random id for an embed (not secret: it only pairs messages with iframes). */
export function newEmbedId(random: () => number = Math.random): string {
  let id = 'ap-';
  for (let i = 0; i < 8; i++) id += 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(random() * 36)] ?? 'x';
  return id;
}
