"""``python -m scene_finder.bench [--only NAME ...]``: run the benchmark modules, write build/bench.json.

One emulator serves every module. A module that fails is reported (its error printed, its
figures missing) and the others still run; the exit status is then 1. Every process of the run
(this one and its children) has a throwaway HOME and XDG folders, so that nothing lands in the
user's own folders or QGIS profile. ``--only`` rewrites the figures it measured and keeps the
others marked ``older``, each with the metadata of the run that measured it.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from . import MODULES
from .common import BUILD, BenchContext, meets_target
from .metadata import run_metadata


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m scene_finder.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=MODULES, metavar="NAME",
                        help=f"run only this module (repeatable): {', '.join(MODULES)}")
    parser.add_argument("--output", type=Path, default=BUILD / "bench.json", help="where to write the figures")
    parser.add_argument("--cache", type=Path, default=BUILD / "emulator-cache", help="the emulator's file cache")
    return parser.parse_args(argv)


def _check(figures: object, module: str) -> dict:
    if not isinstance(figures, dict):
        raise TypeError(f"{module}.run() returned {type(figures).__name__}, not a dict")
    for name, entry in figures.items():
        if not (isinstance(entry, dict) and isinstance(entry.get("value"), (int, float))
                and isinstance(entry.get("unit"), str) and isinstance(entry.get("target"), str)):
            raise TypeError(f"{module}: figure {name!r} is not {{'value': number, 'unit': str, 'target': str}}")
    return figures


def throwaway_home(scratch: Path) -> Path:
    """Point HOME and the XDG folders of this process and its children at ``scratch``."""
    home = scratch / "home"
    for name, sub in (("HOME", ""), ("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share"),
                      ("XDG_CACHE_HOME", ".cache")):
        path = home / sub
        path.mkdir(parents=True, exist_ok=True)
        os.environ[name] = str(path)
    return home


def run_modules(names: list[str], emulator, scratch: Path) -> tuple[dict, dict[str, str]]:
    figures: dict = {}
    failures: dict[str, str] = {}
    for name in names:
        print(f"== {name}", file=sys.stderr, flush=True)
        folder = scratch / name
        folder.mkdir(parents=True, exist_ok=True)
        emulator.reset()
        emulator.set_shape()
        started = time.monotonic()
        try:
            module = importlib.import_module(f".{name}", __package__)
            figures.update(_check(module.run(BenchContext(emulator=emulator, scratch=folder)), name))
        except Exception as exc:  # one broken module must not hide the others' figures
            traceback.print_exc()
            failures[name] = f"{type(exc).__name__}: {exc}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        print(f"   {name}: {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)
    return figures, failures


def merge(previous: dict, run: dict, figures: dict) -> dict:
    """This run's figures; those of an earlier run that this one did not measure, marked ``older``."""
    merged = {name: dict(entry) for name, entry in figures.items()}
    old_run = previous.get("run") if isinstance(previous.get("run"), dict) else {}
    old_figures = previous.get("figures") if isinstance(previous.get("figures"), dict) else {}
    for name, entry in old_figures.items():
        if name in merged or not isinstance(entry, dict):
            continue
        merged[name] = {**entry, "older": True, "run": entry.get("run") or old_run}
    return {"run": run, "figures": dict(sorted(merged.items()))}


def table(figures: dict) -> str:
    """The figures as a Markdown table (what the README shows)."""
    lines = ["| figure | value | target | |", "|---|---|---|---|"]
    for name, entry in figures.items():
        verdict = {True: "ok", False: "missed", None: "?"}[meets_target(entry["value"], entry["target"])]
        older = " (older run)" if entry.get("older") else ""
        lines.append(f"| `{name}` | {entry['value']:g} {entry['unit']} | {entry['target']} | {verdict}{older} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    names = args.only or list(MODULES)
    from ..emulator import Emulator

    args.output.parent.mkdir(parents=True, exist_ok=True)
    run = run_metadata(names)
    with tempfile.TemporaryDirectory(prefix="bench-", dir=args.output.parent) as scratch:
        throwaway_home(Path(scratch))
        # 55,000 scenes: a 50,000-scene search still finds 50,000 when the 2 % without cloud cover are left out
        with Emulator(cache_dir=args.cache, landsat_scenes=55_000) as emulator:
            figures, failures = run_modules(names, emulator, Path(scratch))
    run["seconds"] = round(time.time() - run["started_unix"], 1)
    run["failed_modules"] = failures
    previous = {}
    if args.only and args.output.exists():  # a partial run keeps the other figures, marked older
        try:
            previous = json.loads(args.output.read_text(encoding="utf-8"))
        except ValueError:
            previous = {}
    result = merge(previous, run, figures)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Scene Finder bench, commit {run['commit']}, {run['date']}, {run['cores']} cores, "
          f"Python {run['python']}, QGIS {run['qgis']}")
    print(table(result["figures"]))
    for name, error in failures.items():
        print(f"FAILED  module {name}: {error}", file=sys.stderr)
    print(f"written to {args.output}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
