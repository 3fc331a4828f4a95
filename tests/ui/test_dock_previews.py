"""Previews of scenes found through the emulator whose browse addresses are hostile: not fetched, no error."""

from __future__ import annotations

from dock_helpers import search

from scene_finder.gis import auth
from scene_finder.gis.tasks.base import running_tasks

HOSTILE = ["file:///etc/passwd", "http://example.org/browse/t.png"]




def test_scenes_with_file_and_plain_http_browse_urls_show_no_preview_and_no_error(dock, qtbot, emulated_services,
                                                                                 recording_iface):
    auth.store_credentials(auth.SERVICE_M2M, "demo", "demo-application-token")
    emulated_services.faults.add("m2m", "scene-search", "browse_url", times=None, urls=HOSTILE)
    search(qtbot, dock)
    rows = dock.results.model.rows
    assert {row.thumbnail_url for row in rows} == set(HOSTILE)
    for row in rows[:2]:
        dock.results.select_keys([row.key])
        assert dock.results.thumbnail_task is None
        assert dock.results.thumbnail.text() == "No preview for this scene."
    assert dock.messages.last is None or dock.messages.last[0] != "error"
    assert not running_tasks()
