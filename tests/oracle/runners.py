"""The two sides of the comparison: the engine (`attn-run --json`) and real
TensorFlow + Keras (a long-lived real_tf.py worker per profile)."""

from __future__ import annotations

import json
import os
import pathlib
import select
import subprocess
import sys
import time

from corpus import ROOT

# AP_ATTN_RUN: another build of the engine (e.g. a sanitizer or work-in-progress one).
ATTN_RUN = pathlib.Path(os.environ.get("AP_ATTN_RUN", ROOT / "build-native" / "attn-run"))
VENV_PYTHON = ROOT / ".venv-oracle" / "bin" / "python"
PROFILES = ("keras3", "tf_keras")


def run_engine(code: str, profile: str, seed: int, attn_run: pathlib.Path = ATTN_RUN) -> dict:
    proc = subprocess.run(
        [str(attn_run), "--json", "--profile", profile, "--seed", str(seed), "-"],
        input=code.encode("utf-8", "surrogatepass"),
        capture_output=True,
        timeout=120,
    )
    if proc.returncode != 0:
        return {"engine_failure": f"attn-run exited {proc.returncode}: {proc.stderr.decode()[-500:]}"}
    doc = json.loads(proc.stdout)
    doc.pop("steps", None)  # the trace is the engine's own; not compared
    return doc


class RealWorker:
    """real_tf.py in the oracle venv, for one profile. Restarted after a
    program it could not finish (the alarm inside did not stop it)."""

    def __init__(self, profile: str):
        self.profile = profile
        self.proc = None
        self.versions: dict = {}
        self.restarts = 0

    def start(self) -> None:
        env = dict(os.environ)
        env.pop("TF_USE_LEGACY_KERAS", None)
        if self.profile == "tf_keras":
            env["TF_USE_LEGACY_KERAS"] = "1"
        env.setdefault("CUDA_VISIBLE_DEVICES", "")
        read_fd, write_fd = os.pipe()
        self.proc = subprocess.Popen(
            [str(VENV_PYTHON), str(pathlib.Path(__file__).with_name("real_tf.py")), "--out-fd", str(write_fd)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=open(ROOT / "test-results" / f"oracle-{self.profile}.stderr.log", "ab"),
            pass_fds=(write_fd,),
            env=env,
            text=True,
        )
        os.close(write_fd)
        self.channel = os.fdopen(read_fd, "r")
        hello = self._read(timeout=180)
        if hello is None or not hello.get("ready"):
            raise RuntimeError(f"the {self.profile} oracle did not start (see test-results/oracle-{self.profile}.stderr.log)")
        self.versions = hello["versions"]

    def _read(self, timeout: float):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.channel], [], [], left)
            if ready:
                line = self.channel.readline()
                return json.loads(line) if line else None

    def stop(self) -> None:
        if self.proc:
            self.proc.kill()
            self.proc.wait()
            self.channel.close()
            self.proc = None

    def run(self, pid: str, code: str, seed: int, timeout_s: float = 20.0) -> dict:
        if self.proc is None:
            self.start()
        request = {"id": pid, "code": code, "seed": seed, "timeout_s": timeout_s}
        try:
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            doc = self._read(timeout_s + 30)
        except (BrokenPipeError, OSError):
            doc = None
        if doc is None:  # hung in native code, or died (e.g. out of memory)
            code_ = self.proc.poll()
            self.stop()
            self.restarts += 1
            how = f"died (exit {code_})" if code_ is not None else f"did not finish in {timeout_s:g} s"
            return {"timeout": how, "ok": False, "error": None, "caught": [], "variables": {}, "stdout": ""}
        return doc


def check_ready() -> str | None:
    if not ATTN_RUN.exists():
        return f"{ATTN_RUN} is missing: build it (cmake --build build-native --target attn-run)"
    if not VENV_PYTHON.exists():
        return ".venv-oracle is missing: run bash scripts/setup-oracle.sh"
    return None


if __name__ == "__main__":
    sys.exit("a module of tests/oracle/oracle.py")
