"""``python -m scene_finder.bench [--only NAME ...]``: run the benchmark modules, write build/bench.json.

One emulator serves every module. A module that fails is reported (its error printed, its
figures missing) and the others still run; the exit status is then 1.
"""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from . import MODULES
from .common import BUILD, BenchContext, meets_target


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
        if not (isinstance(entry, dict) and isinstance(entry.get("value"), int | float)
                and isinstance(entry.get("unit"), str) and isinstance(entry.get("target"), str)):
            raise TypeError(f"{module}: figure {name!r} is not {{'value': number, 'unit': str, 'target': str}}")
    return figures


def run_modules(names: list[str], emulator, scratch: Path) -> tuple[dict, dict[str, str]]:
    figures: dict = {}
    failures: dict[str, str] = {}
    for name in names:
        print(f"== {name}", file=sys.stderr, flush=True)
        folder = scratch / name
        folder.mkdir(parents=True, exist_ok=True)
        emulator.reset()
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


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    names = args.only or list(MODULES)
    from ..emulator import Emulator

    args.output.parent.mkdir(parents=True, exist_ok=True)
    with Emulator(cache_dir=args.cache) as emulator, \
            tempfile.TemporaryDirectory(prefix="bench-", dir=args.output.parent) as scratch:
        figures, failures = run_modules(names, emulator, Path(scratch))
    merged = {}
    if args.only and args.output.exists():  # a partial run updates its own figures only
        try:
            merged = json.loads(args.output.read_text(encoding="utf-8"))
        except ValueError:
            merged = {}
    merged.update(figures)
    args.output.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2, sort_keys=True))
    for name, entry in sorted(figures.items()):
        verdict = {True: "ok", False: "MISSED", None: "?"}[meets_target(entry["value"], entry["target"])]
        print(f"{verdict:>6}  {name}: {entry['value']:g} {entry['unit']} (target {entry['target']})",
              file=sys.stderr)
    for name, error in failures.items():
        print(f"FAILED  module {name}: {error}", file=sys.stderr)
    print(f"written to {args.output}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
