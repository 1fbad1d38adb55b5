// Reading a link (the URL hash) into a state, with what to tell the reader
// about it. Loaded on demand: a page opened without a hash never needs it
// before its first verdict (web/main.ts).
import { BUILD_ENGINE_VERSION } from './engine-version';
import { decodeHash, quote, type DecodedLink, type LinkContext, type LinkProblem } from './url-state';

export interface OpenedLink {
  link: DecodedLink;
  /** The decoder's problems, and a note when another engine made the link. */
  problems: LinkProblem[];
}

export async function openLink(hash: string, ctx: LinkContext): Promise<OpenedLink> {
  const link = await decodeHash(hash, ctx);
  const problems = [...link.problems];
  if (link.engineVersion !== null && link.engineVersion !== BUILD_ENGINE_VERSION) {
    problems.push({
      level: 'info',
      text: `This link was made with engine ${quote(link.engineVersion)}; this page runs engine ${quote(BUILD_ENGINE_VERSION)}. The code and settings are as the link's author left them, but shapes, errors and messages may differ from what they saw.`,
    });
  }
  return { link, problems };
}
