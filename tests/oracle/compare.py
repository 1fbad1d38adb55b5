"""Compares one engine run document with what real TensorFlow + Keras did.

Real runs come in pairs (two seeds); `merge_seeds` keeps what both agree on
and marks the rest as seed-dependent, which is then compared by structure
only: values are skipped, numbers inside messages and printed text masked.
"""

from __future__ import annotations

import ast
import fnmatch
import json
import math
import re
from dataclasses import dataclass

VALUE_TOLERANCE = 1e-4  # absolute and relative, float32 sums in another order
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# An object address (`<... object at 0x7fc59ec37150>`): other in every run.
ADDRESS = re.compile(r"\b0x[0-9a-f]+\b")
FLOAT = re.compile(r"-?\b\d+\.\d*(?:e[+-]?\d+)?|-?\binf\b|\bnan\b")
RANDOM_NOTE = "Random numbers"
# Where the frameworks are installed differs between machines: tracebacks
# folded into a message (tf-keras' traced step) are compared without it.
INSTALL_PATH = re.compile(r'File "[^"\n]*/(?:site|dist)-packages/')


@dataclass
class Difference:
    field: str
    engine: object
    real: object

    def text(self) -> str:
        return f"{self.field}: engine {show(self.engine)} vs real {show(self.real)}"


@dataclass
class Outcome:
    kind: str  # agree | disagree | refused
    differences: list
    messages_compared: int = 0
    messages_exact: int = 0
    reason: str = ""


def show(v, limit=240) -> str:
    text = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
    text = json.dumps(text, ensure_ascii=False) if isinstance(v, str) else text
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------- two seeds


def merge_seeds(a: dict, b: dict) -> dict:
    """The real document, with what differs between the two seeds marked."""
    out = dict(a)
    out["verdict_varies"] = verdict(a) != verdict(b)
    out["stdout_varies"] = a.get("stdout") != b.get("stdout")
    if a.get("error") and b.get("error"):
        out["error"] = dict(a["error"], message_varies=a["error"]["message"] != b["error"]["message"])
    caught = []
    for i, c in enumerate(a.get("caught", [])):
        other = b["caught"][i] if i < len(b.get("caught", [])) else None
        caught.append(dict(c, message_varies=other is None or other["message"] != c["message"]))
    out["caught"] = caught
    out["variables"] = {
        name: merge_value(v, b.get("variables", {}).get(name)) for name, v in a.get("variables", {}).items()
    }
    return out


def merge_value(a, b):
    if not isinstance(a, dict) or not isinstance(b, dict) or a.get("kind") != b.get("kind"):
        return a
    out = dict(a)
    if "values" in a and a.get("values") != b.get("values"):
        out["values"] = None
    if isinstance(a.get("value"), list) and isinstance(b.get("value"), list) and a["kind"] in ("list", "tuple"):
        out["value"] = [merge_value(x, y) for x, y in zip(a["value"], b["value"])]
    elif a.get("value") != b.get("value") and a.get("kind") == "float":
        out["value"] = None
    if a.get("repr") != b.get("repr"):
        out["repr_varies"] = True
    return out


def verdict(doc: dict):
    e = doc.get("error") or {}
    return (doc.get("ok"), e.get("type"), e.get("line"), bool(doc.get("timeout")))


# ------------------------------------------------------------- masking


def mask_values(text: str) -> str:
    """A message or printout with the tensor contents TF dumps replaced by
    '…' and every other float by "#", object addresses by "0x…": what is left is
    its structure."""
    text = ADDRESS.sub("0x…", ANSI.sub("", text))
    for opener in ("numpy=", "tf.Tensor("):
        text = mask_after(text, opener)
    return squeeze_layout(FLOAT.sub("#", text))


def squeeze_layout(text: str) -> str:
    """NumPy pads columns and wraps lines by the widths of the numbers it
    prints: with other digits, other spaces."""
    return re.sub(r"([\[(]) | ([\]),])", r"\1\2", re.sub(r"\s+", " ", text))


def mask_after(text: str, opener: str) -> str:
    out, i = [], 0
    while True:
        j = text.find(opener, i)
        if j < 0:
            out.append(text[i:])
            return "".join(out)
        k = j + len(opener)
        while k < len(text) and text[k] in " \n":
            k += 1
        if text.startswith("array(", k):
            k += len("array")
        if k >= len(text) or text[k] not in "([":
            out.append(text[i:k])
            i = k
            continue
        end = matching(text, k)
        out.append(text[i : j + len(opener)] + "…")
        i = end  # what follows (", shape=..., dtype=...)") is kept


def matching(text: str, start: int) -> int:
    depth = 0
    for k in range(start, len(text)):
        if text[k] in "([":
            depth += 1
        elif text[k] in ")]":
            depth -= 1
            if depth == 0:
                return k + 1
    return len(text)


# ------------------------------------------------------------- comparing


def compare(engine: dict, real: dict, code: str) -> Outcome:
    if "engine_failure" in engine:
        return Outcome("disagree", [Difference("engine", engine["engine_failure"], "a run document")])
    if "oracle_failure" in real:
        return Outcome("disagree", [Difference("oracle", "a run document", real["oracle_failure"])])
    eerr = engine.get("error") or {}
    rerr = real.get("error") or {}
    if eerr.get("type") in ("NotSupportedError", "LimitError"):
        return refused(engine, real, eerr)
    if real.get("timeout"):
        return Outcome("disagree", [Difference("ok", verdict_text(engine), f"real run {real['timeout']}")])

    diffs: list[Difference] = []
    out = Outcome("agree", diffs)
    if real.get("verdict_varies"):
        return Outcome("refused", [], reason="real verdict depends on the random seed")
    if engine.get("ok") != real.get("ok"):
        diffs.append(Difference("ok", verdict_text(engine), verdict_text(real)))
    elif eerr or rerr:
        compare_error("error", eerr, rerr, diffs, out)

    compare_caught(engine.get("caught", []), real.get("caught", []), diffs, out)
    compare_variables(engine, real, code, diffs)
    compare_text("stdout", engine.get("stdout", ""), real.get("stdout", ""), real.get("stdout_varies"), diffs)
    if diffs:
        out.kind = "disagree"
    return out


def refused(engine: dict, real: dict, eerr: dict) -> Outcome:
    rerr = real.get("error") or {}
    # Refusing is honest only where real TF got that far.
    if rerr and rerr.get("line") is not None and eerr.get("line") and rerr["line"] < eerr["line"]:
        return Outcome("disagree", [Difference("ok", verdict_text(engine), verdict_text(real))])
    why = f"{eerr['type']} on line {eerr.get('line')}: {ANSI.sub('', eerr.get('message', ''))[:160]}"
    if real.get("timeout"):
        why += f" (real run {real['timeout']})"
    return Outcome("refused", [], reason=why)


def verdict_text(doc: dict) -> str:
    if doc.get("timeout"):
        return f"no verdict ({doc['timeout']})"
    e = doc.get("error")
    if not e:
        return "ok"
    return f"{e['type']} on line {e.get('line')}"


def compare_error(field: str, e: dict, r: dict, diffs: list, out: Outcome) -> None:
    if e.get("type") != r.get("type"):
        diffs.append(Difference(f"{field}.type", e.get("type"), r.get("type")))
        return
    if e.get("line") != r.get("line"):
        diffs.append(Difference(f"{field}.line", e.get("line"), r.get("line")))
    out.messages_compared += 1
    em, rm = without_install_path(e.get("message", "")), without_install_path(r.get("message", ""))
    if em == rm:
        out.messages_exact += 1
        return
    if r.get("message_varies") and mask_values(em) == mask_values(rm):
        return
    if same_but_last_digits(em, rm):
        return
    diffs.append(Difference(f"{field}.message", e.get("message"), r.get("message")))


def without_install_path(message: str) -> str:
    return INSTALL_PATH.sub('File "<site-packages>/', message)


def compare_caught(engine: list, real: list, diffs: list, out: Outcome) -> None:
    if len(engine) != len(real):
        diffs.append(
            Difference("caught", [verdict_text({"error": c}) for c in engine], [verdict_text({"error": c}) for c in real])
        )
        return
    for i, (e, r) in enumerate(zip(engine, real)):
        compare_error(f"caught[{i}]", e, r, diffs, out)


def compare_text(field: str, engine: str, real: str, varies: bool, diffs: list) -> None:
    if engine == real:
        return
    # Progress bars are compared as a terminal finally shows them, with
    # their timings and metric values masked (mask_progress).
    e, r = mask_progress(engine), mask_progress(real)
    if e == r or (varies and mask_values(e) == mask_values(r)):
        return
    if same_but_last_digits(e, r):
        return
    diffs.append(Difference(field, engine, real))


# Keras' progress lines (keras/src/utils/progbar.py, Keras 3.15): verbose=1's
# "\x1b[1m3/3\x1b[0m ━━━ \x1b[1m0s\x1b[0m 6ms/step - loss: 1.7769" and
# verbose=2's "3/3 - 0s - 23ms/step - loss: 1.7510".
# Keras 3's bar ("\x1b[1m4/4\x1b[0m ━━━"), verbose=2's line ("4/4 - 0s - "),
# tf-keras' bar ("4/4 [=====").
PROGRESS_LINE = re.compile(r"^(?:\x1b\[1m)?\s*\d+/\d+(?:\x1b\[0m | - \d+s - | \[)")
PROGRESS_CLOCK = re.compile(r"\x1b\[1m(?:\d+:)*\d+s\x1b\[0m")  # ETA / elapsed
PROGRESS_ELAPSED_V2 = re.compile(r"^(\s*\d+/\d+) - \d+s - ")
PROGRESS_PER_STEP = re.compile(r" \d+(?:s|ms|us)/(step|epoch)")
PROGRESS_ELAPSED_K2 = re.compile(r"\] - \d+s ")  # tf-keras: "] - 0s 3ms/step"
PROGRESS_ETA_K2 = re.compile(r" - ETA: [\d:]+s?")
PROGRESS_METRIC = re.compile(r"( - [\w.]+: )(?:-?\d+\.\d+(?:e[+-]\d+)?|nan|-?inf)")


def mask_progress(text: str) -> str:
    """Keras' progress bars as a terminal finally shows them, with what
    changes from run to run masked and nothing else. A verbose=1 bar redraws
    its line ('\\b' * width + '\\r') whenever 0.05 s have passed since the
    last draw, so how many intermediate draws there are (and so the
    backspaces and the padding after a shorter redraw) depends on the
    machine's speed: only the last draw of each line is kept. In the
    progress lines, the elapsed time and ETA, the time per step and each
    metric's value (random data and untrained weights) become '#'."""
    if "\r" not in text and not any(PROGRESS_LINE.match(line) for line in text.split("\n")):
        return text
    out = []
    for line in text.split("\n"):
        if "\r" in line:
            shown = line.replace("\b", "").split("\r")[-1].rstrip(" ")
            line = shown if PROGRESS_LINE.match(shown) else line
        if PROGRESS_LINE.match(line):
            line = PROGRESS_CLOCK.sub("\x1b[1m#s\x1b[0m", line)
            line = PROGRESS_ELAPSED_V2.sub(r"\1 - #s - ", line)
            line = PROGRESS_PER_STEP.sub(r" #/\1", line)
            line = PROGRESS_ELAPSED_K2.sub("] - #s ", line)
            line = PROGRESS_ETA_K2.sub(" - ETA: #", line)
            line = PROGRESS_METRIC.sub(r"\1#", line)
        out.append(line)
    return "\n".join(out)


def import_bound_names(code: str) -> set:
    """Names the program binds with import statements: the engine's document
    leaves them out (run.cc), as it leaves modules out."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                names.add(alias.asname or alias.name.split(".")[0])
    return names


def compare_variables(engine: dict, real: dict, code: str, diffs: list) -> None:
    ev, rv = engine.get("variables", {}), real.get("variables", {})
    imported = import_bound_names(code)
    # Values the engine drew from its own generator are not TensorFlow's.
    random_values = any(RANDOM_NOTE in n for n in engine.get("notes", [])) and "seed" in code
    for name in sorted(set(ev) | set(rv)):
        if (rv.get(name) or {}).get("kind") == "module" or (ev.get(name) or {}).get("kind") == "module":
            continue
        if name in imported and name not in ev:
            continue
        if name not in ev or name not in rv:
            diffs.append(
                Difference(f"variables.{name}", kind_text(ev.get(name)), kind_text(rv.get(name)))
            )
            continue
        compare_value(f"variables.{name}", ev[name], rv[name], random_values, diffs)


def kind_text(v) -> str:
    if v is None:
        return "unbound"
    if v.get("kind") == "tensor":
        return f"tensor {v.get('shape')} {v.get('dtype')}"
    return v.get("kind", "?")


def compare_value(field: str, e: dict, r: dict, random_values: bool, diffs: list) -> None:
    kind = r.get("kind")
    if e.get("kind") != kind:
        diffs.append(Difference(field, kind_text(e), kind_text(r)))
        return
    if kind == "tensor":
        for key in ("shape", "dtype"):
            if e.get(key) != r.get(key):
                diffs.append(Difference(f"{field}.{key}", e.get(key), r.get(key)))
                return
        skip = random_values or e.get("values_random")
        if r.get("values") is not None and not skip and not values_close(e.get("values"), r["values"]):
            diffs.append(Difference(f"{field}.values", e.get("values"), r["values"]))
    elif kind in ("list", "tuple"):
        ei, ri = e.get("value"), r.get("value")
        if ei is None or ri is None:
            return
        if len(ei) != len(ri):
            diffs.append(Difference(f"{field}.len", len(ei), len(ri)))
            return
        for i, (x, y) in enumerate(zip(ei, ri)):
            compare_value(f"{field}[{i}]", x, y, random_values, diffs)
    elif kind == "layer":
        for key in ("class", "name"):
            if e.get(key) != r.get(key):
                diffs.append(Difference(f"{field}.{key}", e.get(key), r.get(key)))
    elif kind == "object":
        if e.get("type") != r.get("type"):
            diffs.append(Difference(f"{field}.type", e.get("type"), r.get("type")))
    elif kind == "dict":
        if not r.get("repr_varies") and e.get("repr") != r.get("repr"):
            diffs.append(Difference(f"{field}", e.get("repr"), r.get("repr")))
    elif kind == "float":
        if r.get("value") is not None and not random_values and not values_close([e.get("value")], [r["value"]]):
            diffs.append(Difference(field, e.get("value"), r.get("value")))
    elif e.get("value") != r.get("value"):
        diffs.append(Difference(field, e.get("value"), r.get("value")))


PRINTED_FLOAT = re.compile(r"-?\d+\.\d*(?:e[+-]?\d+)?")
PRINTED_TOLERANCE = 1e-6  # float32 printed with 8 digits: 1 ulp is ~6e-8


def same_but_last_digits(engine: str, real: str) -> bool:
    """Texts that differ only in the last digits of printed floats (and so in
    NumPy's column padding around them): the engine sums in another order
    than TF's kernels (values are compared with VALUE_TOLERANCE; printed ones
    within float32 rounding)."""
    engine, real = squeeze_layout(engine), squeeze_layout(real)
    e_parts, r_parts = PRINTED_FLOAT.split(engine), PRINTED_FLOAT.split(real)
    e_nums, r_nums = PRINTED_FLOAT.findall(engine), PRINTED_FLOAT.findall(real)
    if e_parts != r_parts or len(e_nums) != len(r_nums) or not e_nums:
        return False
    return all(
        math.isclose(float(x), float(y), rel_tol=PRINTED_TOLERANCE)
        for x, y in zip(e_nums, r_nums)
    )


def values_close(engine, real) -> bool:
    if engine is None or len(engine) < len(real):
        return False
    for x, y in zip(engine, real):
        if isinstance(y, bool) or isinstance(x, bool):
            if bool(x) != bool(y):
                return False
        elif isinstance(x, str) or isinstance(y, str) or x is None:
            # Both documents spell non-finite floats "nan", "inf", "-inf".
            if x != y:
                return False
        elif not math.isclose(x, y, rel_tol=VALUE_TOLERANCE, abs_tol=VALUE_TOLERANCE):
            return False
    return True


# ------------------------------------------------------------- accepted


def accepted_reason(rules: list, pid: str, profile: str, diff: Difference) -> str | None:
    for rule in rules:
        if not fnmatch.fnmatchcase(pid, rule["id"]):
            continue
        if rule.get("profile", "*") not in ("*", profile):
            continue
        if not fnmatch.fnmatchcase(diff.field, rule.get("field", "*")):
            continue
        return rule["reason"]
    return None
