// The framework profile switch (Keras 3.15 / tf-keras 2.21, both on TensorFlow 2.21). Owns #profile.
import type { Profile } from '../core/types';
import { h } from './dom';
import { PROFILE_LABEL } from './verdict';

export interface ProfileSwitch {
  render(profile: Profile): void;
}

export function setupProfile(el: HTMLElement, onChange: (profile: Profile) => void): ProfileSwitch {
  const inputs = new Map<Profile, HTMLInputElement>();
  const fieldset = h('fieldset', { class: 'segmented' }, h('legend', null, 'Framework'));
  for (const profile of ['keras3', 'tf_keras'] as const) {
    const input = h('input', { type: 'radio', name: 'profile', value: profile, id: `profile-${profile}` });
    input.addEventListener('change', () => {
      if (input.checked) onChange(profile);
    });
    inputs.set(profile, input);
    fieldset.append(h('span', { class: 'segment' }, input, h('label', { for: `profile-${profile}` }, PROFILE_LABEL[profile])));
  }
  el.replaceChildren(fieldset);
  return {
    render(profile) {
      const input = inputs.get(profile);
      if (input && !input.checked) input.checked = true;
    },
  };
}
