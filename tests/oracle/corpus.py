"""Loads the programs the oracle judges, from every corpus format the project
has: a JSON list of cases ({"id", "code", ...}: tests/corpus/*.json and the
shared corpus files, as they are), the scenario manifest
(web/scenarios/index.json, with each one-click fix applied as a program of
its own), and folders or single .py files (the fuzz regressions)."""

from __future__ import annotations

import json
import pathlib
from dataclasses import dataclass, field

ROOT = pathlib.Path(__file__).resolve().parents[2]

# The project's own corpus: a disagreement here fails scripts/oracle.sh.
DEFAULT_CORPORA = [
    "tests/corpus",
    "web/scenarios/index.json",
    "tests/fuzz/regressions",
]


@dataclass
class Program:
    id: str
    code: str
    source: pathlib.Path  # the file it came from
    case: dict = field(default_factory=dict)  # the corpus entry, for --record

    @property
    def own(self) -> bool:
        """Part of the project's corpus (inside the repository)."""
        try:
            self.source.resolve().relative_to(ROOT)
            return True
        except ValueError:
            return False


class CorpusError(Exception):
    pass


def load(path_text: str) -> list[Program]:
    path = pathlib.Path(path_text)
    if not path.is_absolute():
        path = (pathlib.Path.cwd() / path) if path.exists() else ROOT / path
    if not path.exists():
        raise CorpusError(f"{path_text}: no such file or folder")
    if path.is_dir():
        programs = []
        for child in sorted(path.iterdir()):
            if child.suffix in (".json", ".py") and child.is_file():
                programs += load(str(child))
        return programs
    if path.suffix == ".py":
        return [Program(path.stem, path.read_text(encoding="utf-8"), path)]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise CorpusError(f"{path_text}: not a JSON corpus ({e})") from e
    if isinstance(data, dict) and "scenarios" in data:
        return scenario_programs(path, data["scenarios"])
    if isinstance(data, list):
        out = []
        for i, case in enumerate(data):
            if not isinstance(case, dict) or not isinstance(case.get("code"), str):
                raise CorpusError(f"{path_text}: case {i} has no string 'code'")
            out.append(Program(str(case.get("id", f"{path.stem}#{i}")), case["code"], path, case))
        return out
    raise CorpusError(f"{path_text}: expected a list of cases or a scenario manifest")


def scenario_programs(manifest: pathlib.Path, scenarios: list) -> list[Program]:
    out = []
    for s in scenarios:
        code = (manifest.parent / s["file"]).read_text(encoding="utf-8")
        out.append(Program(s["id"], code, manifest, s))
        for i, fix in enumerate(s.get("fixes", []), start=1):
            if fix["find"] in code:
                fixed = code.replace(fix["find"], fix["replace"], 1)
                out.append(Program(f"{s['id']}+fix{i}", fixed, manifest, fix))
    return out


def load_all(paths: list[str]) -> list[Program]:
    programs: list[Program] = []
    seen: set[str] = set()
    for p in paths:
        for prog in load(p):
            if prog.id in seen:
                prog.id = f"{prog.id}@{prog.source.name}"
            seen.add(prog.id)
            programs.append(prog)
    return programs
