// attn-run end to end (the corpus through the binary is ctest oracle_recorded): the readable
// report, usage errors (exit 2), and hostile inputs (empty, binary garbage,
// 10,000-deep nesting, huge literals, unterminated strings), each of which
// must give exit 0, one JSON document and a clear error — never a crash or
// a hang.
//
//   node tests/cli/attn_run_test.mjs path/to/attn-run
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const binary = process.argv[2];
if (!binary) {
  console.error('usage: node attn_run_test.mjs ATTN_RUN');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let failures = 0;
let checks = 0;

function run(args, input) {
  const r = spawnSync(binary, args, { input, timeout: 20000, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

function check(name, condition, detail = '') {
  checks++;
  if (!condition) {
    failures++;
    console.error(`FAIL ${name}${detail ? `: ${detail}` : ''}`);
  }
}

function runJson(name, source, extra = []) {
  const r = run(['--json', ...extra, '-'], source);
  check(`${name}: exit 0`, r.status === 0, `status ${r.status} signal ${r.signal} stderr ${r.stderr.slice(0, 300)}`);
  let doc = null;
  try {
    doc = JSON.parse(r.stdout);
  } catch (e) {
    check(`${name}: one JSON document`, false, String(e));
  }
  return doc;
}

// 2. Hostile inputs: each is answered by an error that names the problem.
const hostile = [
  ['empty input', '', (d) => d.ok === true && d.steps.length === 0],
  ['binary garbage', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)), (d) => d.ok === false && d.error.type === 'SyntaxError'],
  ['NUL bytes', 'x = 1\n\0\0\0\n', (d) => d.ok === false && d.error.type === 'SyntaxError'],
  ['10,000-deep parentheses', 'x = ' + '('.repeat(10000) + '1' + ')'.repeat(10000) + '\n', (d) => d.ok === false && /nest|too many|parenthes/i.test(d.error.message)],
  ['10,000-deep brackets', 'x = ' + '['.repeat(10000) + ']'.repeat(10000) + '\n', (d) => d.ok === false && d.error.line === 1],
  ['10,000 unary minus', 'x = ' + '-'.repeat(10000) + '1\n', (d) => d.ok === false],
  ['10,000-deep blocks', Array.from({ length: 10000 }, (_, i) => ' '.repeat(i) + 'if True:').join('\n') + '\n' + ' '.repeat(10000) + 'pass\n', (d) => d.ok === false],
  ['huge integer literal', 'x = ' + '9'.repeat(200000) + '\n', (d) => d.ok === false && d.error.message.length < 2000],
  ['huge string literal', 'x = "' + 'a'.repeat(2000000) + '"\n', (d) => d.ok === false],
  ['unterminated string', 'import tensorflow as tf\nx = "abc\n', (d) => d.ok === false && d.error.type === 'SyntaxError' && d.error.line === 2],
  ['unterminated triple-quoted string', 'x = """abc\n\n', (d) => d.ok === false && d.error.type === 'SyntaxError'],
  ['unclosed bracket', 'x = [1, 2\n', (d) => d.ok === false && d.error.type === 'SyntaxError'],
  ['infinite loop', 'while True:\n    pass\n', (d) => d.ok === false && d.error.type === 'LimitError'],
  ['absurd shape', 'import tensorflow as tf\nx = tf.zeros((100000, 100000, 100000))\n', (d) => d.ok === false && d.error.type === 'ResourceExhaustedError'],
  ['overflowing shape', 'import tensorflow as tf\nx = tf.zeros((2**62, 2**62))\n', (d) => d.ok === false],
  ['list repetition bomb', 'x = [0] * 10**12\n', (d) => d.ok === false],
  ['unsupported construct', 'async def f():\n    pass\n', (d) => d.ok === false && d.error.type === 'NotSupportedError' && d.error.line === 1],
  ['invalid UTF-8', Buffer.from([0x78, 0x3d, 0x22, 0xff, 0xfe, 0x22, 0x0a]), (d) => typeof d.ok === 'boolean'],
];
for (const [name, source, expect] of hostile) {
  const doc = runJson(name, source);
  if (doc) check(`hostile: ${name}`, expect(doc), JSON.stringify(doc.error)?.slice(0, 400));
}

// 3. Usage errors exit 2 and say what is wrong.
const usage = [
  [['--profile', 'keras9', '-'], /unknown profile/],
  [['--bogus', '-'], /unknown option/],
  [[], /missing FILE/],
  [['/nonexistent/file.py'], /cannot read/],
];
for (const [args, pattern] of usage) {
  const r = run(args, '');
  check(`usage ${args.join(' ')}`, r.status === 2 && pattern.test(r.stderr), `status ${r.status} ${r.stderr}`);
}

// 4. The readable report and the tf_keras profile.
{
  const program = readFileSync(join(root, 'web/scenarios/article-2.py'), 'utf8');
  const report = run(['-'], program);
  check('report exit 0', report.status === 0);
  check('report names the bound shapes', /padded_query: \(1, 1200, 2\) float32/.test(report.stdout), report.stdout);
  check('report names the error line', /error at line 17/.test(report.stdout), report.stdout);
  const k2 = runJson('tf_keras profile', program, ['--profile', 'tf_keras']);
  check('tf_keras wording', k2?.profile === 'tf_keras' && /mask must be a list of length 2/.test(k2.error.message), k2?.error?.message);
}

console.log(`${checks - failures}/${checks} attn-run checks passed`);
process.exit(failures ? 1 : 0);
