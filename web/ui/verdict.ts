// What the run says, in one sentence, and whether it agrees with the verdict
// pinned from real Keras in the manifest. No DOM (tests/js/ui-logic.test.ts).
import type { Profile, RunResult } from '../core/types';
import type { KerasVerdict } from './scenario-data';
import { allAttentionCalls, formatShape } from './steps';

export const PROFILE_LABEL: Record<Profile, string> = { keras3: 'Keras 3.15', tf_keras: 'tf.keras 2.21' };

export function profileLabel(profile: string | null | undefined): string {
  return profile === 'tf_keras' ? PROFILE_LABEL.tf_keras : PROFILE_LABEL.keras3;
}

/** "Runs: Attention returns output (1, 32, 2)." / "Raises ValueError on line 17." */
export function verdictText(result: RunResult): string {
  if (!result.ok) {
    const e = result.error;
    if (!e) return 'Stops with an error.';
    return `Raises ${e.type}${e.line > 0 ? ` on line ${e.line}` : ''}.`;
  }
  const calls = allAttentionCalls(result);
  const last = calls[calls.length - 1];
  if (last && (last.call.outputs ?? []).length) {
    const outs = (last.call.outputs ?? []).map((o) => `${o.label} ${formatShape(o.shape)}`).join(', ');
    return `Runs without error: ${last.call.callee} returns ${outs}.`;
  }
  return 'Runs without error.';
}

/** Does the run agree with the manifest's pinned Keras verdict? */
export function agreesWithPinned(result: RunResult, pinned: KerasVerdict): boolean {
  if (pinned.ok) return result.ok;
  const e = result.error;
  if (result.ok || !e) return false;
  if (pinned.error_type && e.type !== pinned.error_type) return false;
  if (pinned.error_line && e.line !== pinned.error_line) return false;
  if (pinned.message_contains && !(e.plain_message ?? e.message).includes(pinned.message_contains)) return false;
  return true;
}
