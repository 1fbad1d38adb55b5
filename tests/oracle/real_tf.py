"""Runs playground programs in real TensorFlow (eager) + Keras and writes, for
each, the fields of the engine's run document that can be compared: ok,
error {type, message, plain_message, line}, caught errors, variables, stdout.

A worker process: one JSON request per line on stdin
({"id", "code", "seed", "timeout_s"}), one JSON document per line on the
file descriptor given by --out-fd. The profile is fixed per process by the
environment: TF_USE_LEGACY_KERAS=1 makes `tf.keras` tf-keras 2.x, otherwise
it is Keras 3. Each program runs in a fresh namespace after Keras' session
is cleared and every random seed is set to the request's seed.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import inspect
import io
import itertools
import json
import math
import os
import re
import resource
import signal
import sys
import time
import traceback
import types

PROGRAM_FILE = "<program>"
VALUE_PREVIEW = 8  # the engine's document carries the first 8 values
CLIP_CHARS = 2000  # and clips strings and reprs to this many characters
STDOUT_BYTES = 1 << 20  # the engine stops a program printing more
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CAUGHT_HOOK = "__oracle_caught__"

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# TensorFlow's reference CPU kernels, whose texts the engine imitates. TF
# turns oneDNN on by default only on CPUs with AVX512_VNNI and newer; its
# kernels name themselves in messages (__wrapped____MklMatMul) and reorder
# float sums.
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

keras = tf.keras  # Keras 3 or tf-keras, as the profile says
import keras as KERAS3  # noqa: E402  (what `import keras` gives in both)


class ProgramTimeout(BaseException):
    """Raised by SIGALRM; a BaseException so `except Exception` lets it by."""


def versions() -> dict:
    out = {"tensorflow": tf.__version__, "keras": KERAS3.__version__}
    if os.environ.get("TF_USE_LEGACY_KERAS") == "1":
        import tf_keras

        out["tf_keras"] = tf_keras.__version__
    return out


# ---------------------------------------------------------------- lines


def statement_starts(tree: ast.AST) -> list[tuple[int, int]]:
    """(first, last) line of every simple statement, for mapping a traceback
    line inside a multi-line statement to the line the statement starts on
    (the engine reports the statement's first line)."""
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and not hasattr(node, "body"):
            spans.append((node.lineno, node.end_lineno or node.lineno))
        elif isinstance(node, (ast.If, ast.While, ast.For)):
            # The header (test / iterator) of a compound statement.
            header_end = node.body[0].lineno - 1 if node.body else node.lineno
            spans.append((node.lineno, max(node.lineno, header_end)))
    return spans


def statement_line(spans, line: int) -> int:
    best = None
    for first, last in spans:
        if first <= line <= last and (best is None or first >= best[0]):
            best = (first, last)
    return best[0] if best else line


def program_line(exc: BaseException, spans) -> int | None:
    if isinstance(exc, SyntaxError) and exc.filename == PROGRAM_FILE:
        return exc.lineno
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == PROGRAM_FILE:
            line = tb.tb_lineno
        tb = tb.tb_next
    return statement_line(spans, line) if line is not None else None


def error_doc(exc: BaseException, spans) -> dict:
    try:
        # A SyntaxError's str() ends with "(<file>, line N)", which names
        # wherever the program was saved; the line is reported on its own.
        message = exc.msg if isinstance(exc, SyntaxError) else str(exc)
    except Exception as e:  # a user class whose __str__ raises
        message = f"<str() raised {type(e).__name__}>"
    return {
        "type": type(exc).__name__,
        "message": message,
        "plain_message": ANSI.sub("", message),
        "line": program_line(exc, spans),
    }


class CaughtRecorder(ast.NodeTransformer):
    """Makes every `except` clause first record the exception it caught, the
    way the engine lists caught errors. Line numbers are left as they are."""

    def visit_ExceptHandler(self, node: ast.ExceptHandler):
        self.generic_visit(node)
        call = ast.Expr(
            ast.Call(ast.Name(CAUGHT_HOOK, ast.Load()), [], []),
        )
        ast.copy_location(call, node.body[0])
        ast.fix_missing_locations(call)
        node.body.insert(0, call)
        return node


# ---------------------------------------------------------------- values


def is_keras_tensor(v) -> bool:
    return type(v).__name__ == "KerasTensor"


def dims(shape) -> list | None:
    try:
        return [None if d is None else int(d) for d in shape]
    except TypeError:  # unknown rank
        return None


def preview(array: np.ndarray) -> list:
    flat = array.reshape(-1)[:VALUE_PREVIEW]
    if flat.dtype == np.bool_:
        return [bool(x) for x in flat]
    if np.issubdtype(flat.dtype, np.integer):
        return [int(x) for x in flat]
    if np.issubdtype(flat.dtype, np.floating):
        return [float(x) if math.isfinite(x) else repr(float(x)) for x in flat]
    return [str(x) for x in flat]


def tensor_doc(shape, dtype, values) -> dict:
    return {"kind": "tensor", "shape": dims(shape), "dtype": dtype, "values": values}


def value_doc(v, depth=0):
    if v is None:
        return {"kind": "none", "value": None}
    if isinstance(v, bool):
        return {"kind": "bool", "value": v}
    if isinstance(v, int):
        return {"kind": "int", "value": v}
    if isinstance(v, float):
        return {"kind": "float", "value": v if math.isfinite(v) else repr(v)}
    if isinstance(v, str):
        return {"kind": "str", "value": clip(v)}
    if isinstance(v, tf.Tensor) and not is_keras_tensor(v):
        try:
            values = preview(v.numpy())
        except Exception:  # a graph tensor: no values
            values = None
        return tensor_doc(v.shape, v.dtype.name, values)
    if isinstance(v, tf.Variable):
        doc = tensor_doc(v.shape, v.dtype.name, preview(v.numpy()))
        doc["variable"] = True
        return doc
    if is_keras_tensor(v):
        doc = tensor_doc(v.shape, str(getattr(v.dtype, "name", v.dtype)), None)
        doc["symbolic"] = True
        return doc
    if isinstance(v, np.ndarray):
        doc = tensor_doc(v.shape, v.dtype.name, preview(v))
        doc["numpy"] = True
        return doc
    if isinstance(v, np.generic):
        return value_doc(v.item(), depth)
    if isinstance(v, tf.TensorShape):
        return {"kind": "shape", "value": dims(v), "repr": repr(tuple(dims(v) or []))}
    if isinstance(v, tf.DType):
        return {"kind": "dtype", "value": v.name}
    if isinstance(v, (list, tuple)):
        doc = {"kind": "list" if isinstance(v, list) else "tuple", "repr": safe_repr(v)}
        if depth < 4 and len(v) <= 64:
            doc["value"] = [value_doc(x, depth + 1) for x in v]
        return doc
    if isinstance(v, dict):
        return {"kind": "dict", "repr": safe_repr(v)}
    if isinstance(v, keras.layers.Layer) or is_layer_of_other_keras(v):
        return {"kind": "layer", "class": type(v).__name__, "name": v.name}
    if isinstance(v, types.ModuleType):
        return {"kind": "module"}
    kind = "function" if callable(v) and isinstance(v, types.FunctionType) else None
    return {"kind": "object", "type": kind or type(v).__name__}


def is_layer_of_other_keras(v) -> bool:
    # `import keras` is Keras 3 even when tf.keras is tf-keras.
    return any(
        c.__name__ == "Layer" and c.__module__.split(".")[0] in ("keras", "tf_keras")
        for c in type(v).__mro__
    )


def safe_repr(v) -> str:
    try:
        text = repr(v)
    except Exception as e:
        return f"<repr() raised {type(e).__name__}>"
    return clip(text)


def clip(text: str) -> str:
    """As the engine's document clips long text (result_json.cc)."""
    return text if len(text) <= CLIP_CHARS else text[:CLIP_CHARS] + "..."


def variables_doc(namespace: dict) -> dict:
    out = {}
    for name, v in namespace.items():
        if name.startswith("__") or isinstance(v, types.ModuleType):
            continue
        try:
            out[name] = value_doc(v)
        except Exception as e:
            out[name] = {"kind": "object", "type": f"<unreadable: {type(e).__name__}>"}
    return out


# ---------------------------------------------------------------- running


RUNS_PER_GC = 50  # Keras 3's clear_session() collects garbage: 0.12 s a call


def reset_frameworks(seed: int, run_index: int) -> None:
    if "free_memory" in inspect.signature(keras.backend.clear_session).parameters:
        keras.backend.clear_session(free_memory=run_index % RUNS_PER_GC == 0)
    else:  # tf-keras
        keras.backend.clear_session()
    if keras is not KERAS3:
        # `import keras` is Keras 3 beside tf-keras: its layer names and
        # uids must restart for every program too.
        KERAS3.backend.clear_session(free_memory=run_index % RUNS_PER_GC == 0)
        KERAS3.backend.set_floatx("float32")
        KERAS3.mixed_precision.set_global_policy("float32")
    # Global settings a previous program may have changed.
    keras.backend.set_floatx("float32")
    try:
        keras.mixed_precision.set_global_policy("float32")
    except Exception:
        pass
    keras.utils.set_random_seed(seed)


RUN_COUNTER = itertools.count()


def run_program(code: str, seed: int, timeout_s: float) -> dict:
    doc = {"ok": False, "error": None, "caught": [], "variables": {}, "stdout": ""}
    spans: list = []
    namespace: dict = {"__name__": "__main__", "__builtins__": __builtins__}
    caught: list = []

    def note_caught():
        exc = sys.exc_info()[1]
        if exc is not None:
            caught.append(error_doc(exc, spans))

    namespace[CAUGHT_HOOK] = note_caught
    out = io.StringIO()
    try:
        tree = ast.parse(code, PROGRAM_FILE)
    except SyntaxError as e:
        doc["error"] = error_doc(e, spans)
        return doc
    spans[:] = statement_starts(tree)
    compiled = compile(CaughtRecorder().visit(tree), PROGRAM_FILE, "exec")
    reset_frameworks(seed, next(RUN_COUNTER))

    def on_alarm(signum, frame):
        raise ProgramTimeout(f"did not finish in {timeout_s:g} s")

    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout_s)
    started = time.monotonic()
    try:
        with contextlib.redirect_stdout(out):
            exec(compiled, namespace)
        doc["ok"] = True
    except ProgramTimeout as e:
        doc["timeout"] = str(e)
    except BaseException as e:  # SystemExit and KeyboardInterrupt are results too
        doc["error"] = error_doc(e, spans)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    doc["seconds"] = round(time.monotonic() - started, 3)
    namespace.pop(CAUGHT_HOOK, None)
    doc["caught"] = caught
    doc["variables"] = variables_doc(namespace)
    doc["stdout"] = out.getvalue()[: STDOUT_BYTES + 1]
    return doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out-fd", type=int, required=True)
    parser.add_argument("--memory-gib", type=float, default=6.0)
    args = parser.parse_args()
    # A runaway program gets MemoryError instead of taking the machine's
    # memory (TensorFlow runs well within this address-space limit).
    limit = int(args.memory_gib * (1 << 30))
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # Everything a program or TF prints on fd 1 goes to stderr; the protocol
    # has its own descriptor.
    channel = os.fdopen(args.out_fd, "w", buffering=1)
    sys.stdout = sys.stderr
    channel.write(json.dumps({"ready": True, "versions": versions()}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        try:
            doc = run_program(request["code"], request["seed"], request.get("timeout_s", 20))
        except BaseException as e:  # the runner's own failure: say so, go on
            doc = {"oracle_failure": "".join(traceback.format_exception(e))[-2000:]}
        doc["id"] = request["id"]
        channel.write(json.dumps(doc, default=str) + "\n")


if __name__ == "__main__":
    main()
