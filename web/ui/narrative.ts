// The scenario's story: what the article says, what real Keras does (the live
// verdict, announced politely), why, and the roles Keras gave the tensors.
// Owns #narrative.
import type { Profile, RunResult } from '../core/types';
import { h } from './dom';
import { renderRoles } from './roles';
import { ARTICLE_AGREES, type Scenario } from './scenario-data';
import { allAttentionCalls } from './steps';
import { agreesWithPinned, PROFILE_LABEL, profileLabel, verdictText } from './verdict';

export interface NarrativeView {
  scenario: Scenario;
  edited: boolean;
  profile: Profile;
  /** The last finished run, or null while the first one runs. */
  result: RunResult | null;
  running: boolean;
}

export interface Narrative {
  render(view: NarrativeView): void;
  /** Where the page mounts the one-click fixes when the run has no error. */
  fixesSlot: HTMLElement;
}

export function setupNarrative(el: HTMLElement, onReset: () => void): Narrative {
  const title = h('h2', { id: 'scenario-title' });
  const reset = h('button', { type: 'button', class: 'reset' }, "Reset to the scenario's code");
  reset.addEventListener('click', onReset);
  const edited = h('p', { class: 'edited-notice', hidden: true }, 'You edited the code: the verdict is for your code; the article and the explanation are about the original. ', reset);
  const claimText = h('p', { class: 'claim-text' });
  const claim = h('div', { class: 'claim claim-article' }, h('h3', null, 'The article says'), claimText);
  const kerasHeading = h('h3');
  const verdict = h('p', { id: 'verdict', 'aria-live': 'polite', 'data-state': 'running' }, 'Running…');
  const pinned = h('p', { class: 'pinned-mismatch', hidden: true });
  const keras = h('div', { class: 'claim claim-keras' }, kerasHeading, verdict, pinned);
  const comparison = h('p', { class: 'comparison', id: 'comparison' });
  const why = h('div', { class: 'why' });
  const roles = h('div', { class: 'roles-summary', id: 'roles-summary' });
  const fixesSlot = h('div', { class: 'fixes-slot' });
  el.replaceChildren(title, edited, h('div', { class: 'contrast' }, claim, keras), comparison, why, roles, fixesSlot);

  // What the why and roles blocks were last built for: typing and the
  // 'running' state re-render the narrative, but only a new scenario or edit
  // state rebuilds the explanation, and only a new result the roles tables.
  let whyFor: string | undefined;
  let rolesFor: RunResult | null | undefined;
  let firstRolesShown = false;

  return {
    fixesSlot,
    render(view) {
      const { scenario, result } = view;
      title.textContent = scenario.title;
      edited.hidden = !view.edited;
      claim.hidden = scenario.articleClaim === null;
      claimText.textContent = scenario.articleClaim ?? '';
      kerasHeading.textContent = `Real ${profileLabel(view.profile)} does${view.edited ? ' (with your code)' : ''}`;
      el.dataset['kind'] = scenario.kind;

      if (!result) {
        verdict.textContent = 'Running…';
        verdict.dataset['state'] = 'running';
        delete verdict.dataset['ok'];
      } else {
        verdict.textContent = verdictText(result);
        verdict.dataset['state'] = view.running ? 'stale' : 'done';
        verdict.dataset['ok'] = String(result.ok);
        verdict.dataset['errorType'] = result.error?.type ?? '';
      }
      // The manifest pins real Keras 3's verdict; say so if the engine disagrees.
      const disagrees = result !== null && !view.edited && view.profile === 'keras3' && !agreesWithPinned(result, scenario.kerasVerdict);
      pinned.hidden = !disagrees;
      pinned.textContent = disagrees ? `Note: real ${PROFILE_LABEL.keras3} ${scenario.kerasVerdict.ok ? 'runs this program' : `raises ${scenario.kerasVerdict.error_type ?? 'an error'}`}; the playground's engine disagrees here.` : '';

      const agrees = ARTICLE_AGREES[scenario.id];
      comparison.hidden = view.edited || agrees === undefined;
      comparison.dataset['agrees'] = String(agrees);
      comparison.textContent = agrees === undefined ? '' : agrees ? '✓ Agrees with the article: its expectation is right here.' : '✗ Differs from the article: real Keras does not do what the article says.';

      const whyKey = `${view.edited}\n${scenario.explanation}`;
      if (whyKey !== whyFor) {
        whyFor = whyKey;
        why.replaceChildren(h('h3', null, view.edited ? 'About the original scenario' : 'Why'), h('p', null, scenario.explanation));
      }

      if (result === rolesFor) return;
      rolesFor = result;
      const build = (): void => {
        if (rolesFor !== result) return; // a newer result came first
        roles.replaceChildren();
        const calls = result ? allAttentionCalls(result) : [];
        if (calls.length) {
          roles.append(h('h3', null, 'The roles Keras gave your tensors'));
          for (const { call, step } of calls) {
            const box = h('div', { class: 'roles-box' });
            renderRoles(box, call, `Line ${step.line}`);
            roles.append(box);
          }
        }
      };
      // The first result's verdict is laid out and shown first; its roles
      // tables (below it, above nothing but the empty fixes slot) a task later.
      if (result && !firstRolesShown) {
        firstRolesShown = true;
        setTimeout(build, 0);
      } else {
        build();
      }
    },
  };
}
