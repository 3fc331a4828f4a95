"""What benchmark modules share: the context handed to ``run(ctx)`` and measuring helpers."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
BUILD = REPO_ROOT / "build"


def figure(value: float, unit: str, target: str) -> dict:
    """One benchmark figure, as it appears in build/bench.json."""
    return {"value": float(value), "unit": unit, "target": target}


def meets_target(value: float, target: str) -> bool | None:
    """Whether ``value`` satisfies a target such as "<= 1.5", ">= 0.9" or "< 100" (None: unreadable)."""
    parts = target.split()
    if len(parts) != 2:
        return None
    operator, bound = parts
    try:
        limit = float(bound)
    except ValueError:
        return None
    checks = {"<=": value <= limit, "<": value < limit, ">=": value >= limit, ">": value > limit,
              "==": value == limit}
    return checks.get(operator)


@contextlib.contextmanager
def emulator_for(ctx) -> Iterator[object]:
    """The emulator the runner started (``ctx.emulator`` or ``ctx["emulator"]``), else one of our own.

    Our own serves from build/emulator-cache and stops when the block ends.
    """
    running = getattr(ctx, "emulator", None) or (ctx.get("emulator") if isinstance(ctx, dict) else None)
    if running is not None:
        yield running
        return
    from ..emulator import Emulator

    with Emulator(cache_dir=BUILD / "emulator-cache") as started:
        yield started


def child_env() -> dict[str, str]:
    """The environment for a child Python that must import ``scene_finder`` like this process does."""
    env = dict(os.environ)
    roots = [p for p in sys.path if p and (Path(p) / "scene_finder").exists()]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys([*roots, *filter(None, [env.get("PYTHONPATH")])]))
    return env


@dataclass
class ChildRun:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float  # high-water mark of the child's resident memory


def _vm_hwm_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def run_child(args: list[str], *, timeout: float = 600.0, env: dict[str, str] | None = None) -> ChildRun:
    """Run a child process and measure its peak RSS.

    Linux's high-water mark (VmHWM) is read while it runs: getrusage's ru_maxrss is no use here,
    as Linux carries the parent's peak into a child across fork and exec. Elsewhere psutil's RSS
    samples give a lower bound.
    """
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env if env is not None else child_env())
    peak_kb = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_kb
        psutil_process = None
        while not done.is_set():
            value = _vm_hwm_kb(process.pid)
            if value is None:
                try:
                    import psutil

                    psutil_process = psutil_process or psutil.Process(process.pid)
                    value = psutil_process.memory_info().rss // 1024
                except Exception:  # the child is gone, or psutil is missing
                    value = 0
            peak_kb = max(peak_kb, value)
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
    finally:
        done.set()
        sampler.join()
    return ChildRun(process.returncode, stdout, stderr, time.perf_counter() - started, peak_kb / 1024)


@dataclass
class BenchContext:
    """What ``run(ctx)`` receives."""

    emulator: object  # scene_finder.emulator.Emulator, started, reset before each module
    scratch: Path  # a folder of its own for each module, deleted afterwards
    python: str = sys.executable

    def scratch_dir(self, name: str) -> Path:
        path = self.scratch / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def run_child(self, args: list[str], *, timeout: float = 600.0) -> ChildRun:
        return run_child(args, timeout=timeout)

    def run_python(self, code: str, *args: str, timeout: float = 600.0) -> ChildRun:
        """Run ``code`` in a fresh interpreter (``scene_finder`` importable), measuring peak RSS."""
        return run_child([self.python, "-c", code, *args], timeout=timeout)


# --- the sides of side-by-side figures ------------------------------------------------------------
PEERS_VENV = BUILD / "bench-peers-venv"
PEERS_REQUIREMENTS = Path(__file__).resolve().parent / "requirements-peers.txt"
SIDES = Path(__file__).resolve().parent / "sides.py"


def peers_python() -> str:
    """The bench-only venv with the peer clients (``bench/requirements-peers.txt``), made from PyPI if missing."""
    python = PEERS_VENV / "bin" / "python"
    stamp = PEERS_VENV / ".installed"
    wanted = PEERS_REQUIREMENTS.read_text(encoding="utf-8")
    if python.exists() and stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return str(python)
    print(f"   installing the peer clients into {PEERS_VENV}", file=sys.stderr, flush=True)
    subprocess.run(["/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable, "-m", "venv",
                    str(PEERS_VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r",
                    str(PEERS_REQUIREMENTS)], check=True)
    stamp.write_text(wanted, encoding="utf-8")
    return str(python)


@dataclass
class SideRun:
    seconds: float  # the side's own work, timed in its process after its imports
    count: int
    requests: int  # HTTP requests the emulator saw from it
    peak_rss_mb: float


def run_side(emulator, side: str, job: str, *, base_url: str | None = None, timeout: float = 600.0,
             **args) -> SideRun:
    """Run one side of a figure (see :mod:`.sides`) in a fresh process; every side is started the same way."""
    import json

    python = peers_python() if side in ("usgs", "landsatxplore") else sys.executable
    args["url"] = base_url or emulator.m2m_url
    emulator.log.clear()
    child = run_child([python, str(SIDES), side, job, json.dumps(args)], timeout=timeout)
    if child.returncode != 0:
        raise RuntimeError(f"{side} {job} failed: {child.stderr.strip()[-2000:]}")
    report = json.loads(child.stdout.strip().splitlines()[-1])
    return SideRun(report["seconds"], report["count"], len(emulator.log.entries()), child.peak_rss_mb)
