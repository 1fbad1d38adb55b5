// "Copy as runnable Python": the program with a header saying which real
// framework to run it under (the playground imitates it; Python runs it).
import type { Profile } from '../core/types';

const SETUP: Record<Profile, string[]> = {
  keras3: ['# Runs under TensorFlow 2.21 with Keras 3.15 (what the playground imitates):', '#   pip install "tensorflow==2.21.*" "keras==3.15.*"'],
  tf_keras: ['# Runs under TensorFlow 2.21 with tf-keras 2.21 as tf.keras (Keras 2):', '#   pip install "tensorflow==2.21.*" "tf-keras==2.21.*"', '#   export TF_USE_LEGACY_KERAS=1'],
};

export function asRunnablePython(code: string, profile: Profile, link: string): string {
  const body = code.replace(/\r\n?/g, '\n').replace(/\s+$/, '');
  return [`# From the Attention Playground: ${link}`, ...SETUP[profile], '', body, ''].join('\n');
}
