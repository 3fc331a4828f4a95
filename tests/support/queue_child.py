"""A second QGIS process for the restart test: its own QgsApplication in a throwaway profile, the
plugin's queue runner, the emulator's URL from the environment.

    queue_child.py PROFILE start FOLDER ENTITY_ID   queue one bundle and run until killed
    queue_child.py PROFILE resume                   resume what is unfinished, print the items as JSON

Run with the interpreter that imports ``qgis`` and ``PYTHONPATH`` holding ``build/pkgroot``.
"""

from __future__ import annotations

import json
import sys
import time


def main() -> int:
    from qgis.core import QgsApplication

    profile, mode = sys.argv[1], sys.argv[2]
    app = QgsApplication([], False, profile)
    app.initQgis()
    from scene_finder.core.m2m import PollPolicy
    from scene_finder.gis.queue_runner import QueueRunner, entries_for, queue_path

    runner = QueueRunner(lambda: ("demo", "demo-application-token"),
                         poll=PollPolicy(first_wait=0.05, factor=1.0, max_wait=0.1))
    unfinished = runner.open()
    if mode == "start":
        folder, entity = sys.argv[3], sys.argv[4]
        runner.add(entries_for("landsat_ot_c2_l2", [entity], "bundle", folder))
        print(json.dumps({"queue": str(queue_path())}), flush=True)
        while True:  # until the test kills this process
            app.processEvents()
            time.sleep(0.05)
    runner.resume_all()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and runner.store.counts()["done"] == 0 and not runner.store.counts()["failed"]:
        app.processEvents()
        time.sleep(0.05)
    items = [{"state": i.state, "bytes_done": i.bytes_done, "bytes_total": i.bytes_total, "error": i.error,
              "file_name": i.file_name} for i in runner.store.items()]
    print(json.dumps({"unfinished": unfinished, "items": items, "queue": str(queue_path())}), flush=True)
    runner.shutdown()
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
