"""What ``make bench`` writes: this run's figures with its metadata, earlier figures marked older."""

from __future__ import annotations

import os

from scene_finder.bench.__main__ import merge, table, throwaway_home
from scene_finder.bench.metadata import run_metadata


def entry(value: float) -> dict:
    return {"value": value, "unit": "x", "target": "<= 1"}


def test_a_partial_run_rewrites_its_figures_and_marks_the_others_older():
    old_run = {"commit": "aaa", "date": "2026-01-01T00:00:00Z"}
    previous = {"run": old_run, "figures": {"a": entry(2.0), "b": entry(0.5)}}
    new_run = {"commit": "bbb", "date": "2026-02-01T00:00:00Z"}
    result = merge(previous, new_run, {"a": entry(0.9)})
    assert result["run"] == new_run
    assert result["figures"]["a"] == entry(0.9)  # measured now: no older mark, no stale value
    assert result["figures"]["b"] == {**entry(0.5), "older": True, "run": old_run}
    again = merge(result, {"commit": "ccc"}, {"a": entry(0.8)})
    assert again["figures"]["b"]["run"] == old_run  # keeps the run that measured it


def test_a_file_of_the_old_flat_format_is_not_taken_for_figures():
    assert merge({"a": entry(1.0)}, {"commit": "x"}, {})["figures"] == {}


def test_the_table_shows_each_figure_with_its_target_and_verdict():
    text = table({"a": entry(0.5), "b": {**entry(3.0), "older": True}})
    assert "| `a` | 0.5 x | <= 1 | ok |" in text
    assert "| `b` | 3 x | <= 1 | missed (older run) |" in text


def test_metadata_names_commit_date_versions_and_cores():
    run = run_metadata(["m2m"])
    assert {"commit", "date", "python", "qgis", "cores", "machine"} <= set(run)
    assert run["cores"] == os.cpu_count() and run["modules"] == ["m2m"]


def test_bench_processes_get_a_throwaway_home(tmp_path, monkeypatch):
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, "/nowhere")
    home = throwaway_home(tmp_path)
    assert os.environ["HOME"] == str(home) and home.is_relative_to(tmp_path)
    assert all(os.environ[name].startswith(str(home)) for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME",
                                                                   "XDG_CACHE_HOME"))
