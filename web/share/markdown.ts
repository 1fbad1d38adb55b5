// "Copy as Markdown": the program, the shapes it computed per line, the error
// (as printed, without ANSI codes) and the link. Fences are longer than any
// backtick run in the text, so no program or message can break out of them.
import type { Profile, RunResult } from '../core/types';

export interface MarkdownInput {
  title: string;
  code: string;
  profile: Profile;
  profileLabel: string;
  result: RunResult | null;
  /** Per line: the shapes bound there (web/ui/steps.ts lineAnnotations). */
  annotations: readonly { line: number; texts: readonly string[]; error: string | null }[];
  link: string;
}

export function fence(text: string, info = ''): string {
  let longest = 2;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const f = '`'.repeat(longest + 1);
  return `${f}${info}\n${text.replace(/\s+$/, '')}\n${f}`;
}

/** Text safe inside Markdown prose or a table cell (no markup, no line breaks). */
export function inline(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_{}[\]()<>#+!|~-]/g, (c) => `\\${c}`);
}

/** A code span that no backtick in `text` can close; pipes escaped for tables. */
export function codeSpan(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  let longest = 0;
  for (const run of flat.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const tick = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${tick}${pad}${flat.replace(/\|/g, '\\|')}${pad}${tick}`;
}

const stripAnsi = (s: string): string => s.replace(/\u001b\[[0-9;]*m/g, '');

export function asMarkdown(m: MarkdownInput): string {
  const out: string[] = [`### ${inline(m.title)} (${inline(m.profileLabel)})`, '', fence(m.code, 'python'), ''];
  const rows = m.annotations.filter((a) => a.texts.length);
  if (rows.length) {
    out.push('| line | shapes |', '| ---: | --- |');
    for (const a of rows) out.push(`| ${a.line} | ${a.texts.map(codeSpan).join('<br>')} |`);
    out.push('');
  }
  const error = m.result?.error;
  if (error) {
    out.push(`**${inline(error.type)}**${error.line > 0 ? ` on line ${error.line}` : ''}:`, '', fence(`${error.type}: ${stripAnsi(error.message)}`, 'text'), '');
  } else if (m.result) {
    out.push('Runs without error.', '');
  }
  out.push(`[Open in the Attention Playground](<${m.link.replace(/[<>\s]/g, encodeURIComponent)}>)`, '');
  return out.join('\n');
}
