"""The download controller's matching of downloaded files to table rows: by the items' keys."""

from __future__ import annotations

from scene_finder.core.download import DownloadItem, DownloadResult
from scene_finder.gis.sources import SOURCES
from scene_finder.ui.download_controller import downloaded_rows
from scene_finder.ui.results_model import ResultRow


def _result(tmp_path, name: str, key: str, size: int) -> DownloadResult:
    path = tmp_path / name
    path.write_bytes(b"x" * size)
    return DownloadResult(DownloadItem(url=f"https://example.org/{name}", filename=name, size=size, key=key), path,
                          "done", size)


def test_landsat_files_go_to_the_row_of_their_scene_even_when_names_overlap(tmp_path):
    # One scene's display id is the start of the other's file name: a substring match gives both rows both files.
    first = ResultRow(key="LC90150352023067LGN00", label="LC09_L2SP_015035_20230308")
    second = ResultRow(key="LC90150352023067LGN01", label="LC09_L2SP_015035_20230308_02")
    results = [_result(tmp_path, "LC09_L2SP_015035_20230308_02_T1.tar", "LC90150352023067LGN01", 300),
               _result(tmp_path, "LC09_L2SP_015035_20230308_SR_B4.TIF", "LC90150352023067LGN00/SR_B4", 40),
               _result(tmp_path, "LC09_L2SP_015035_20230308_SR_B3.TIF", "LC90150352023067LGN00/SR_B3", 2)]
    changes = downloaded_rows(SOURCES["landsat"], [first, second], results)
    assert changes == {"LC90150352023067LGN01": {"size": 300, "bundle": str(tmp_path / results[0].path.name)},
                       "LC90150352023067LGN00": {"size": 42}}


def test_carbonmapper_rasters_go_to_their_plume_or_scene(tmp_path):
    plume = ResultRow(key="CH4_1B2_250m_ang20230101t1", label="ang20230101t1", kind="plume")
    other = ResultRow(key="CH4_1B2_250m_ang20230101t10", label="ang20230101t10", kind="plume")
    results = [_result(tmp_path, "CH4_1B2_250m_ang20230101t10_plume.tif", "l2b/CH4_1B2_250m_ang20230101t10/plume", 7)]
    assert downloaded_rows(SOURCES["cm_plumes"], [plume, other], results) == {other.key: {"size": 7}}
    scene = ResultRow(key="17", label="ang20230101t1", kind="cm_scene")
    results = [_result(tmp_path, "ang20230101t1_rgb.tif", "l1b/ang20230101t1/rgb", 5)]
    assert downloaded_rows(SOURCES["cm_scenes"], [scene], results) == {"17": {"size": 5}}
