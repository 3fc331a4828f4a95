"""Benchmarks: ``python -m scene_finder.bench`` (``make bench``) writes ``build/bench.json``.

Each module listed in :data:`MODULES` has ``run(ctx) -> dict`` returning figures
``{name: {"value": float, "unit": str, "target": "<= 1.5"}}``; ``ctx`` is a
:class:`.common.BenchContext` (the running emulator, a scratch folder, child-process helpers).
"""

MODULES = ["downloads", "m2m", "carbonmapper", "desktop", "cancel", "time_filter", "coverage", "download_queue"]
