"""The whole download protocol against the emulator: bundles, band files, preparation, failures."""

from __future__ import annotations

import logging

import pytest
from shapely.geometry import box

from scene_finder.core.errors import CancelledError, RateLimitError
from scene_finder.core.http import make_session
from scene_finder.core.m2m import M2MClient, PollPolicy, dataset_filters, download_options, download_scenes
from scene_finder.core.m2m.search import search_scenes
from scene_finder.emulator.m2m.bundles import file_size, tar_size
from scene_finder.emulator.m2m.downloads import prepares_first

DATASET = "landsat_ot_c2_l2"
FOCUS = box(-80, 33, -73, 39)  # where the emulated catalog is dense (the seed's area)
FAST = PollPolicy(first_wait=0.01, factor=1.0, max_wait=0.01, total=30)


def new_client(emulator, **kw) -> M2MClient:
    kw.setdefault("rate_limit_backoff", 0.01)
    return M2MClient("demo", "demo-application-token", base_url=emulator.m2m_url,
                     session=make_session(retries=3, backoff=0.01), **kw)


@pytest.fixture()
def client(emulator):
    with new_client(emulator) as signed_in:
        yield signed_in


def pick(client, emulator, year: int, count: int, preparing: bool = False, month: int = 1):
    """Scenes of one month (each test its own, so no test sees another's queued downloads)."""
    scenes = list(search_scenes(client, aoi=FOCUS, start=f"{year}-{month:02d}-01", end=f"{year}-{month:02d}-28",
                                limit=3000))
    chosen = [s for s in scenes if s.cloud_cover is not None and prepares_first(s) == preparing][:count]
    assert len(chosen) == count, "the emulated catalog has fewer scenes than the test needs"
    emulator.log.clear()
    return chosen


def files_routes(emulator) -> list[str]:
    return [e.route for e in emulator.log.entries() if e.service != "m2m"]


def test_seed_workflow_with_the_minimum_of_calls(emulator, tmp_path):
    with new_client(emulator) as client:
        filters = dataset_filters(client, DATASET)
        scenes = list(search_scenes(client, DATASET, aoi=box(-76.9196, 35.5713, -75.4460, 36.3793),
                                    start="2023-03-01", end="2023-04-01", cloud_max=20, metadata={"Satellite": "9"},
                                    filters=filters))[:3]
        assert len(scenes) == 3
        if any(prepares_first(s) for s in scenes):  # pragma: no cover - depends on the catalog's seed
            pytest.skip("a seed scene is prepared first in this catalog")
        results = download_scenes(client, DATASET, [s.entity_id for s in scenes], tmp_path)
    assert [r.status for r in results] == ["done"] * 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{s.display_id}.tar" for s in scenes)
    assert all(r.path.stat().st_size == tar_size() for r in results)
    assert [r.item.key for r in results] == [s.entity_id for s in scenes]
    assert emulator.log.routes("m2m") == ["login-token", "dataset-filters", "scene-search", "download-options",
                                          "download-request", "logout"]
    assert len(files_routes(emulator)) == 3 and len(emulator.log.entries()) == 9
    request = emulator.log.entries("m2m", "download-request")[0].json()
    assert request["label"].startswith("scenefinder-") and len(request["downloads"]) == 3


def test_preparing_bundles_are_polled_then_downloaded(client, emulator, tmp_path):
    scenes = pick(client, emulator, 2016, 2, preparing=True)
    results = download_scenes(client, DATASET, [s.entity_id for s in scenes], tmp_path, poll=FAST)
    assert [r.status for r in results] == ["done", "done"]
    retrieves = emulator.log.entries("m2m", "download-retrieve")
    assert len(retrieves) == emulator.config.prepare_polls
    label = emulator.log.entries("m2m", "download-request")[0].json()["label"]
    assert {r.json()["label"] for r in retrieves} == {label}


def test_preparation_failure_is_reported_and_the_rest_downloaded(client, emulator, tmp_path):
    doomed, *others = pick(client, emulator, 2017, 2, preparing=True) + pick(client, emulator, 2017, 1)
    emulator.faults.add("m2m", "download-request", "prepare_fail")
    results = download_scenes(client, DATASET, [doomed.entity_id] + [s.entity_id for s in others], tmp_path,
                              poll=FAST)
    statuses = {r.item.key: r.status for r in results}
    failed = [r for r in results if r.status == "failed"]
    assert len(failed) == 1 and "could not prepare" in str(failed[0].error)
    assert sum(s == "done" for s in statuses.values()) == 2


def test_band_files(client, emulator, tmp_path):
    (scene,) = pick(client, emulator, 2018, 1)
    results = download_scenes(client, DATASET, [scene.entity_id], tmp_path, product=["SR_B4", "SR_B3", "SR_QA_AEROSOL"])
    by_key = {r.item.key: r for r in results}
    assert by_key[f"{scene.entity_id}/SR_B4"].path.name == f"{scene.display_id}_SR_B4.TIF"
    assert by_key[f"{scene.entity_id}/SR_B3"].path.stat().st_size == file_size("SR_B3.TIF")
    assert by_key[f"{scene.entity_id}/SR_QA_AEROSOL"].status == "failed"
    assert emulator.log.routes("m2m") == ["download-options", "download-request"]
    request = emulator.log.entries("m2m", "download-request")[0].json()
    assert len(request["downloads"]) == 2


def test_unavailable_and_unknown_scenes_fail_with_reasons(client, emulator, tmp_path):
    scenes = list(search_scenes(client, aoi=FOCUS, start="2019-01-01", end="2019-03-31", limit=3000))
    no_bundle = next(s for s in scenes if s.cloud_cover is None)
    emulator.log.clear()
    results = download_scenes(client, DATASET, [no_bundle.entity_id, "LC80000002019001LGN00"], tmp_path)
    reasons = [str(r.error) for r in results]
    assert [r.status for r in results] == ["failed", "failed"]
    assert "not available" in reasons[0] and "no download" in reasons[1]
    assert emulator.log.routes("m2m") == ["download-options"]  # nothing to request


def test_options_are_typed(client, emulator):
    (scene,) = pick(client, emulator, 2018, 1, month=6)
    options = download_options(client, DATASET, [scene.entity_id])
    systems = {o.download_system for o in options}
    assert {"ls_zip", "folder"} <= systems
    bundle = next(o for o in options if o.download_system == "ls_zip")
    assert bundle.available and bundle.filesize == tar_size() and bundle.entity_id == scene.entity_id


def test_preparation_that_outlasts_the_wait_is_reported_then_picked_up_later(client, emulator, tmp_path):
    (scene,) = pick(client, emulator, 2020, 1, preparing=True)
    first = download_scenes(client, DATASET, [scene.entity_id], tmp_path, poll=PollPolicy(0.01, 1.0, 0.01, total=0))
    assert first[0].status == "failed" and "still preparing" in str(first[0].error)
    # asked again: a duplicate of the queued product under the first label, polled under that label
    second = download_scenes(client, DATASET, [scene.entity_id], tmp_path, poll=FAST)
    assert second[0].status == "done"
    labels = [e.json()["label"] for e in emulator.log.entries("m2m", "download-request")]
    polled = {e.json()["label"] for e in emulator.log.entries("m2m", "download-retrieve")}
    assert labels[0] in polled


def test_expired_key_while_polling(client, emulator, tmp_path):
    (scene,) = pick(client, emulator, 2021, 1, preparing=True)
    emulator.faults.add("m2m", "download-retrieve", "expire_key")
    results = download_scenes(client, DATASET, [scene.entity_id], tmp_path, poll=FAST)
    assert results[0].status == "done" and emulator.log.count("m2m", "login-token") == 1


def test_download_rate_limit_is_raised(client, emulator, tmp_path):
    (scene,) = pick(client, emulator, 2022, 1)
    emulator.faults.add("m2m", "download-request", "m2m_error", code="RATE_LIMIT_USER_DL", times=None)
    with pytest.raises(RateLimitError):
        download_scenes(client, DATASET, [scene.entity_id], tmp_path)


def test_cancel_while_waiting_for_preparation(client, emulator, tmp_path):
    (scene,) = pick(client, emulator, 2015, 1, preparing=True)
    polls = []

    def cancel() -> bool:
        polls.append(1)
        return emulator.log.count("m2m", "download-request") > 0

    with pytest.raises(CancelledError):
        download_scenes(client, DATASET, [scene.entity_id], tmp_path, cancel=cancel,
                        poll=PollPolicy(first_wait=5, total=60))
    assert emulator.log.count("m2m", "download-retrieve") == 0


def test_progress_is_reported_and_signed_urls_stay_out_of_logs(client, emulator, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    (scene,) = pick(client, emulator, 2022, 1, month=7)
    seen = []
    results = download_scenes(client, DATASET, [scene.entity_id], tmp_path, progress=seen.append)
    assert results[0].status == "done" and seen and seen[-1].files_done == 1
    signature = results[0].item.url.split("?", 1)[1]
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("scene_finder"))
    assert "requestSignature" in signature and ours and signature not in ours  # (urllib3's own debug log is not ours)
    assert signature not in repr([r.error for r in results])


class RecordingClient:
    """Stands in for the service to count download-options calls (chunking is pure logic)."""

    def __init__(self):
        self.sizes = []

    def call(self, endpoint, payload):
        self.sizes.append(len(payload["entityIds"]))
        return []


def test_download_options_are_asked_in_chunks_of_5000():
    recorder = RecordingClient()
    assert download_options(recorder, DATASET, [f"E{i}" for i in range(12_001)] + ["E1"]) == []
    assert recorder.sizes == [5000, 5000, 2001]
