"""Seeded generator of small playground programs for the differential fuzzer
(difffuzz.py).

A program is `import tensorflow as tf` / `from tensorflow.keras import layers`
(sometimes also `from tensorflow import keras`) followed by 3-12 statements
drawn from what the engine models: tensor creation, Attention /
AdditiveAttention / MultiHeadAttention with masks and options, Dense (reused
on other last dims), tf ops, merge layers, the MSE loss, slicing, prints and
try/except around a risky statement. Shapes come from the 32/1200/2/128
family and are matched to their operands only part of the time, so many
programs fail, the way users' programs do; every name used is bound earlier.

The generator tracks an approximate shape per tensor (None when it cannot
tell, e.g. after a statement expected to fail) only to steer operand choice:
a wrong guess makes a less interesting program, never an invalid one.
"""

from __future__ import annotations

import ast
import itertools
import math
import random
from dataclasses import dataclass, field

FEATURES = (2, 128, 2, 1, 4, 8, 16)  # d: 2 and 128 as in the article
LENGTHS = (32, 1200, 32, 1, 4, 8, 16)  # Tq / Tv
BATCHES = (1, 1, 2, 3, 4)
MAX_ELEMENTS = 2_000_000  # per tensor: keeps both sides well under a second
HEADER = "import tensorflow as tf\nfrom tensorflow.keras import layers\n"


@dataclass
class Stmt:
    lines: list  # source lines, unindented
    binds: dict = field(default_factory=dict)  # tensor name -> shape or None
    risky: bool = False  # may raise: worth a try/except
    fails: bool = False  # expected to raise (shape inference said so)


# ------------------------------------------------------------ shape algebra


def size(shape) -> int:
    return math.prod(shape) if shape is not None else 0


def bcast(a, b):
    """NumPy/TF broadcasting of two shapes, None when they clash."""
    if a is None or b is None:
        return None
    out = []
    for x, y in itertools.zip_longest(reversed(a), reversed(b), fillvalue=1):
        if x != y and 1 not in (x, y):
            return None
        out.append(y if x == 1 else x)
    return tuple(reversed(out))


def matmul_shape(a, b, transpose_b=False):
    if a is None or b is None or len(a) < 2 or len(b) < 2:
        return None
    inner_b, cols = (b[-1], b[-2]) if transpose_b else (b[-2], b[-1])
    if a[-1] != inner_b:
        return None
    batch = bcast(a[:-2], b[:-2])
    return None if batch is None else batch + (a[-2], cols)


def norm_axis(axis: int, rank: int):
    return axis + rank if -rank <= axis < 0 else (axis if 0 <= axis < rank else None)


def fmt_shape(shape) -> str:
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


# ------------------------------------------------------------ the generator


class Generator:
    """Builds one program; `Generator(random.Random(seed)).program()`."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.tensors: dict = {}  # name -> shape (tuple) or None
        self.masks: dict = {}  # bool tensors: name -> shape
        self.layers: dict = {}  # name -> {"kind": ..., ...} for reusable instances
        self.names: set = {"tf", "layers", "keras", "e"}
        self.keras = rng.random() < 0.25  # `from tensorflow import keras`

    # ---- names and operands

    def fresh(self, *bases: str) -> str:
        base = self.rng.choice(bases)
        name, n = base, 2
        while name in self.names:
            name, n = f"{base}{n}", n + 1
        self.names.add(name)
        return name

    def rand_shape(self, rank=None):
        r = self.rng
        rank = rank or r.choice((3, 3, 3, 2, 2, 1, 4))
        if rank == 1:
            return (r.choice(FEATURES + LENGTHS),)
        if rank == 2:
            return (r.choice(LENGTHS), r.choice(FEATURES))
        if rank == 3:
            return (r.choice(BATCHES), r.choice(LENGTHS), r.choice(FEATURES))
        return (r.choice(BATCHES), r.choice((1, 2, 4)), r.choice(LENGTHS[2:]), r.choice(FEATURES))

    def fill(self, template):
        """A concrete shape from a template with None wildcards."""
        rank = len(template)
        base = self.rand_shape(rank) if rank in (1, 2, 3, 4) else tuple(self.rng.choice(FEATURES) for _ in template)
        return tuple(b if t is None else t for t, b in zip(template, base))

    def make_expr(self, shape) -> str:
        """An expression that creates a float32 tensor of this shape."""
        r = self.rng
        s = fmt_shape(shape)
        n = size(shape)
        choice = r.random()
        if n <= 12 and choice < 0.3:
            return f"tf.constant({self.literal(shape)})"
        if n <= 4096 and choice < 0.45:
            return f"tf.reshape(tf.range({n}, dtype=tf.float32), {s}) / {r.choice((10.0, 100.0, float(n)))}"
        if choice < 0.55:
            return f"tf.constant({r.choice((0.5, 1.0, -2.0))}, shape={s})"
        fn = r.choice(("tf.random.normal", "tf.random.normal", "tf.random.normal", "tf.ones", "tf.zeros"))
        return f"{fn}({s})" if r.random() < 0.8 else f"{fn}({list(shape)})"

    def literal(self, shape) -> str:
        vals = (0.0, 1.0, -1.0, 0.5, 2.0, 3.0, -0.25)
        if len(shape) == 0:
            return str(self.rng.choice(vals))
        return "[" + ", ".join(self.literal(shape[1:]) for _ in range(shape[0])) + "]"

    def pick(self, template=None, match=0.6, rank=None, inline=0.15, ranks=None):
        """(expression, shape) of an operand: with probability `match` one that
        fits `template` (None = any size), otherwise any tensor of `rank` or
        of one of `ranks` (clashes)."""
        r = self.rng
        ranks = ranks or ((rank,) if rank else None)
        known = {n: s for n, s in self.tensors.items() if s}  # not scalars: most rules index s[-1]
        if template is not None and r.random() < match:
            fits = [n for n, s in known.items() if len(s) == len(template)
                    and all(t is None or t == d for t, d in zip(template, s))]
            if fits and r.random() > inline:
                name = r.choice(fits)
                return name, known[name]
            shape = self.fill(template)
            return self.inline(shape), shape
        pool = [n for n, s in known.items() if ranks is None or len(s) in ranks]
        if pool and r.random() > inline:
            name = r.choice(pool)
            return name, known[name]
        unknown = [n for n, s in self.tensors.items() if s is None]
        if unknown and ranks is None and r.random() < 0.1:  # a tensor of unknown shape
            name = r.choice(unknown)
            return name, None
        shape = self.rand_shape(r.choice(ranks) if ranks else None)
        return self.inline(shape), shape

    def inline(self, shape) -> str:
        """make_expr, parenthesised where it is a division (an operand)."""
        expr = self.make_expr(shape)
        return f"({expr})" if " / " in expr else expr

    # ---- statements: each returns a Stmt or None when it does not apply

    def st_tensor(self):
        shape = self.rand_shape()
        name = self.fresh("q", "k", "v", "x", "query", "key", "value", "h", "inputs", "enc", "dec")
        if self.rng.random() < 0.3 and len(shape) >= 2:  # the article's shapes
            shape = self.rng.choice(((1, 32, 2), (1, 1200, 2), (32, 2), (1200, 2), (1, 32, 128), (1, 1200, 128)))
        return Stmt([f"{name} = {self.make_expr(shape)}"], {name: shape})

    def st_mask(self):
        r = self.rng
        maxlen = r.choice(LENGTHS)
        lengths = [r.randint(0, maxlen) for _ in range(r.choice((1, 1, 2)))]
        name = self.fresh("mask", "query_mask", "value_mask", "m")
        arg = f"tf.constant({lengths})" if r.random() < 0.7 else str(lengths)
        self.masks[name] = (len(lengths), maxlen)
        return Stmt([f"{name} = tf.sequence_mask({arg}, {maxlen})"])

    def mask_expr(self, length_hint):
        """A mask for an attention input: the right length or a clashing one."""
        r = self.rng
        if self.masks and r.random() < 0.5:
            return r.choice(list(self.masks))
        maxlen = length_hint if (length_hint and r.random() < 0.6) else r.choice(LENGTHS)
        return f"tf.sequence_mask(tf.constant([{r.randint(1, maxlen)}]), {maxlen})"

    def attn_inputs(self, ranks=(2, 3, 4)):
        """q, v, k operands for Attention-style layers, often compatible.
        The engine refuses rank-1 inputs (and MHA inputs of rank < 3)."""
        r = self.rng
        q, qs = self.pick(rank=r.choice((3, 3, 2)) if 2 in ranks else 3)
        like = (qs[0], None, qs[-1]) if qs and len(qs) == 3 else ((None, qs[-1]) if qs and len(qs) == 2 else None)
        v, vs = self.pick(like, match=0.7, ranks=ranks)
        items = [(q, qs), (v, vs)]
        if r.random() < 0.4:
            klike = vs[:-1] + (qs[-1],) if vs and qs and len(vs) == len(qs) else None
            k, ks = self.pick(klike, match=0.6, ranks=ranks)
            items.append((k, ks))
        if r.random() < 0.12:  # the list in the wrong order
            r.shuffle(items)
        return items

    def st_attention(self):
        r = self.rng
        items = self.attn_inputs()
        opts = []
        if r.random() < 0.2:
            opts.append("use_scale=True")
        if r.random() < 0.15:
            opts.append('score_mode="concat"')
        if r.random() < 0.1:
            opts.append(f"dropout={r.choice((0.0, 0.1))}")
        kwargs = []
        if r.random() < 0.25:
            kwargs.append("mask=" + self.mask_list(items))
        if r.random() < 0.2:
            kwargs.append("use_causal_mask=True")
        return self.attention_call("Attention", opts, items, kwargs, ("attn", "attention", "att"))

    def st_additive(self):
        r = self.rng
        items = self.attn_inputs()
        opts = ["use_scale=False"] if r.random() < 0.2 else []
        kwargs = ["mask=" + self.mask_list(items)] if r.random() < 0.2 else []
        return self.attention_call("AdditiveAttention", opts, items, kwargs, ("add_attn", "additive"))

    def mask_list(self, items) -> str:
        """mask=[...] of the right length (query, value) or a wrong one."""
        r = self.rng
        n = r.choice((1, 2, 2, 2, 3))
        hints = [s[-2] if s and len(s) >= 2 else None for _, s in items]
        out = []
        for i in range(n):
            hint = hints[min(i, len(hints) - 1)]
            out.append("None" if r.random() < 0.3 else self.mask_expr(hint))
        return "[" + ", ".join(out) + "]"

    def attention_call(self, cls, opts, items, kwargs, inst_names):
        """An Attention-style call, inline or on a named instance (which may
        already have been used on other shapes)."""
        r = self.rng
        lines = []
        scores = r.random() < 0.3
        if scores:
            kwargs = kwargs + ["return_attention_scores=True"]
        reuse = [n for n, l in self.layers.items() if l["kind"] == cls]
        if reuse and r.random() < 0.5:
            callee = r.choice(reuse)
            opts = self.layers[callee]["opts"]
        elif r.random() < 0.4:
            callee = self.fresh(*inst_names)
            lines.append(f"{callee} = layers.{cls}({', '.join(opts)})")
        else:
            callee = f"layers.{cls}({', '.join(opts)})"
        qs, vs = items[0][1], items[1][1]
        ks = items[2][1] if len(items) > 2 else vs
        additive = cls == "AdditiveAttention" or 'score_mode="concat"' in opts
        if too_costly(qs, ks, additive):
            return None
        if lines:  # registered only now: a dropped statement must not leave a name behind
            self.layers[callee] = {"kind": cls, "opts": opts}
        call = f"{callee}([{', '.join(e for e, _ in items)}]{''.join(', ' + k for k in kwargs)})"
        out_shape = attention_shape(qs, vs, ks)
        return self.bind_result(lines, call, out_shape, scores,
                                attention_scores_shape(qs, ks) if out_shape else None)

    def bind_result(self, lines, call, out_shape, scores, score_shape):
        out = self.fresh("out", "context", "ctx", "attention_output", "y")
        binds = {out: out_shape}
        if scores:
            w = self.fresh("scores", "weights", "w", "attn_scores")
            binds[w] = score_shape
            lines.append(f"{out}, {w} = {call}")
        else:
            lines.append(f"{out} = {call}")
        if self.rng.random() < 0.08:  # the article's `[0]` on the output
            lines[-1] = lines[-1] + "[0]" if not scores else lines[-1]
            if not scores:
                binds[out] = out_shape[1:] if out_shape else None
        return Stmt(lines, binds, risky=True, fails=out_shape is None)

    def st_mha(self):
        r = self.rng
        items = self.attn_inputs(ranks=(3,))
        (q, qs), (v, vs) = items[0], items[1]
        callee, heads, lines = self.mha_instance()
        if big_scores(qs, vs, heads):
            return None
        if lines:  # registered only now: a dropped statement must not leave a name behind
            self.layers[callee] = {"kind": "MultiHeadAttention", "heads": heads}
        args = [q, v] if r.random() < 0.7 else [f"query={q}", f"value={v}"]
        ks = vs
        if len(items) > 2:
            ks = items[2][1]
            args.append(items[2][0] if not args[0].startswith("query=") else f"key={items[2][0]}")
        if r.random() < 0.2:
            args.append("attention_mask=" + self.mha_mask(qs, vs))
        if r.random() < 0.15:
            args.append("use_causal_mask=True")
        scores = r.random() < 0.3
        if scores:
            args.append("return_attention_scores=True")
        out_shape = mha_shape(qs, vs, ks)
        score_shape = (qs[0], heads, qs[1], vs[1]) if out_shape else None
        return self.bind_result(lines, f"{callee}({', '.join(args)})", out_shape, scores, score_shape)

    def mha_instance(self):
        """(callee, num_heads, lines creating it): an earlier instance (called
        again on other shapes), a new named one, or one made inline."""
        r = self.rng
        heads, key_dim = r.choice((1, 2, 4, 8)), r.choice((2, 4, 8, 16, 64))
        reuse = [n for n, l in self.layers.items() if l["kind"] == "MultiHeadAttention"]
        if reuse and r.random() < 0.5:
            callee = r.choice(reuse)
            return callee, self.layers[callee]["heads"], []
        opts = f"num_heads={heads}, key_dim={key_dim}"
        if r.random() < 0.1:
            opts += f", value_dim={r.choice((2, 4, 8))}"
        if r.random() < 0.5:
            callee = self.fresh("mha", "mha_layer", "self_attn")
            return callee, heads, [f"{callee} = layers.MultiHeadAttention({opts})"]
        return f"layers.MultiHeadAttention({opts})", heads, []

    def mha_mask(self, qs, vs) -> str:
        r = self.rng
        if qs and vs and len(qs) == 3 and len(vs) == 3 and r.random() < 0.7:
            shape = (qs[0], qs[1], vs[1]) if r.random() < 0.7 else (qs[0], vs[1], qs[1])
        else:
            shape = self.rand_shape(3)
        if size(shape) > MAX_ELEMENTS:
            shape = (1, 4, 4)
        if r.random() < 0.5:
            return f"tf.ones({fmt_shape(shape)}, dtype=tf.bool)"
        return f"tf.sequence_mask(tf.ones({fmt_shape(shape[:-1])}, dtype=tf.int32) * {r.randint(1, shape[-1])}, {shape[-1]})"

    def st_dense(self):
        r = self.rng
        reuse = [n for n, l in self.layers.items() if l["kind"] == "Dense"]
        x, xs = self.pick()
        if xs is not None and size(xs) // max(xs[-1], 1) * 128 > MAX_ELEMENTS:
            return None
        lines = []
        if reuse and r.random() < 0.6:  # the same Dense on another last dim
            callee = r.choice(reuse)
            units, built = self.layers[callee]["units"], self.layers[callee]["in"]
        else:
            units = r.choice((128, 128, 2, 4, 8, 16, 32, 64))
            opts = [str(units)] + ([r.choice(('activation="relu"', "use_bias=False", 'activation="tanh"'))]
                                   if r.random() < 0.25 else [])
            built = None
            if r.random() < 0.5:
                callee = self.fresh("dense", "proj", "projection", "dense_layer")
                lines.append(f"{callee} = layers.Dense({', '.join(opts)})")
                self.layers[callee] = {"kind": "Dense", "units": units, "in": None}
            else:
                callee = f"layers.Dense({', '.join(opts)})"
        ok = xs is not None and len(xs) >= 1 and (built is None or built == xs[-1])
        if ok and callee in self.layers:
            self.layers[callee]["in"] = xs[-1]
        out = self.fresh("y", "proj_q", "proj_k", "proj_v", "hidden", "z")
        call = f"{callee}({x})"
        if r.random() < 0.2:
            call = f"tf.expand_dims({call}, axis=0)"
            shape = (1,) + xs[:-1] + (units,) if ok else None
        else:
            shape = xs[:-1] + (units,) if ok else None
        lines.append(f"{out} = {call}")
        return Stmt(lines, {out: shape}, risky=True, fails=not ok)

    def st_matmul(self):
        r = self.rng
        a, as_ = self.pick()
        tb = r.random() < 0.6
        like = None
        if as_ and len(as_) >= 2:
            like = as_[:-2] + ((None, as_[-1]) if tb else (as_[-1], None))
        b, bs = self.pick(like, match=0.6)
        shape = matmul_shape(as_, bs, tb)
        if shape and size(shape) > MAX_ELEMENTS:
            return None
        out = self.fresh("scores", "logits", "sim", "prod")
        if tb and r.random() < 0.8:
            expr = f"tf.matmul({a}, {b}, transpose_b=True)"
        elif tb:
            expr = f"tf.matmul({a}, tf.transpose({b}))" if bs and len(bs) == 2 else f"tf.matmul({a}, {b}, transpose_b=True)"
        else:
            expr = f"tf.matmul({a}, {b})" if r.random() < 0.8 else f"{a} @ {b}"
        return Stmt([f"{out} = {expr}"], {out: shape}, risky=True, fails=shape is None)

    def st_concat(self):
        r = self.rng
        a, as_ = self.pick()
        b, bs = self.pick(as_ and tuple(None if r.random() < 0.3 else d for d in as_), match=0.6)
        rank = len(as_) if as_ else 3
        axis = r.choice(list(range(-rank, rank)) + [rank, -1, -1])
        stack = r.random() < 0.3
        out = self.fresh("stacked" if stack else "merged", "joined", "cat")
        if stack:
            ok = as_ is not None and as_ == bs and -rank - 1 <= axis <= rank
            shape = None
            if ok:
                ax = axis if axis >= 0 else axis + rank + 1
                shape = as_[:ax] + (2,) + as_[ax:]
            return Stmt([f"{out} = tf.stack([{a}, {b}], axis={axis})"], {out: shape}, risky=True, fails=not ok)
        shape = concat_shape(as_, bs, axis)
        if r.random() < 0.3:
            return Stmt([f"{out} = layers.Concatenate(axis={axis})([{a}, {b}])"], {out: shape}, risky=True,
                        fails=shape is None)
        return Stmt([f"{out} = tf.concat([{a}, {b}], axis={axis})"], {out: shape}, risky=True, fails=shape is None)

    def st_reshape(self):
        """reshape / transpose / expand_dims / squeeze of one operand."""
        r = self.rng
        a, as_ = self.pick()
        n = size(as_) if as_ else 64
        kind = r.random()
        out = self.fresh("x", "reshaped", "t", "r")
        if kind < 0.35:
            return self.reshape(out, a, as_, n)
        if kind < 0.55:
            return self.transpose(out, a, as_)
        if kind < 0.8:
            return self.expand_dims(out, a, as_)
        return self.squeeze(out, a, as_)

    def reshape(self, out, a, as_, n):
        target = reshape_target(self.rng, n)
        shape = tuple(n // math.prod(d for d in target if d != -1) if d == -1 else d for d in target)
        ok = as_ is not None and math.prod(shape) == n
        return Stmt([f"{out} = tf.reshape({a}, {list(target)})"], {out: shape if ok else None},
                    risky=True, fails=not ok)

    def transpose(self, out, a, as_):
        r = self.rng
        rank = len(as_) if as_ else 3
        perm = list(range(rank))
        if rank >= 2:
            perm[-1], perm[-2] = perm[-2], perm[-1]
        if r.random() < 0.2:
            perm = perm[:-1]  # a perm of the wrong length
        if r.random() < 0.3:
            return Stmt([f"{out} = tf.transpose({a})"], {out: tuple(reversed(as_)) if as_ else None}, risky=True)
        shape = tuple(as_[p] for p in perm) if as_ and len(perm) == len(as_) else None
        return Stmt([f"{out} = tf.transpose({a}, perm={perm})"], {out: shape}, risky=True, fails=shape is None)

    def expand_dims(self, out, a, as_):
        rank = len(as_) if as_ else 3
        axis = self.rng.choice((0, 0, -1, 1, rank + 1))
        ax = norm_axis(axis, rank + 1)
        shape = as_[:ax] + (1,) + as_[ax:] if as_ is not None and ax is not None else None
        return Stmt([f"{out} = tf.expand_dims({a}, axis={axis})"], {out: shape}, risky=True, fails=shape is None)

    def squeeze(self, out, a, as_):
        axis = self.rng.choice((None, 0, 1, -1))
        if axis is None:
            shape = tuple(d for d in as_ if d != 1) if as_ else None
            return Stmt([f"{out} = tf.squeeze({a})"], {out: shape}, risky=True)
        ax = norm_axis(axis, len(as_)) if as_ is not None else None
        ok = ax is not None and as_[ax] == 1
        shape = as_[:ax] + as_[ax + 1:] if ok else None
        return Stmt([f"{out} = tf.squeeze({a}, axis={axis})"], {out: shape}, risky=True, fails=not ok)

    def st_pad_tile(self):
        r = self.rng
        a, as_ = self.pick()
        rank = len(as_) if as_ else 3
        out = self.fresh("padded", "tiled", "x")
        if r.random() < 0.55:
            return self.pad(out, a, as_, rank)
        return self.tile(out, a, as_, rank)

    def pad(self, out, a, as_, rank):
        """tf.pad along one axis, the paddings list sometimes of the wrong length."""
        r = self.rng
        n = r.choice((1200 - 32, 4, 1, 16))
        axis = r.choice(range(rank))
        pads = [[0, n if i == axis else 0] for i in range(rank)]
        if r.random() < 0.25:
            pads = pads[1:] if rank > 1 and r.random() < 0.5 else pads + [[0, 0]]
        ok = as_ is not None and len(pads) == rank
        shape = tuple(d + sum(p) for d, p in zip(as_, pads)) if ok else None
        if shape and size(shape) > MAX_ELEMENTS:
            return None
        return Stmt([f"{out} = tf.pad({a}, {pads})"], {out: shape}, risky=True, fails=not ok)

    def tile(self, out, a, as_, rank):
        r = self.rng
        mult = [r.choice((1, 1, 2, 3)) for _ in range(rank)]
        if r.random() < 0.2:
            mult = mult + [1]
        ok = as_ is not None and len(mult) == rank
        shape = tuple(d * m for d, m in zip(as_, mult)) if ok else None
        if shape and size(shape) > MAX_ELEMENTS:
            return None
        return Stmt([f"{out} = tf.tile({a}, {mult})"], {out: shape}, risky=True, fails=not ok)

    def st_reduce(self):
        """A softmax (function or layer) or a reduction over some axes."""
        r = self.rng
        a, as_ = self.pick()
        rank = len(as_) if as_ else 3
        out = self.fresh("pooled", "total", "s", "avg", "probs")
        if r.random() < 0.35:
            axis = r.choice((-1, -1, 1, 0, rank))
            fn = "tf.nn.softmax" if r.random() < 0.7 else "layers.Softmax"
            ok = norm_axis(axis, rank) is not None
            expr = f"tf.nn.softmax({a}, axis={axis})" if fn == "tf.nn.softmax" else f"layers.Softmax(axis={axis})({a})"
            return Stmt([f"{out} = {expr}"], {out: as_ if ok else None}, risky=True, fails=not ok)
        fn = r.choice(("tf.reduce_sum", "tf.reduce_mean", "tf.reduce_max"))
        keep = r.random() < 0.3
        axis = r.choice((None, -1, 1, 0, [0, 1], rank))
        keep_s = ", keepdims=True" if keep else ""
        axis_s = "" if axis is None else f", axis={axis}"
        shape = reduce_shape(as_, axis, keep)
        return Stmt([f"{out} = {fn}({a}{axis_s}{keep_s})"], {out: shape}, risky=True, fails=shape is None)

    def st_elementwise(self):
        r = self.rng
        a, as_ = self.pick()
        out = self.fresh("y", "res", "combined", "diff", "summed")
        if r.random() < 0.15:
            c = r.choice(("2.0", "0.5", "1"))
            op = r.choice(("*", "+", "-", "/"))
            return Stmt([f"{out} = {a} {op} {c}"], {out: as_})
        like = as_ and tuple(None if r.random() < 0.25 else d for d in as_)
        b, bs = self.pick(like, match=0.5)
        op = r.choice(("+", "+", "-", "*"))
        shape = bcast(as_, bs)
        if shape and size(shape) > MAX_ELEMENTS:
            return None
        if r.random() < 0.2:  # the engine's merge layers: Add and Concatenate
            return Stmt([f"{out} = layers.Add()([{a}, {b}])"], {out: shape if as_ == bs else None},
                        risky=True, fails=as_ != bs)
        return Stmt([f"{out} = {a} {op} {b}"], {out: shape}, risky=True, fails=shape is None)

    def st_where(self):
        r = self.rng
        a, as_ = self.pick()
        like = as_ and tuple(None if r.random() < 0.25 else d for d in as_)
        b, bs = self.pick(like, match=0.6)
        out = self.fresh("masked", "selected", "y")
        cond = f"{a} > 0" if r.random() < 0.5 else (r.choice(list(self.masks)) if self.masks else f"{b} < 0.5")
        cshape = self.masks.get(cond, as_ if cond.startswith(a) else bs)
        other = r.choice((b, "tf.zeros_like(" + a + ")", "0.0")) if r.random() < 0.8 else b
        oshape = bs if other == b else (as_ if other.startswith("tf.zeros_like") else ())
        shape = bcast(bcast(cshape, as_), oshape)
        return Stmt([f"{out} = tf.where({cond}, {a}, {other})"], {out: shape}, risky=True, fails=shape is None)

    def st_mse(self):
        r = self.rng
        a, as_ = self.pick()
        b, bs = self.pick(as_, match=0.5)
        mod = "keras" if self.keras and r.random() < 0.7 else "tf.keras"
        out = self.fresh("loss", "mse", "l")
        expr = f"{mod}.losses.MeanSquaredError()({a}, {b})"
        ok = bcast(as_, bs) is not None
        return Stmt([f"{out} = {expr}"], {out: () if ok and "Error()" in expr else None}, risky=True, fails=not ok)

    def st_slice(self):
        r = self.rng
        a, as_ = self.pick()
        if a[0].isdigit() or not a.isidentifier():
            a = f"({a})"
        rank = len(as_) if as_ else 3
        n = r.choice((1, 2, 16, 32))
        forms = [("[0]", lambda s: s[1:] if len(s) >= 1 and s[0] > 0 else None),
                 ("[None]", lambda s: (1,) + s),
                 (f"[:, :{n}]", lambda s: (s[0], min(n, s[1])) + s[2:] if len(s) >= 2 else None),
                 ("[..., 0]", lambda s: s[:-1] if len(s) >= 1 and s[-1] > 0 else None),
                 ("[:, -1, :]", lambda s: s[:1] + s[2:] if len(s) == 3 and s[1] > 0 else None),
                 (f"[..., :{n}]", lambda s: s[:-1] + (min(n, s[-1]),) if len(s) >= 1 else None),
                 ("[1]", lambda s: s[1:] if len(s) >= 1 and s[0] > 1 else None)]
        text, fn = r.choice(forms)
        shape = fn(as_) if as_ is not None else None
        out = self.fresh("first", "part", "sl", "row")
        return Stmt([f"{out} = {a}{text}"], {out: shape}, risky=True, fails=shape is None and as_ is not None)

    def st_norm(self):
        a, as_ = self.pick()
        out = self.fresh("normed", "ln")
        return Stmt([f"{out} = layers.LayerNormalization()({a})"], {out: as_}, risky=True)

    def st_print(self):
        r = self.rng
        if not self.tensors:
            return None
        name = r.choice(list(self.tensors))
        shape = self.tensors[name]
        forms = [f"print({name}.shape)", f'print(f"{name}: {{{name}.shape}}")', f"print({name}.shape[-1])",
                 f"print({name}.dtype)", f"print(len({name}.shape))"]
        if shape is not None and size(shape) <= 16:
            forms.append(f"print({name})")
        return Stmt([r.choice(forms)])

    STATEMENTS = (
        ("st_tensor", 3), ("st_mask", 1), ("st_attention", 4), ("st_additive", 1.2), ("st_mha", 3),
        ("st_dense", 2.5), ("st_matmul", 2), ("st_concat", 1.5), ("st_reshape", 2), ("st_pad_tile", 1),
        ("st_reduce", 1.5), ("st_elementwise", 2.2), ("st_where", 0.8), ("st_mse", 1), ("st_slice", 1.5),
        ("st_norm", 0.4), ("st_print", 2),
    )

    # ---- try/except and the whole program

    def wrap_try(self, stmt: Stmt) -> Stmt:
        """The statement inside try/except, with a handler users write."""
        r = self.rng
        handler = r.choice((
            ("except tf.errors.InvalidArgumentError as e:", "print(type(e).__name__)"),
            ("except tf.errors.InvalidArgumentError:", 'print("shape error")'),
            ("except ValueError:", 'print("value error")'),
            ("except ValueError as e:", "print(type(e).__name__)"),
            ("except Exception as e:", "print(type(e).__name__)"),
            ("except (ValueError, tf.errors.InvalidArgumentError) as e:", "print(type(e).__name__)"),
        ))
        body = ["    " + line for line in stmt.lines]
        handler_body = ["    " + handler[1]]
        binds = dict(stmt.binds)
        for name, shape in stmt.binds.items():
            # A fallback keeps the name bound; otherwise it is dropped, so no
            # later statement uses a name the except path left unbound.
            if shape is not None and 0 < size(shape) <= MAX_ELEMENTS and r.random() < 0.5:
                handler_body.append(f"    {name} = tf.zeros({fmt_shape(shape)})")
            else:
                del binds[name]
        return Stmt(["try:"] + body + [handler[0]] + handler_body, binds)

    def statement(self, first: bool):
        names, weights = zip(*self.STATEMENTS)
        for _ in range(20):
            name = "st_tensor" if first else self.rng.choices(names, weights)[0]
            stmt = getattr(self, name)()
            if stmt is not None and all(s is None or size(s) <= MAX_ELEMENTS for s in stmt.binds.values()):
                return stmt
        return self.st_tensor()

    def program(self) -> str:
        r = self.rng
        target = r.randint(3, 12)
        lines = HEADER.splitlines()
        if self.keras:
            lines.insert(1, "from tensorflow import keras")
        count = 0
        while count < target:
            stmt = self.statement(first=count < r.choice((1, 2)))
            if stmt.risky and r.random() < 0.3:
                stmt = self.wrap_try(stmt)
                stmt.fails = False
            lines += stmt.lines
            self.tensors.update(stmt.binds)
            count += 1
            if stmt.fails and count >= 3 and r.random() < 0.7:
                break  # the rest would never run
        return "\n".join(lines) + "\n"


# ------------------------------------------------------------ shape rules


def attention_shape(qs, vs, ks):
    """Keras Attention's output shape (dot scores), None when it should fail."""
    if qs is None or vs is None or ks is None or len(qs) < 2 or len(vs) != len(ks):
        return None
    scores = matmul_shape(qs, ks, transpose_b=True)
    if scores is None or vs[-2] != ks[-2]:
        return None
    return matmul_shape(scores, vs)


def attention_scores_shape(qs, ks):
    return matmul_shape(qs, ks, transpose_b=True)


def mha_shape(qs, vs, ks):
    if not (qs and vs and ks) or not len(qs) == len(vs) == len(ks) == 3:
        return None
    if qs[0] != vs[0] or ks[:2] != vs[:2]:
        return None
    return qs


def too_costly(qs, ks, additive: bool) -> bool:
    """Scores (B, Tq, Tv), or for additive / concat scores the (B, Tq, Tv, d)
    intermediate, beyond what either side computes in a blink (the engine
    also stops at its memory budget, which real TF would not hit)."""
    if not qs or not ks or len(qs) < 2 or len(ks) < 2:
        return False
    rows = max(size(qs) // max(qs[-1], 1), size(ks) // max(ks[-1] * ks[-2], 1) * qs[-2])  # B*Tq, broadcast
    n = rows * ks[-2]
    return n * (max(qs[-1], ks[-1]) if additive else 1) > MAX_ELEMENTS


def big_scores(qs, vs, heads) -> bool:
    """MHA scores (B, heads, Tq, Tv) too big to compute quickly."""
    if not qs or not vs or len(qs) != 3 or len(vs) != 3:
        return False
    return max(qs[0], vs[0]) * heads * qs[1] * vs[1] > MAX_ELEMENTS


def concat_shape(a, b, axis):
    if a is None or b is None or len(a) != len(b):
        return None
    ax = norm_axis(axis, len(a))
    if ax is None or any(x != y for i, (x, y) in enumerate(zip(a, b)) if i != ax):
        return None
    return a[:ax] + (a[ax] + b[ax],) + a[ax + 1:]


def reduce_shape(s, axis, keep):
    if s is None:
        return None
    axes = range(len(s)) if axis is None else (axis if isinstance(axis, list) else [axis])
    norm = {norm_axis(a, len(s)) for a in axes}
    if None in norm:
        return None
    return tuple((1 if i in norm else d) for i, d in enumerate(s) if keep or i not in norm)


def reshape_target(r: random.Random, n: int):
    """A reshape target for n elements: usually right, sometimes not."""
    dims = [d for d in (1, 2, 4, 8, 16, 32, 128, 1200) if n % d == 0 and d < n]
    if not dims or r.random() < 0.25:
        return [r.choice((1, 32, 2, 1200)), -1, r.choice((2, 128))]
    d = r.choice(dims)
    form = r.random()
    if form < 0.4:
        return [d, -1]
    if form < 0.7:
        return [1, d, n // d]
    return [-1, d]


def generate(seed: int) -> str:
    """One program, the same for the same seed."""
    code = Generator(random.Random(seed)).program()
    ast.parse(code)  # a generator bug, not a finding, if this fails
    return code


if __name__ == "__main__":
    import sys

    for s in range(int(sys.argv[1]) if len(sys.argv) > 1 else 5):
        print(f"# --- {s}\n{generate(s)}")
