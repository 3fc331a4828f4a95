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
