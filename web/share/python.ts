// "Copy as runnable Python": the program with a header saying which real
// framework to run it under (the playground imitates it; Python runs it).
import type { Profile } from '../core/types';

const SETUP: Record<Profile, string[]> = {
  keras3: ['# Runs under TensorFlow with Keras 3 (the playground imitates Keras 3.16):', '#   pip install tensorflow "keras>=3.16"'],
  tf_keras: ['# Runs under TensorFlow 2.15, whose tf.keras is Keras 2.15:', '#   pip install "tensorflow==2.15.*"'],
};

export function asRunnablePython(code: string, profile: Profile, link: string): string {
  const body = code.replace(/\r\n?/g, '\n').replace(/\s+$/, '');
  return [`# From the Attention Playground: ${link}`, ...SETUP[profile], '', body, ''].join('\n');
}
