"""One size, one text: the results table, the selection summary and the download progress agree."""

from __future__ import annotations

from scene_finder.core.download import DownloadProgress
from scene_finder.gis.tasks.base import describe_progress
from scene_finder.ui.results_model import format_size


def test_the_table_and_the_progress_show_a_file_with_the_same_size():
    size = 2_100_000  # 2.1 MB; 2.0 "MB" if one of them counted in 1024s
    progress = DownloadProgress(bytes_done=size, bytes_total=size, files_done=1, files_total=1, speed_bps=0.0,
                                eta_seconds=None)
    assert format_size(size) == "2.1 MB"
    assert describe_progress(progress) == "1 of 1 file(s), 2.1 MB of 2.1 MB"
    assert format_size(None) == ""  # the size column stays blank until download-options answered
