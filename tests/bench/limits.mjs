// How fast the engine's counted limits stop the compute and memory bombs of
// the hostile suite (tests/cli/hostile_programs.mjs), natively. The target:
// every bomb answered within 1 s on the reference machine (2 cores), so the
// page's 10 s wall-time net never has to act. Prints the median time of each
// bomb, its ratio to the target and the limit that stopped it. A benchmark,
// not a test: it prints figures and never fails on time.
//
//   node tests/bench/limits.mjs path/to/attn-run [repeats=3]
import { spawnSync } from 'node:child_process';

const TARGET_MS = 1000;
const TF = 'import tensorflow as tf\n';
const BOMBS = [
  ['allocation loop', `${TF}for i in range(100000):\n    x = tf.ones((4096, 4096))\n`],
  ['allocation loop past the trace', `${TF}for i in range(5000):\n    pass\nfor i in range(100000):\n    tf.ones((4096, 4096))\n`],
  ['random normal loop', `${TF}for i in range(60):\n    x = tf.random.normal((4096, 4096))\n`],
  ['reduce loop', `${TF}x = tf.ones((4096, 4096))\nfor i in range(100000):\n    s = tf.reduce_sum(x)\n`],
  ['elementwise loop', `${TF}x = tf.ones((2048, 2048))\nfor i in range(5000):\n    pass\nfor i in range(100000):\n    tf.reduce_sum(x * 2 + 1)\n`],
  ['matmul loop', `${TF}x = tf.ones((1024, 1024))\nfor i in range(100000):\n    y = tf.matmul(x, x)\n`],
  ['softmax loop', `${TF}x = tf.ones((2048, 2048))\nfor i in range(100000):\n    y = tf.nn.softmax(x)\n`],
  ['while True: pass', 'while True:\n    pass\n'],
  ['list concatenation', 's = [0] * 1000000\nfor i in range(100):\n    t = s + s\n'],
  ['sort big list repeatedly', 'x = list(range(100000))\nfor i in range(10000):\n    x.sort()\n'],
];

const binary = process.argv[2];
if (!binary) {
  console.error('usage: node tests/bench/limits.mjs ATTN_RUN [repeats]');
  process.exit(2);
}
const repeats = Number(process.argv[3] ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`limits bench: ${binary}, median of ${repeats}, target ${TARGET_MS} ms per bomb`);
let worst = 0;
for (const [name, source] of BOMBS) {
  const times = [];
  let stoppedBy = '';
  for (let i = 0; i < repeats; ++i) {
    const start = process.hrtime.bigint();
    const r = spawnSync(binary, ['--json', '-'], { input: source, maxBuffer: 256 << 20 });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    const doc = JSON.parse(r.stdout.toString('utf8'));
    stoppedBy = doc.ok ? 'ran to the end' : `${doc.error.type}: ${doc.error.message.split(':')[0]}`;
  }
  const ms = median(times);
  worst = Math.max(worst, ms / TARGET_MS);
  console.log(`  ${name.padEnd(32)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / TARGET_MS).toFixed(2)}x target  (${stoppedBy})`);
}
console.log(`worst: ${worst.toFixed(2)}x the ${TARGET_MS} ms target`);
