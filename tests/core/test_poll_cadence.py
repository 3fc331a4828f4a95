"""download-retrieve is polled on a cadence that follows the service: soon at first, then backing off."""

from __future__ import annotations

import pytest

from scene_finder.core.m2m import PollPolicy, download_scenes

from .test_m2m_download import DATASET, new_client, pick


def _waits(policy: PollPolicy, count: int) -> list[float]:
    """The waits before each poll, as ``_retrieve`` grows them."""
    waits, wait = [], policy.first_wait
    for _ in range(count):
        waits.append(wait)
        wait = min(policy.max_wait, max(wait * policy.factor, policy.first_wait, 0.05))
    return waits


def test_default_cadence_looks_soon_then_backs_off():
    waits = _waits(PollPolicy(), 40)
    assert waits[0] <= 1.0  # a file ready within seconds is picked up within about a second
    assert all(later >= earlier for earlier, later in zip(waits, waits[1:]))
    assert waits[-1] == PollPolicy().max_wait  # a long preparation costs few calls


@pytest.mark.timeout(30)  # a hang guard, not a measurement (the old 10 s, 15 s, 22 s waits took 47 s)
@pytest.mark.parametrize("polls", [1, 3])
def test_a_scene_prepared_for_n_polls_is_polled_n_times_then_downloaded(emulator, tmp_path, polls):
    saved = emulator.config.prepare_polls
    emulator.config.prepare_polls = polls
    try:
        with new_client(emulator) as client:
            (scene,) = pick(client, emulator, 2016 + polls, 1, preparing=True)
            results = download_scenes(client, DATASET, [scene.entity_id], tmp_path)  # the default cadence
    finally:
        emulator.config.prepare_polls = saved
    assert [r.status for r in results] == ["done"]
    assert results[0].path.stat().st_size > 0
    assert emulator.log.count("m2m", "download-retrieve") == polls
