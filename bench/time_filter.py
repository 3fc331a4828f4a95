"""Time filter figure: how long the results table takes to follow one step of the Temporal Controller.

- ``time_filter_step_50k_ms``: the slowest of 52 weekly steps through a year of 50,000 result rows
  (the most a USGS search returns): the table's filter proxy is given the new week's range and the
  view lays itself out again (the rows' acquisition times are read once, at the first step, which
  counts too). Target: at most 100 ms, so an animation playing at one frame a second never stalls.

Runs in a child interpreter with its own offscreen QgsApplication (a clean main thread).
"""

from __future__ import annotations

import json
import sys
import time

from .common import figure

ROWS = 50_000
STEPS = 52
TARGET_MS = 100


def run(ctx) -> dict:
    child = ctx.run_python("import sys; from scene_finder.bench.time_filter import main; sys.exit(main())",
                           timeout=600)
    if child.returncode != 0:
        raise RuntimeError(f"time filter bench child failed: {child.stderr.strip()[-3000:]}")
    report = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"   {ROWS:,} rows, {STEPS} weekly steps: slowest {report['worst_ms']:.0f} ms, median "
          f"{report['median_ms']:.0f} ms, first {report['first_ms']:.0f} ms", file=sys.stderr)
    return {"time_filter_step_50k_ms": figure(report["worst_ms"], "ms", f"<= {TARGET_MS}")}


def main() -> int:
    import datetime
    import os
    import statistics

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication, QgsDateTimeRange
    from qgis.PyQt.QtCore import QDate, QDateTime, QTime
    from qgis.PyQt.QtWidgets import QTableView

    app = QgsApplication([], True)
    app.initQgis()
    from ..gis.temporal import TimeWindow
    from ..ui.results_model import ResultRow, ResultsModel
    from ..ui.results_proxy import ResultsProxy

    first_day = datetime.date(2023, 1, 1)
    rows = [ResultRow(key=f"LC9{i:07d}", label=f"LC09_{i:07d}", record={"entity_id": f"LC9{i:07d}"},
                      acquired=first_day + datetime.timedelta(days=(i * 7919) % 365), cloud_cover=float(i % 100))
            for i in range(ROWS)]
    model = ResultsModel()
    proxy = ResultsProxy(model)
    view = QTableView()
    view.setModel(proxy)
    view.resize(500, 600)
    view.show()
    model.set_rows(rows)
    app.processEvents()
    steps = []
    for week in range(STEPS):
        begin = QDateTime(QDate(first_day + datetime.timedelta(days=7 * week)), QTime(0, 0))
        window = TimeWindow.of(QgsDateTimeRange(begin, begin.addDays(7), True, False))
        started = time.perf_counter()
        proxy.set_window(window)
        proxy.rowCount()
        app.processEvents()
        steps.append((time.perf_counter() - started) * 1000)
    print(json.dumps({"worst_ms": max(steps), "median_ms": statistics.median(steps), "first_ms": steps[0]}))
    view.close()
    app.exitQgis()
    return 0
