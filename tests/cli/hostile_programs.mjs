// Hostile-input suite for attn-run: at least 200 malformed or hostile
// programs, generated deterministically (same list on every run), each run
// through the real binary. Every case must give exit 0, one JSON document,
// ok true or false, and for a failure a clear error: a known type, a
// non-empty message that is not an internal error, a line number; many
// cases also pin the type or the wording (the limit's name).
//
// Verdicts come from what the engine counts (its step, work, compute,
// memory and output limits name themselves in the LimitError), never from
// the wall clock: a slow machine must not fail a case, and a fast one must
// not hide a bomb the counters miss. The times are printed for information;
// tests/bench/limits.mjs measures how fast the limits stop each bomb. A
// real hang is caught by ctest's TIMEOUT on the whole suite.
//
//   node tests/cli/hostile_programs.mjs path/to/attn-run [--list]
//
// Categories: truncations and byte flips of the real programs (scenarios and
// corpus), deep nesting of every kind, huge literals, unterminated
// constructs, unicode/bidi/NUL/invalid UTF-8, absurd shapes, pathological
// tensor and Python programs (endless loops, compute and memory bombs,
// recursion, cycles), and injection-looking strings.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// mulberry32: a small deterministic PRNG.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function realPrograms() {
  const out = [];
  const dir = join(root, 'web/scenarios');
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith('.py')) out.push([`scenario ${f}`, readFileSync(join(dir, f), 'utf8')]);
  }
  for (const c of JSON.parse(readFileSync(join(root, 'tests/corpus/public.json'), 'utf8'))) {
    out.push([`corpus ${c.id}`, c.code]);
  }
  return out;
}

const TF = 'import tensorflow as tf\nfrom tensorflow.keras import layers\n';
// Nesting past the limits, or (for the largest) the program-size limit.
const NEST = /nest|deep|depth|recursion|too long/i;
const any = () => true;
const type = (...types) => (d) => d.ok === false && types.includes(d.error.type);
const says = (re, ...types) => (d) => d.ok === false && (types.length === 0 || types.includes(d.error.type)) && re.test(d.error.message);

// Each case: {name, source (string or Buffer), expect(doc) -> bool}.
export function hostilePrograms() {
  const cases = [];
  const add = (name, source, expect = any) => cases.push({ name, source, expect });
  const programs = realPrograms();

  // 1. Truncations: each real program cut at 3 deterministic points.
  {
    const r = rng(1);
    for (const [name, code] of programs) {
      for (let k = 0; k < 3; ++k) {
        const at = Math.floor(r() * code.length);
        add(`truncated ${name} at ${at}`, code.slice(0, at));
      }
    }
  }
  // 2. Byte flips: each real program with 1, 4 or 16 random bytes replaced.
  {
    const r = rng(2);
    for (const [name, code] of programs) {
      for (const flips of [1, 4, 16]) {
        const buf = Buffer.from(code, 'utf8');
        for (let k = 0; k < flips; ++k) buf[Math.floor(r() * buf.length)] = Math.floor(r() * 256);
        add(`${flips} bytes flipped in ${name}`, buf);
      }
    }
  }
  // 3. Deep nesting of every kind (past the 100-level limit and far past).
  for (const n of [101, 5000, 100000]) {
    add(`${n} parentheses`, `x = ${'('.repeat(n)}1${')'.repeat(n)}\n`, says(NEST, 'SyntaxError'));
    add(`${n} brackets`, `x = ${'['.repeat(n)}${']'.repeat(n)}\n`, says(NEST, 'SyntaxError'));
    add(`${n} braces`, `x = ${'{'.repeat(n)}${'}'.repeat(n)}\n`, type('SyntaxError'));
    add(`${n} unary minus`, `x = ${'-'.repeat(n)}1\n`, says(NEST, 'SyntaxError'));
    add(`${n} not`, `x = ${'not '.repeat(n)}True\n`, says(NEST, 'SyntaxError'));
    add(`${n} nested calls`, `x = ${'abs('.repeat(n)}1${')'.repeat(n)}\n`, says(NEST, 'SyntaxError'));
    add(`${n} nested subscripts`, `a = [0]\nx = ${'a['.repeat(n)}0${']'.repeat(n)}\n`, says(NEST, 'SyntaxError'));
    add(`${n} chained subscripts`, `a = [0]\nx = a${'[0]'.repeat(n)}\n`, (d) => d.ok === false);
    add(`${n} chained attributes`, `import tensorflow as tf\nx = tf${'.shape'.repeat(n)}\n`, (d) => d.ok === false);
    add(`${n} chained calls`, `x = abs${'(1)'.repeat(n)}\n`, (d) => d.ok === false);
    add(`${n}-term sum`, `x = 1${' + 1'.repeat(n)}\n`, (d) => d.ok === false ? NEST.test(d.error.message) : d.variables.x.value === n + 1);
    add(`${n}-term power`, `x = 1${' ** 1'.repeat(n)}\n`, (d) => d.ok === false ? NEST.test(d.error.message) : true);
    add(`${n}-way comparison chain`, `x = 1${' < 2'.repeat(n)}\n`, any);
    add(`${n} nested conditional expressions`, `x = ${'1 if True else '.repeat(n)}0\n`, (d) => d.ok === false ? NEST.test(d.error.message) : true);
    const b = Math.min(n, 1400 + (n % 7)); // indentation grows as depth squared (1 MB cap)
    add(`${b} nested blocks`, Array.from({ length: b }, (_, i) => ' '.repeat(i) + 'if True:').join('\n') + '\n' + ' '.repeat(b) + 'pass\n', says(NEST, 'SyntaxError'));
    // {{ is an escaped brace: odd counts leave one real field, so these run.
    add(`${n} nested f-string braces`, `x = f"${'{'.repeat(n)}1${'}'.repeat(n)}"\n`, any);
    add(`${n} nested f-string fields`, `x = f"${'{f"'.repeat(Math.min(n, 2000))}1${'"}'.repeat(Math.min(n, 2000))}"\n`, any);
    add(`${n} assignment targets`, `${'a = '.repeat(n)}1\n`, any);
    add(`${n} tuple items`, `x = (${'1,'.repeat(n)})\n`, any);
  }
  add('nested def 200 deep', Array.from({ length: 200 }, (_, i) => ' '.repeat(i) + `def f${i}():`).join('\n') + '\n' + ' '.repeat(200) + 'pass\n', says(NEST, 'SyntaxError'));
  add('nested for 150 deep', Array.from({ length: 150 }, (_, i) => ' '.repeat(i) + `for i${i} in [1]:`).join('\n') + '\n' + ' '.repeat(150) + 'pass\n', says(NEST, 'SyntaxError'));
  add('nested try 150 deep', Array.from({ length: 150 }, (_, i) => ' '.repeat(i) + 'try:').join('\n') + '\n', type('SyntaxError'));
  add('runtime-nested list 100000 deep', 'x = []\nfor i in range(100000):\n    x = [x]\nprint(x)\n', (d) => d.ok === false && /nest|depth|recursion/i.test(d.error.message));
  add('runtime-nested list compared', 'a = []\nb = []\nfor i in range(5000):\n    a = [a]\n    b = [b]\nx = a == b\n', (d) => d.ok === false ? /recursion|depth|nest/i.test(d.error.message) : true);
  add('runtime-nested dict 50000 deep', 'x = {}\nfor i in range(50000):\n    x = {"k": x}\ny = str(x)\n', (d) => d.ok === false);
  add('unbounded recursion', 'def f(n):\n    return f(n + 1)\nf(0)\n', says(/recursion/i, 'LimitError'));
  add('mutual recursion', 'def f(n):\n    return g(n)\ndef g(n):\n    return f(n)\nf(0)\n', says(/recursion/i, 'LimitError'));
  add('recursion caught and retried', 'def f(n):\n    return f(n + 1)\nfor i in range(1000):\n    try:\n        f(0)\n    except Exception:\n        pass\n', (d) => d.ok === false && d.error.type === 'LimitError');

  // 4. Huge literals.
  add('200,000-digit integer', `x = ${'9'.repeat(200000)}\n`, says(/too long|too large|literal/i));
  add('30-digit integer', 'x = 123456789012345678901234567890\n', says(/too large|64-bit/i, 'NotSupportedError'));
  add('2**64 integer literal', 'x = 18446744073709551616\n', says(/too large|64-bit/i, 'NotSupportedError'));
  add('huge hex literal', `x = 0x${'f'.repeat(100)}\n`, says(/too large|64-bit/i, 'NotSupportedError'));
  add('huge float literal', `x = ${'9'.repeat(400)}.0\n`, any);
  add('float 1e999', 'x = 1e999\ny = -1e999\nz = x - x\n', any);
  add('200,000-digit float', `x = 0.${'1'.repeat(200000)}\n`, says(/too long|literal/i));
  add('2,000,000-char string', `x = "${'a'.repeat(2000000)}"\n`, says(/too long|literal|limit/i));
  add('2,000,000-char program', `# ${'x'.repeat(2000000)}\n`, says(/too long|limit/i, 'LimitError'));
  add('many adjacent strings', `x = ${'"aaaaaaaaaa" '.repeat(20000)}\n`, says(/too long|literal/i));
  add('1,000,000-element list literal', `x = [${'0,'.repeat(1000000)}]\n`, any);
  add('100,000-key dict literal', `x = {${Array.from({ length: 100000 }, (_, i) => `${i}: ${i}`).join(', ')}}\n`, any);
  add('100,000 statements', 'x = 0\n'.repeat(100000), any);
  add('200,000 statements', 'x=1\n'.repeat(200000), says(/step/i, 'LimitError'));
  add('300,000 statements (over the size limit)', 'x = 1\n'.repeat(300000), says(/too long/i, 'LimitError'));
  add('10,000-char identifier', `${'a'.repeat(10000)} = 1\n`, any);
  add('huge shape literal', `${TF}x = tf.zeros((${'1,'.repeat(10000)}))\n`, (d) => d.ok === false);

  // 5. Unterminated constructs.
  for (const [name, src] of [
    ['string', 'x = "abc\n'],
    ['single-quoted string at EOF', "x = 'abc"],
    ['triple-quoted string', 'x = """abc\n\n'],
    ["triple single-quoted string", "x = '''abc"],
    ['f-string', 'x = f"{1\n'],
    ['f-string brace', 'x = f"{"\n'],
    ['f-string nested quote', 'x = f"{"a"}"\n'],
    ['bracket', 'x = [1, 2\n'],
    ['paren at EOF', 'x = (1,'],
    ['brace', 'x = {1: 2\n'],
    ['call', 'print(1\n'],
    ['def header', 'def f(\n'],
    ['def body', 'def f():\n'],
    ['if body', 'if True:\n'],
    ['while colon', 'while True\n    pass\n'],
    ['for', 'for i in\n'],
    ['try without except', 'try:\n    pass\n'],
    ['backslash at EOF', 'x = 1 + \\'],
    ['lone backslash', '\\\n'],
    ['string escape at EOF', 'x = "abc\\'],
    ['decorator', '@\n'],
    ['lambda', 'f = lambda x:\n'],
    ['dict comprehension', 'x = {k: v for k, v in}\n'],
    ['slice', 'x = [1][1:\n'],
    ['keyword argument', 'print(sep=)\n'],
    ['closing bracket only', ')\n'],
    ['mismatched brackets', 'x = (1, 2]\n'],
    ['unexpected indent', 'x = 1\n    y = 2\n'],
    ['bad dedent', 'if True:\n        x = 1\n    y = 2\n'],
    ['tabs and spaces', 'if True:\n\tx = 1\n        y = 2\n'],
  ]) {
    add(`unterminated/malformed ${name}`, src, type('SyntaxError', 'NotSupportedError'));
  }

  // 6. Unicode, bidi, NUL, invalid UTF-8, line endings.
  add('NUL in the middle', 'x = 1\0\ny = 2\n', type('SyntaxError'));
  add('NUL in a string', 'x = "a\0b"\n', any);
  add('only NULs', '\0'.repeat(1000), type('SyntaxError'));
  add('UTF-8 BOM', '\ufeffx = 1\n', any);
  add('BOM in the middle', 'x = 1\n\ufeffy = 2\n', type('SyntaxError'));
  add('bidi override in a comment', 'x = 1  # \u202e evil \u202c\n', any);
  add('bidi override in a string', 'x = "\u202eabc\u202c"\nprint(x)\n', any);
  add('bidi override in code', 'x = 1 \u202e+ 2\n', type('SyntaxError'));
  add('bidi isolate in an identifier', 'a\u2066b = 1\n', type('SyntaxError'));
  add('zero-width space in an identifier', 'a\u200bb = 1\n', type('SyntaxError'));
  add('unicode identifier', 'café = 1\nπ = 3.14\n', any);
  add('homoglyph keyword', 'іf True:\n    pass\n', type('SyntaxError'));
  add('emoji identifier', '😀 = 1\n', any);
  add('fullwidth digits', 'x = １２３\n', (d) => d.ok === false);
  add('non-breaking space', 'x\u00a0= 1\n', type('SyntaxError'));
  add('line separator U+2028', 'x = 1\u2028y = 2\n', (d) => d.ok === false);
  add('invalid UTF-8 in code', Buffer.from([0x78, 0x20, 0x3d, 0x20, 0xff, 0x0a]), type('SyntaxError'));
  add('invalid UTF-8 in a string', Buffer.from('x = "\xff\xfe"\nprint(x)\n', 'latin1'), any);
  add('invalid UTF-8 in a comment', Buffer.concat([Buffer.from('x = 1 # '), Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), Buffer.from('\n')]), any);
  add('overlong UTF-8', Buffer.concat([Buffer.from('x = "'), Buffer.from([0xc0, 0xaf, 0xe0, 0x80, 0xaf]), Buffer.from('"\n')]), any);
  add('UTF-16 surrogate in UTF-8', Buffer.concat([Buffer.from('x = "'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"\n')]), any);
  add('truncated UTF-8 at EOF', Buffer.concat([Buffer.from('x = "é'), Buffer.from([0xe2, 0x82])]), type('SyntaxError'));
  add('UTF-16LE program', Buffer.from('\ufeffx = 1\n', 'utf16le'), type('SyntaxError'));
  add('CR line endings', 'x = 1\ry = 2\rprint(x + y)\r', any);
  add('CRLF line endings', 'x = 1\r\nif x:\r\n    y = 2\r\n', any);
  add('form feeds', '\fx = 1\n\f\ny = 2\n', any);
  add('vertical tab', 'x = 1\v\n', type('SyntaxError'));
  add('escape \\N{...} name', 'x = "\\N{GREEK SMALL LETTER ALPHA}"\n', any);
  add('bad \\N escape', 'x = "\\N{NO SUCH CHARACTER}"\n', (d) => d.ok === false);
  add('\\U escape out of range', 'x = "\\U00110000"\n', (d) => d.ok === false);
  add('lone surrogate escape', 'x = "\\ud800"\nprint(x)\n', any);
  add('control characters printed', 'print("\\x00\\x07\\x1b[2J\\x1b]0;title\\x07")\n', (d) => d.ok === true);

  // 7. Absurd shapes and arguments.
  for (const [name, expr, expectType] of [
    ['negative dimension', 'tf.zeros((-1, 3))', null],
    ['huge shape', 'tf.zeros((100000, 100000, 100000))', 'ResourceExhaustedError'],
    ['overflowing shape', 'tf.zeros((2**62, 2**62))', null],
    ['2**63 dimension', 'tf.zeros((2**63,))', null],
    ['float dimension', 'tf.zeros((1.5, 2))', null],
    ['string dimension', 'tf.zeros(("a", 2))', null],
    ['None shape', 'tf.zeros(None)', null],
    ['rank 100', 'tf.zeros((1,) * 100)', null],
    ['rank 1000 of zeros', 'tf.zeros((0,) * 1000)', null],
    ['64 Mi + 1 elements', 'tf.zeros((64 * 1024 * 1024 + 1,))', 'ResourceExhaustedError'],
    ['huge range', 'tf.range(10**12)', null],
    ['range with zero delta', 'tf.range(0, 10, 0)', null],
    ['huge eye', 'tf.eye(10**6)', 'ResourceExhaustedError'],
    ['huge random normal', 'tf.random.normal((1 << 40,))', 'ResourceExhaustedError'],
    ['huge fill', 'tf.fill((10**5, 10**5), 1.0)', 'ResourceExhaustedError'],
    ['huge tile', 'tf.tile(tf.ones((10, 10)), (10**6, 10**6))', null],
    ['broadcast blow-up', 'tf.ones((100000, 1)) + tf.ones((1, 100000))', 'ResourceExhaustedError'],
    ['huge sequence_mask', 'tf.sequence_mask([10**12])', null],
    ['huge pad', 'tf.pad(tf.ones((2, 2)), [[10**9, 10**9], [0, 0]])', null],
    ['negative pad', 'tf.pad(tf.ones((2, 2)), [[-5, 0], [0, 0]])', null],
    ['reshape two unknowns', 'tf.reshape(tf.ones((4,)), (-1, -1))', null],
    ['reshape to huge', 'tf.reshape(tf.ones((4,)), (2**40, 2**40))', null],
    ['expand_dims axis 10**9', 'tf.expand_dims(tf.ones((2,)), 10**9)', null],
    ['transpose bad perm', 'tf.transpose(tf.ones((2, 3)), (5, 7))', null],
    ['reduce axis 2**40', 'tf.reduce_sum(tf.ones((2, 3)), axis=2**40)', null],
    ['gather huge index', 'tf.gather(tf.ones((3,)), [10**12])', null],
    ['split into 0', 'tf.split(tf.ones((4,)), 0)', null],
    ['split into 10**9', 'tf.split(tf.ones((4,)), 10**9)', null],
    ['concat 0 tensors', 'tf.concat([], 0)', null],
    ['stack 0 tensors', 'tf.stack([])', null],
    ['one_hot-like constant', 'tf.constant(1.0, shape=(10**6, 10**6))', null],
    ['constant of nested ragged list', 'tf.constant([[1, 2], [3]])', null],
    ['constant of deep list', 'tf.constant(' + '['.repeat(90) + '1' + ']'.repeat(90) + ')', null],
    ['constant of mixed types', 'tf.constant([1, "a", None])', null],
    ['cast to bogus dtype', 'tf.cast(tf.ones((2,)), "complex1024")', null],
    ['Dense 10**12 units', 'layers.Dense(10**12)(tf.ones((1, 4)))', null],
    ['Dense negative units', 'layers.Dense(-3)(tf.ones((1, 4)))', null],
    ['MHA 10**9 heads', 'layers.MultiHeadAttention(num_heads=10**9, key_dim=10**9)(tf.ones((1, 2, 4)), tf.ones((1, 2, 4)))', null],
    ['MHA zero heads', 'layers.MultiHeadAttention(num_heads=0, key_dim=2)(tf.ones((1, 2, 4)), tf.ones((1, 2, 4)))', null],
    ['MHA huge key_dim', 'layers.MultiHeadAttention(num_heads=2, key_dim=2**31)(tf.ones((1, 2, 4)), tf.ones((1, 2, 4)))', null],
    ['Attention on scalars', 'layers.Attention()([tf.constant(1.0), tf.constant(2.0)])', null],
    ['matmul int32 overflow', 'tf.matmul(tf.fill((2, 2), 2**30), tf.fill((2, 2), 2**30))', null],
    ['softmax of inf', 'tf.nn.softmax(tf.constant([1e39, -1e39, float("nan")]))', null],
    ['int division by zero', 'tf.constant(1) // tf.constant(0)', null],
    ['int min // -1', 'tf.constant(-2**31) // tf.constant(-1)', null],
    ['int min % -1', 'tf.constant(-2**31) % tf.constant(-1)', null],
    ['pow of huge ints', 'tf.pow(tf.constant(3), tf.constant(2**30))', null],
    ['cumsum of huge', 'tf.math.cumsum(tf.fill((5,), 2**31 - 1))', null],
    ['random with huge seed', 'tf.random.normal((2,), seed=2**70)', null],
    ['random uniform minval>maxval', 'tf.random.uniform((2,), minval=5, maxval=1)', null],
    ['random uniform int zero range', 'tf.random.uniform((2,), minval=1, maxval=1, dtype=tf.int32)', null],
    ['band_part huge', 'tf.linalg.band_part(tf.ones((3, 3)), -2**40, 2**40)', null],
    ['sequence_mask negative maxlen', 'tf.sequence_mask([3], maxlen=-1)', null],
    ['slice with huge step', 'tf.ones((10,))[::2**62]', null],
    ['slice with zero step', 'tf.ones((10,))[::0]', null],
    ['index with huge int', 'tf.ones((10,))[2**62]', null],
    ['index with 200 ellipses', 'tf.ones((2,))[' + '...,'.repeat(200) + ']', null],
    ['index with 1000 newaxis', 'tf.ones((2,))[' + 'None,'.repeat(1000) + ']', null],
  ]) {
    add(`absurd: ${name}`, `${TF}x = ${expr}\n`, (d) => {
      if (expectType) return d.ok === false && d.error.type === expectType;
      return true;
    });
  }

  // 8. Pathological programs: endless loops, compute and memory bombs.
  add('while True: pass', 'while True:\n    pass\n', says(/step limit/i, 'LimitError'));
  add('endless loop with try/except', 'while True:\n    try:\n        x = 1 / 0\n    except ZeroDivisionError:\n        pass\n', says(/step/i, 'LimitError'));
  add('endless loop swallowing everything', 'while True:\n    try:\n        pass\n    except:\n        pass\n', type('LimitError'));
  add('for over huge range', 'for i in range(10**18):\n    pass\n', says(/step/i, 'LimitError'));
  add('matmul loop', `${TF}x = tf.ones((1024, 1024))\nfor i in range(100000):\n    y = tf.matmul(x, x)\n`, says(/compute limit/i, 'LimitError'));
  add('single huge matmul', `${TF}x = tf.ones((2048, 16384))\ny = tf.matmul(x, x, transpose_b=True)\n`, says(/compute limit/i, 'LimitError'));
  add('square 8192 matmul (memory first)', `${TF}x = tf.ones((8192, 8192))\ny = tf.matmul(x, x)\n`, type('ResourceExhaustedError', 'LimitError'));
  add('batched matmul broadcast', `${TF}a = tf.ones((4096, 64, 64))\nb = tf.ones((64, 4096))\ny = tf.matmul(a, b)\n`, (d) => d.ok === false);
  add('reduce loop over a big tensor', `${TF}x = tf.ones((4096, 4096))\nfor i in range(100000):\n    s = tf.reduce_sum(x)\n`, says(/compute limit/i, 'LimitError'));
  // The trace keeps each bound tensor alive, so memory runs out first here;
  // without bindings (inside an expression) the compute budget stops it.
  add('allocation loop', `${TF}for i in range(100000):\n    x = tf.ones((4096, 4096))\n`, type('ResourceExhaustedError', 'LimitError'));
  // The trace's op calls keep their outputs too (for fetching by id), for
  // the first 5,000 steps: after a loop has used those up, the compute
  // budget is what stops a loop of allocations.
  add('allocation loop without bindings', `${TF}for i in range(100000):\n    tf.ones((4096, 4096))\n`, type('ResourceExhaustedError', 'LimitError'));
  add('allocation loop past the trace', `${TF}for i in range(5000):\n    pass\nfor i in range(100000):\n    tf.ones((4096, 4096))\n`, says(/compute limit/i, 'LimitError'));
  add('elementwise loop past the trace', `${TF}x = tf.ones((2048, 2048))\nfor i in range(5000):\n    pass\nfor i in range(100000):\n    tf.reduce_sum(x * 2 + 1)\n`, says(/compute limit/i, 'LimitError'));
  add('live tensors pile up', `${TF}xs = []\nfor i in range(1000):\n    xs.append(tf.ones((4096, 4096)))\n`, type('ResourceExhaustedError'));
  add('big MHA', `${TF}q = tf.ones((64, 1024, 512))\nmha = layers.MultiHeadAttention(num_heads=16, key_dim=512)\ny = mha(q, q)\n`, (d) => d.ok === false);
  add('tensor bound in 5000 steps', `${TF}x = tf.ones((4096, 4096))\nfor i in range(5000):\n    y = x\n`, any);
  add('list repetition bomb', 'x = [0] * 10**12\n', says(/size limit/i, 'LimitError'));
  add('string repetition bomb', 'x = "a" * 10**12\n', says(/size limit/i, 'LimitError'));
  add('string doubling', 'x = "a"\nwhile True:\n    x = x + x\n', type('LimitError'));
  add('list doubling', 'x = [0]\nwhile True:\n    x = x + x\n', type('LimitError'));
  add('list extend self', 'x = [0]\nwhile True:\n    x.extend(x)\n', type('LimitError'));
  add('join bomb', 'x = ",".join(["abc"] * 100000) * 1000\n', type('LimitError'));
  add('print bomb', 'while True:\n    print("x" * 100000)\n', says(/output limit/i, 'LimitError'));
  add('sort big list repeatedly', 'x = list(range(100000))\nfor i in range(10000):\n    x.sort()\n', type('LimitError'));
  add('membership scans', 'x = list(range(100000))\nfor i in range(100000):\n    y = -1 in x\n', type('LimitError'));
  add('str.replace growth', 'x = "a" * 1000\nwhile True:\n    x = x.replace("a", "aa")\n', type('LimitError'));
  add('format width bomb', 'x = "{:>99999999999}".format(1)\n', (d) => d.ok === false);
  add('percent width bomb', 'x = "%2000000000d" % 1\n', (d) => d.ok === false);
  add('percent precision bomb', 'x = "%.2000000000f" % 1.0\n', (d) => d.ok === false);
  add('f-string width bomb', 'x = f"{1:>999999999}"\n', (d) => d.ok === false);
  add('center bomb', 'x = "a".center(10**12)\n', type('LimitError'));
  add('zfill bomb', 'x = "1".zfill(10**12)\n', type('LimitError'));
  add('ljust bomb', 'x = "a".ljust(10**12)\n', type('LimitError'));
  add('self-containing list printed', 'a = [1]\na.append(a)\nprint(a)\nx = str(a)\n', (d) => d.ok === true && d.stdout.includes('[...]'));
  add('self-containing list compared', 'a = [1]\na.append(a)\nb = [1]\nb.append(b)\nx = a == b\n', (d) => d.ok === false ? /recursion|depth/i.test(d.error.message) : true);
  add('self-containing dict', 'd = {}\nd["d"] = d\nprint(d)\n', (d) => d.ok === true);
  add('huge int arithmetic', 'x = 2**62 * 2**62\n', any);
  add('int overflow by pow', 'x = 10**100\n', any);
  add('float to int of inf', 'x = int(float("inf"))\n', (d) => d.ok === false);
  add('int of huge string', `x = int("${'9'.repeat(5000)}")\n`, (d) => d.ok === false);
  add('divide by zero', 'x = 1 / 0\n', type('ZeroDivisionError'));
  add('int min // -1 in Python', 'x = (-2**63) // -1\n', any);
  add('int min % -1 in Python', 'x = (-2**63) % -1\n', any);
  add('abs of int min', 'x = abs(-2**63)\n', any);
  add('negative shift', 'x = 1 << -1\n', (d) => d.ok === false);
  add('huge shift', 'x = 1 << 10**9\n', any);
  add('range with huge step', 'x = list(range(0, 2**62, 2**61))\n', any);
  add('slice with int min', 'x = [1, 2, 3][-2**63:2**63 - 1:-2**63]\n', any);
  add('str index int min', 'x = "abc"[-2**63]\n', (d) => d.ok === false);
  add('list insert at huge', 'x = [1]\nx.insert(2**62, 5)\n', any);
  add('repeat by negative', 'x = [1] * -5\ny = "a" * -2**62\n', (d) => d.ok === true && d.variables.y.value === '');
  add('-2**63 overflows first', 'y = "a" * -2**63\n', says(/64 bits/, 'NotSupportedError', 'LimitError', 'OverflowError'));
  add('round with huge ndigits', 'x = round(1.5, 10**9)\ny = round(1.5, -10**9)\n', any);
  add('float formatting huge precision', 'x = format(1.0, ".100000f")\n', any);
  add('exception with huge message', 'raise ValueError("x" * 10**6)\n', (d) => d.ok === false && d.error.type === 'ValueError');
  add('raise non-exception', 'raise 5\n', (d) => d.ok === false);
  add('del builtins', 'del print\n', (d) => d.ok === false);
  add('shadow tf', 'tf = 5\nimport tensorflow as tf\nx = tf.ones((2,))\n', any);
  add('import unknown module', 'import os\nos.system("rm -rf /")\n', type('NotSupportedError', 'ModuleNotFoundError', 'ImportError'));
  add('open a file', 'open("/etc/passwd").read()\n', (d) => d.ok === false);
  add('eval and exec', 'eval("1+1")\nexec("x=1")\n', (d) => d.ok === false);
  add('__import__', '__import__("os").system("id")\n', (d) => d.ok === false);
  add('dunder attribute walk', 'x = ().__class__.__bases__[0].__subclasses__()\n', (d) => d.ok === false);
  add('recursive __repr__', 'class A:\n    def __repr__(self):\n        return repr(self)\nx = repr(A())\n', (d) => d.ok === false);
  add('self-referential instances', 'class N:\n    pass\nxs = []\nfor i in range(10000):\n    n = N()\n    n.me = n\n    xs.append(n)\n', any);
  add('generator', 'def g():\n    yield 1\nx = list(g())\n', (d) => d.ok === false);
  add('async', 'async def f():\n    await g()\n', (d) => d.ok === false);
  add('walrus', 'if (n := 10) > 5:\n    pass\n', any);
  add('global and nonlocal misuse', 'def f():\n    nonlocal x\n', (d) => d.ok === false);
  add('break outside loop', 'break\n', type('SyntaxError'));
  add('return outside function', 'return 1\n', type('SyntaxError'));
  add('closures in a loop', 'fs = []\nfor i in range(10000):\n    def f(i=i):\n        return i\n    fs.append(f)\nx = sum(f() for f in fs)\n', any);
  add('GradientTape', `${TF}with tf.GradientTape() as t:\n    x = tf.ones((2,))\n`, (d) => d.ok === false);

  // 9. Injection-looking strings: they must come back as data, never break
  // the document.
  for (const [name, payload] of [
    ['script tag', '<script>alert(1)</script>'],
    ['img onerror', '<img src=x onerror=alert(document.domain)>'],
    ['javascript URL', 'javascript:alert(1)'],
    ['template literal', '${alert(1)}'],
    ['handlebars', '{{constructor.constructor("alert(1)")()}}'],
    ['JSON breaker', '"}],"ok":true,"x":{"'],
    ['line separators', '\u2028\u2029'],
    ['ANSI clear screen', '\x1b[2J\x1b[H'],
    ['SQL', "'; DROP TABLE users; --"],
    ['__proto__', '__proto__'],
  ]) {
    const lit = JSON.stringify(payload);
    add(`injection in a string: ${name}`, `x = ${lit}\nprint(x)\n`, (d) => d.ok === true && d.variables.x.value === payload && d.stdout === payload + '\n');
    add(`injection in an error: ${name}`, `raise ValueError(${lit})\n`, (d) => d.ok === false && d.error.type === 'ValueError' && d.error.message === payload);
    add(`injection in a comment: ${name}`, `# ${payload.replace(/[\r\n\u2028\u2029]/g, ' ')}\nx = 1\n`, (d) => d.ok === true);
    add(`injection in a layer name: ${name}`, `${TF}l = layers.Dense(2, name=${lit})\ny = l(tf.ones((1, 3)))\n`, (d) => typeof d.ok === 'boolean');
  }
  add('injection as an identifier', '__proto__ = 1\nconstructor = 2\nprototype = 3\nx = __proto__ + constructor\n', (d) => d.ok === true && d.variables.__proto__?.value === 1);
  add('injection as a dict key', 'x = {"__proto__": 1, "constructor": 2}\n', (d) => d.ok === true);
  add('HTML in a syntax error', 'x = <script>alert(1)</script>\n', type('SyntaxError'));
  add('HTML in a NameError', 'x = alert\n', (d) => d.ok === false && d.error.type === 'NameError' && /alert/.test(d.error.message));
  add('ANSI in a shape error', `${TF}x = tf.ones((2,)) + tf.ones((3,)) # \x1b[31m\n`, type('InvalidArgumentError'));

  return cases;
}

// The error contract every failure must meet.
const KNOWN_TYPES = /^[A-Z][A-Za-z]*(Error|Exception|Warning|Exit|Interrupt)$/;
function clearError(doc) {
  if (doc.ok) return doc.error === null ? '' : 'ok with an error';
  const e = doc.error;
  if (!e || typeof e !== 'object') return 'no error object';
  if (typeof e.type !== 'string' || !KNOWN_TYPES.test(e.type)) return `unclear type ${e.type}`;
  // Only the program's own `raise ValueError()` may have an empty message.
  if (typeof e.message !== 'string' || (e.message.length === 0 && !e.raised_by_program)) return 'empty message';
  if (/^internal error/i.test(e.message)) return 'internal error';
  if (e.message.length > 2_000_000) return 'message too long';
  if (!Number.isInteger(e.line) || e.line < 0) return 'no line';
  return '';
}

function main() {
  const binary = process.argv[2];
  if (!binary) {
    console.error('usage: node hostile_programs.mjs ATTN_RUN [--list]');
    process.exit(2);
  }
  const cases = hostilePrograms();
  if (process.argv.includes('--list')) {
    for (const c of cases) console.log(c.name);
    return;
  }
  let failures = 0;
  let slowest = { ms: 0, name: '' };
  const tally = { ok: 0, failed: 0 };
  const types = new Map();
  for (const c of cases) {
    const start = process.hrtime.bigint();
    const r = spawnSync(binary, ['--json', '-'], { input: c.source, maxBuffer: 256 << 20 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (ms > slowest.ms) slowest = { ms, name: c.name };
    const fail = (why) => {
      failures++;
      console.error(`FAIL ${c.name}: ${why}`);
    };
    if (r.error) { fail(String(r.error)); continue; }
    if (r.signal || r.status !== 0) { fail(`exit ${r.status} signal ${r.signal}: ${r.stderr.toString().slice(0, 300)}`); continue; }
    let doc;
    try {
      doc = JSON.parse(r.stdout.toString('utf8'));
    } catch (e) {
      fail(`not one JSON document: ${e}`);
      continue;
    }
    if (typeof doc.ok !== 'boolean') { fail('no boolean ok'); continue; }
    const unclear = clearError(doc);
    if (unclear) { fail(`${unclear}: ${JSON.stringify(doc.error)?.slice(0, 300)}`); continue; }
    if (!c.expect(doc)) { fail(`unexpected answer: ok=${doc.ok} ${JSON.stringify(doc.error)?.slice(0, 300)}`); continue; }
    if (doc.ok) tally.ok++;
    else {
      tally.failed++;
      types.set(doc.error.type, (types.get(doc.error.type) ?? 0) + 1);
    }
  }
  const byType = [...types].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${n}`).join(', ');
  console.log(`hostile programs: ${cases.length - failures}/${cases.length} answered cleanly (${tally.ok} ran, ${tally.failed} rejected: ${byType}); slowest ${slowest.ms.toFixed(0)} ms (${slowest.name}), for information`);
  process.exit(failures ? 1 : 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
