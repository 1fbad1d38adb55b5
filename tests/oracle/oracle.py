"""Differential check: every program through the engine (attn-run --json) and
through real TensorFlow + Keras (twice, two seeds), compared field by field.

Prints one line per disagreement (id, profile, field, engine vs real), the
accepted differences met, the programs the engine refused, and last
`N/M agree (exact messages: K/L)`. Exits 1 on a disagreement in the project's
own corpus (files inside the repository). Run through scripts/oracle.sh.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import compare
import corpus
import runners

HERE = pathlib.Path(__file__).resolve().parent
ACCEPTED = HERE / "accepted.json"
ENGINE_SEEDS = (0, 1)
REAL_SEEDS = (1, 2)


def load_accepted() -> list:
    return json.loads(ACCEPTED.read_text(encoding="utf-8"))["differences"]


class Judge:
    """Runs programs on both sides for one profile and compares them."""

    def __init__(self, profile: str, timeout_s: float):
        self.profile = profile
        self.timeout_s = timeout_s
        self.worker = runners.RealWorker(profile)
        self.pool = ThreadPoolExecutor(max_workers=2)

    def real(self, prog: corpus.Program) -> dict:
        first = self.worker.run(prog.id, prog.code, REAL_SEEDS[0], self.timeout_s)
        if first.get("timeout"):  # a second seed would not finish either
            return compare.merge_seeds(first, first)
        return compare.merge_seeds(first, self.worker.run(prog.id, prog.code, REAL_SEEDS[1], self.timeout_s))

    def engine(self, prog: corpus.Program):
        """Engine documents for both seeds, started in the background."""
        return [self.pool.submit(runners.run_engine, prog.code, self.profile, s) for s in ENGINE_SEEDS]

    def judge(self, prog: corpus.Program) -> tuple[compare.Outcome, dict, dict]:
        pending = self.engine(prog)
        real = self.real(prog)
        docs = [f.result() for f in pending]
        engine = engine_merged(docs)
        return compare.compare(engine, real, prog.code), engine, real

    def close(self) -> None:
        self.worker.stop()
        self.pool.shutdown()


def engine_merged(docs: list) -> dict:
    """The engine's document, with values that changed with its seed
    (its own random numbers, not TensorFlow's) removed from comparison."""
    a, b = docs
    if "engine_failure" in a or "engine_failure" in b:
        return a if "engine_failure" in a else b
    out = dict(a)
    out["variables"] = {}
    for name, v in a.get("variables", {}).items():
        out["variables"][name] = strip_varying(v, b.get("variables", {}).get(name))
    return out


def strip_varying(a, b):
    if not isinstance(a, dict) or not isinstance(b, dict):
        return a
    out = dict(a)
    if a.get("kind") == "tensor" and a.get("values") != b.get("values"):
        out["values_random"] = True
    if a.get("kind") in ("list", "tuple") and isinstance(a.get("value"), list) and isinstance(b.get("value"), list):
        out["value"] = [strip_varying(x, y) for x, y in zip(a["value"], b["value"])]
    return out


def verdict_record(real: dict) -> dict:
    """What a corpus file keeps of a real run: the compared fields."""

    def strip(e: dict) -> dict:  # plain_message is derived from message
        return {k: v for k, v in e.items() if k != "plain_message"}

    out = {
        "ok": real["ok"],
        "error": strip(real["error"]) if real.get("error") else None,
        "caught": [strip(c) for c in real.get("caught", [])],
        "variables": real.get("variables", {}),
        "stdout": real.get("stdout", ""),
    }
    for flag in ("stdout_varies", "verdict_varies", "timeout"):
        if real.get(flag):
            out[flag] = real[flag]
    return out


def record(args, programs: list) -> int:
    """Runs the programs of the repository's JSON corpus files in real TF
    and writes each profile's verdict into its case (`verdicts`); the
    scenario manifest gets its pinned keras3 verdicts."""
    files: dict = {}
    for prog in programs:
        if prog.own and prog.source.suffix == ".json":
            files.setdefault(prog.source, []).append(prog)
    for profile in args.profile:
        judge = Judge(profile, args.timeout)
        judge.worker.start()
        try:
            for progs in files.values():
                for prog in progs:
                    if "+fix" in prog.id:
                        continue  # a fix is judged live, not pinned
                    prog.case.setdefault("verdicts", {})[profile] = verdict_record(judge.real(prog))
        finally:
            judge.close()
    for path, progs in files.items():
        original = json.loads(path.read_text(encoding="utf-8"))
        data = json.loads(json.dumps(original))
        if isinstance(data, dict) and "scenarios" in data:
            pin_scenarios(data, progs)
        else:
            by_id = {p.case.get("id"): p.case for p in progs}
            data = [by_id.get(c.get("id"), c) for c in data]
        where = path.relative_to(corpus.ROOT)
        if data == original:
            print(f"unchanged: {where}")
            continue
        indent = 2 if isinstance(data, dict) else 1  # the manifest is hand-edited too
        path.write_text(json.dumps(data, indent=indent, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"recorded {len(progs)} programs x {len(args.profile)} profiles -> {where}")
    return 0


def pin_scenarios(manifest: dict, progs: list) -> None:
    by_id = {p.id: p.case for p in progs}
    for s in manifest["scenarios"]:
        real = by_id[s["id"]].pop("verdicts", {}).get("keras3")
        if real is None:
            continue
        pinned = {"ok": real["ok"]}
        if real.get("error"):
            e = real["error"]
            pinned.update(error_type=e["type"], error_line=e["line"])
            old = s["keras_verdict"].get("message_contains", "")
            plain = compare.ANSI.sub("", e["message"])
            pinned["message_contains"] = old if old and old in plain else plain.splitlines()[0][:200]
        s["keras_verdict"] = pinned


def run_recorded(args, programs: list) -> int:
    """The engine against the verdicts recorded in the corpus files: no
    TensorFlow needed (ctest runs this, also on the sanitizer build)."""
    rules = load_accepted()
    failed = agree = total = exact = messages = 0
    for prog in programs:
        for profile, real in prog.case.get("verdicts", {}).items():
            if profile not in args.profile:
                continue
            docs = [runners.run_engine(prog.code, profile, s) for s in ENGINE_SEEDS]
            outcome = compare.compare(engine_merged(docs), real, prog.code)
            remaining = [d for d in outcome.differences if not compare.accepted_reason(rules, prog.id, profile, d)]
            for d in remaining:
                print(f"DIFF {prog.id} [{profile}] {d.text()}")
            failed += bool(remaining)
            total += 1
            agree += not remaining and outcome.kind != "refused"
            exact += outcome.messages_exact
            messages += outcome.messages_compared
    print(f"{agree}/{total} agree with the recorded verdicts (exact messages: {exact}/{messages})")
    if total == 0:
        print("oracle: no recorded verdicts in these corpora", file=sys.stderr)
        return 1
    return 1 if failed else 0


def run(args) -> int:
    if args.recorded:
        programs = corpus.load_all(args.corpus or corpus.DEFAULT_CORPORA)
        if not runners.ATTN_RUN.exists():
            print(f"oracle: {runners.ATTN_RUN} is missing", file=sys.stderr)
            return 2
        return run_recorded(args, programs)
    problem = runners.check_ready()
    if problem:
        print(f"oracle: {problem}", file=sys.stderr)
        return 2
    try:
        programs = corpus.load_all(args.corpus or corpus.DEFAULT_CORPORA)
    except corpus.CorpusError as e:
        print(f"oracle: {e}", file=sys.stderr)
        return 2
    if args.only:
        programs = [p for p in programs if any(s in p.id for s in args.only)]
    if args.record:
        return record(args, programs)
    (corpus.ROOT / "test-results").mkdir(exist_ok=True)
    rules = load_accepted()
    report = {"profiles": {}, "programs": []}
    failed_own = False
    totals = {"agree": 0, "all": 0, "exact": 0, "messages": 0}
    started = time.monotonic()
    for profile in args.profile:
        judge = Judge(profile, args.timeout)
        judge.worker.start()
        report["profiles"][profile] = judge.worker.versions
        print(f"== {profile}: {versions_text(judge.worker.versions)}, {len(programs)} programs", flush=True)
        mismatch = frameworks_mismatch(profile, judge.worker.versions)
        if mismatch:
            print(f"DIFF (engine) [{profile}] frameworks: {mismatch}", flush=True)
            failed_own = True
        accepted_seen = {}
        refused = []
        try:
            for prog in programs:
                outcome, engine, real = judge.judge(prog)
                remaining = []
                for d in outcome.differences:
                    reason = compare.accepted_reason(rules, prog.id, profile, d)
                    if reason:
                        accepted_seen.setdefault(reason, []).append(f"{prog.id} {d.field}")
                    else:
                        remaining.append(d)
                kind = outcome.kind if remaining or outcome.kind == "refused" else "agree"
                for d in remaining:
                    print(f"DIFF {prog.id} [{profile}] {d.text()}", flush=True)
                    failed_own |= prog.own
                if kind == "refused":
                    refused.append((prog.id, outcome.reason))
                totals["all"] += 1
                totals["agree"] += kind == "agree"
                totals["exact"] += outcome.messages_exact
                totals["messages"] += outcome.messages_compared
                report["programs"].append(
                    {"id": prog.id, "profile": profile, "outcome": kind, "own": prog.own,
                     "differences": [vars(d) for d in remaining], "reason": outcome.reason,
                     "real": real, "engine_error": engine.get("error")}
                )
        finally:
            judge.close()
        for pid, why in refused:
            print(f"REFUSED {pid} [{profile}] {why}")
        for reason, where in accepted_seen.items():
            print(f"ACCEPTED ({len(where)}x, e.g. {where[0]}) {reason}")
    for rule in GENERAL_RULES:
        print(f"ACCEPTED (rule) {rule}")
    report["totals"] = totals
    if args.report:
        pathlib.Path(args.report).write_text(json.dumps(report, indent=1, default=str))
    print(f"time: {time.monotonic() - started:.0f} s")
    print(f"{totals['agree']}/{totals['all']} agree (exact messages: {totals['exact']}/{totals['messages']})")
    return 1 if failed_own else 0


GENERAL_RULES = [
    "random values are not TensorFlow's: a value that changes with the seed (in real TF or in the engine) "
    "is compared by shape and dtype only",
    "numpy value dumps inside messages and printed tensors whose numbers change with the seed are compared "
    "with the numbers masked (they may be abbreviated differently)",
    "floats printed in messages and stdout may differ from TensorFlow's in the last digits (relative 1e-6: "
    "float32 sums in another order); the text around them must be identical",
    "the oracle runs TensorFlow's reference CPU kernels (TF_ENABLE_ONEDNN_OPTS=0); on CPUs where TensorFlow "
    "turns oneDNN on by default (AVX512_VNNI and newer) MatMul errors name __MklMatMul instead",
    "a SyntaxError's text is compared without CPython's ' (<file>, line N)' suffix, which names the file the "
    "program was saved in; the line is compared on its own",
    "Keras' progress bars (fit/evaluate/predict) are compared as a terminal finally shows them: how often a "
    "bar redraws depends on the machine's speed, and its timings and metric values (random data, untrained "
    "weights) are masked; step counts, metric names and every other printed text must be identical",
]


def frameworks_mismatch(profile: str, real: dict) -> str | None:
    """The releases the engine's document names against the ones the oracle
    runs (major.minor)."""
    named = runners.run_engine("x = 1\n", profile, 0).get("frameworks", {})
    keras = real["tf_keras"] if profile == "tf_keras" else real["keras"]
    want = {"tensorflow": minor(real["tensorflow"]), "keras": minor(keras)}
    have = {k: named.get(k) for k in want}
    return None if have == want else f"engine names {have}, the oracle runs {want}"


def minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def versions_text(v: dict) -> str:
    return ", ".join(f"{k} {v[k]}" for k in ("tensorflow", "keras", "tf_keras") if k in v)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", action="append", choices=runners.PROFILES,
                        help="keras3 (TF 2.21 + Keras 3.15) or tf_keras (TF 2.21 + tf-keras 2.21); default both")
    parser.add_argument("--corpus", action="append", help="a corpus file or folder (repeatable)")
    parser.add_argument("--only", action="append", help="only programs whose id contains this")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per real run")
    parser.add_argument("--report", help="write every outcome as JSON here")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--record", action="store_true",
                      help="write real TF's verdicts into the repository's JSON corpus files")
    mode.add_argument("--recorded", action="store_true",
                      help="compare the engine with the recorded verdicts (no TensorFlow needed)")
    args = parser.parse_args()
    args.profile = args.profile or list(runners.PROFILES)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
