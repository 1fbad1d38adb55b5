"""Seeded differential fuzzer: generates small playground programs
(program_gen.py), runs each through the engine and real TensorFlow + Keras
(oracle.Judge) and reports every disagreement, minimised line by line.

  .venv-oracle/bin/python tests/oracle/difffuzz.py --count 300 --seed 1 [--profile keras3] [--keep]

Prints `DIFF <id> [<profile>] <field>: engine ... vs real ...` per
disagreement (as oracle.py does), then the minimised program; `REFUSED` for a
program the engine does not model (a generator bug); then one `KIND` line per
kind of disagreement (how often, first program), and last
`fuzz: N programs, A agree, D disagree, R refused (seed S)`. Differences
listed in accepted.json are not disagreements. With --keep each minimised
program is appended to tests/corpus/difffuzz_regressions.json, which
scripts/oracle.sh judges from then on. Exits 1 on a disagreement unless
--no-fail.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
import time

import compare
import corpus
import oracle
import program_gen
import runners

REGRESSIONS = corpus.ROOT / "tests" / "corpus" / "difffuzz_regressions.json"
MAX_MINIMISE_CALLS = 60  # judge calls per disagreeing program


# ------------------------------------------------------------ judging


class Fuzzer:
    """One profile's judge plus the accepted-difference rules."""

    def __init__(self, profile: str, timeout_s: float):
        self.profile = profile
        self.judge = oracle.Judge(profile, timeout_s)
        self.rules = oracle.load_accepted()

    def differences(self, pid: str, code: str):
        """(kind, remaining differences, outcome) for one program."""
        outcome = self.run(pid, code)
        left = [d for d in outcome.differences
                if not compare.accepted_reason(self.rules, pid, self.profile, d)]
        kind = outcome.kind if left or outcome.kind == "refused" else "agree"
        return kind, left, outcome

    def run(self, pid: str, code: str) -> compare.Outcome:
        outcome, _, _ = self.judge.judge(corpus.Program(pid, code, REGRESSIONS))
        return outcome

    def close(self) -> None:
        self.judge.close()


VERDICT_FIELDS = ("ok", "error.type", "error.line")


def field_key(field: str) -> str:
    """A difference's field with list indices dropped: removing an earlier
    try block renumbers caught[1] to caught[0] but it is the same finding.
    The verdict fields are one key: cutting the statements after a wrongly
    raised error turns "error.type" into "ok" but it is the same finding."""
    return "verdict" if field in VERDICT_FIELDS else re.sub(r"\[\d+\]", "[]", field)


def kind_of(d) -> str:
    """What kind of disagreement this is, for the summary: the field without
    indices or variable names, and for texts the part that differs, with
    digits masked (the same wrong wording met with other shapes is one kind)."""
    key = re.sub(r"^variables\.[^.\[]+", "variables.*", re.sub(r"\[\d+\]", "[]", d.field))
    key = re.sub(r"^(error|caught\[\])\.", "", key)  # a caught error is worded as an uncaught one
    e, r = d.engine, d.real
    if isinstance(e, str) and isinstance(r, str):
        e, r = (re.sub(r"\b\d+\b", "#", compare.ANSI.sub("", s)) for s in (e, r))
        if key == "ok":  # verdicts: "X on line N" / "ok"
            return f"ok: engine {e} vs real {r}"
        head = len(common_prefix(e, r))
        tail = len(common_prefix(e[head:][::-1], r[head:][::-1]))
        e, r = e[head:len(e) - tail], r[head:len(r) - tail]
        return f"{key}: engine {compare.show(e[:40])} vs real {compare.show(r[:40])}"
    return f"{key}: engine {compare.show(e, 60)} vs real {compare.show(r, 60)}"


def common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    # back up to a word start, so "BatchMatMul" vs "MatMul" reads as such
    while n > 0 and a[n - 1].isalnum():
        n -= 1
    return a[:n]


# ------------------------------------------------------------ minimising


class Minimiser:
    """Delta debugging over lines, bounded in judge calls: a candidate is kept
    when it still parses and still disagrees on the same field."""

    def __init__(self, fuzzer: Fuzzer, pid: str, key: str):
        self.fuzzer, self.pid, self.key = fuzzer, pid, key
        self.budget = MAX_MINIMISE_CALLS

    def still_fails(self, lines: list) -> bool:
        code = "\n".join(lines) + "\n"
        try:
            ast.parse(code)
        except SyntaxError:
            return False  # free: no judge call spent
        if self.budget <= 0:
            return False
        self.budget -= 1
        _, left, _ = self.fuzzer.differences(self.pid, code)
        return any(field_key(d.field) == self.key for d in left)

    def minimise(self, code: str) -> str:
        lines = code.rstrip("\n").split("\n")
        n_head = sum(1 for line in lines if line.startswith(("import ", "from ")))
        head, body = lines[:n_head], lines[n_head:]
        body = self.unwrap_tries(head, body)
        # Whole statements (a try block goes in one piece), then the lines
        # inside the try blocks that are left (a handler's print or fallback).
        body = flat(self.ddmin(head, statements(body)))
        body = self.inner_lines(head, body)
        return "\n".join(head + body) + "\n"

    def ddmin(self, head: list, units: list) -> list:
        """Remove runs of units, halving the run length down to one unit."""
        chunk = max(1, len(units) // 2)
        while chunk >= 1 and self.budget > 0:
            i, removed = 0, False
            while i < len(units) and self.budget > 0:
                trial = units[:i] + units[i + chunk:]
                if trial and self.still_fails(head + flat(trial)):
                    units, removed = trial, True
                else:
                    i += chunk
            if chunk == 1 and not removed:
                break
            chunk = chunk // 2 if chunk > 1 else 1
        return units

    def inner_lines(self, head: list, body: list) -> list:
        """Drop single indented lines, one at a time (top-level statements
        were tried whole already; a removal that breaks parsing is free)."""
        i = 0
        while i < len(body) and self.budget > 0:
            trial = body[:i] + body[i + 1:]
            if body[i].startswith(" ") and self.still_fails(head + trial):
                body = trial
            else:
                i += 1
        return body

    def unwrap_tries(self, head: list, body: list) -> list:
        """Replace each try/except by its try body, dedented: the reproducer
        is clearer without the handler when the finding survives."""
        for start, end, inner in reversed(try_blocks(body)):
            trial = body[:start] + inner + body[end:]
            if self.still_fails(head + trial):
                body = trial
        return body


def flat(units: list) -> list:
    return [line for unit in units for line in unit]


def statements(body: list) -> list:
    """The body's lines grouped by top-level statement."""
    try:
        tree = ast.parse("\n".join(body) + "\n")
    except SyntaxError:
        return [[line] for line in body]
    return [body[node.lineno - 1:node.end_lineno] for node in tree.body]


def try_blocks(body: list):
    """(first line, line after, dedented try body) of top-level try blocks."""
    try:
        tree = ast.parse("\n".join(body) + "\n")
    except SyntaxError:
        return []
    out = []
    for node in tree.body:
        if isinstance(node, ast.Try):
            first, last = node.body[0].lineno - 1, node.body[-1].end_lineno
            inner = [line[4:] if line.startswith("    ") else line for line in body[first:last]]
            out.append((node.lineno - 1, node.end_lineno, inner))
    return out


# ------------------------------------------------------------ keeping


def keep(found: list) -> int:
    """Append minimised disagreements to the regression corpus, skipping
    programs whose code is already there. Returns how many were added."""
    cases = json.loads(REGRESSIONS.read_text(encoding="utf-8")) if REGRESSIONS.exists() else []
    codes = {c["code"] for c in cases}
    added = 0
    for case in found:
        if case["code"] in codes:
            continue
        cases.append(case)
        codes.add(case["code"])
        added += 1
    if added:
        REGRESSIONS.write_text(json.dumps(cases, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return added


# ------------------------------------------------------------ the run


def fuzz_profile(profile: str, programs: list, args, totals: dict, found: list, kinds: dict) -> None:
    fuzzer = Fuzzer(profile, args.timeout)
    fuzzer.judge.worker.start()
    try:
        for pid, code in programs:
            kind, left, outcome = fuzzer.differences(pid, code)
            totals[kind] += 1
            if kind == "refused":  # the generator wrote something the engine does not model
                print(f"REFUSED {pid} [{profile}] {outcome.reason}", flush=True)
            if kind != "disagree":
                continue
            for d in left:
                print(f"DIFF {pid} [{profile}] {d.text()}", flush=True)
                kinds.setdefault(kind_of(d), []).append(f"{pid} [{profile}]")
            report_minimised(fuzzer, pid, code, left[0], found, args)
    finally:
        fuzzer.close()


def report_minimised(fuzzer: Fuzzer, pid: str, code: str, first, found: list, args) -> None:
    """Minimise on the first difference's field and print the result."""
    small = code if args.no_minimise else Minimiser(fuzzer, pid, field_key(first.field)).minimise(code)
    _, left, _ = fuzzer.differences(pid, small)
    same = [d for d in left if field_key(d.field) == field_key(first.field)] or [first]
    print(f"  minimised ({len(small.splitlines())} lines):", flush=True)
    print("".join(f"    | {line}\n" for line in small.splitlines()), end="", flush=True)
    found.append({"id": pid, "category": "difffuzz", "code": small, "found": same[0].text()})


def generate(seed: int, count: int) -> list:
    """(id, code) pairs; program n depends only on (seed, n)."""
    return [(f"difffuzz_{seed}_{n}", program_gen.generate(seed * 1_000_003 + n)) for n in range(count)]


def run(args) -> int:
    problem = runners.check_ready()
    if problem:
        print(f"difffuzz: {problem}", file=sys.stderr)
        return 2
    (corpus.ROOT / "test-results").mkdir(exist_ok=True)
    programs = generate(args.seed, args.count)
    totals = {"agree": 0, "disagree": 0, "refused": 0}
    found: list = []
    kinds: dict = {}  # kind -> where it was met
    started = time.monotonic()
    for profile in args.profile:
        fuzz_profile(profile, programs, args, totals, found, kinds)
    for kind, where in sorted(kinds.items(), key=lambda kv: -len(kv[1])):
        print(f"KIND ({len(where)}x, e.g. {where[0]}) {kind}")
    if args.keep and found:
        print(f"kept {keep(found)} new regression case(s) in {REGRESSIONS.relative_to(corpus.ROOT)}")
    print(f"time: {time.monotonic() - started:.0f} s")
    print(f"fuzz: {args.count * len(args.profile)} programs, {totals['agree']} agree, "
          f"{totals['disagree']} disagree, {totals['refused']} refused (seed {args.seed})")
    return 1 if totals["disagree"] and not args.no_fail else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100, help="programs to generate")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (same seed, same programs)")
    parser.add_argument("--profile", action="append", choices=runners.PROFILES, help="repeatable; default keras3")
    parser.add_argument("--keep", action="store_true", help=f"append minimised disagreements to {REGRESSIONS.name}")
    parser.add_argument("--no-fail", action="store_true", help="exit 0 even when programs disagree")
    parser.add_argument("--no-minimise", action="store_true", help="report programs as generated")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per real run")
    args = parser.parse_args()
    args.profile = args.profile or ["keras3"]
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
