"""scenefinder:m2mdownload against the emulator: band files and bundles, selection, cancel, errors."""

from __future__ import annotations

from pathlib import Path

import processing
import pytest
from qgis.core import QgsFeature, QgsProcessingException, QgsVectorLayer
from qgis.PyQt import sip

ALG = "scenefinder:m2mdownload"
EXTENT = "-76.9,-76.3,35.8,36.2 [EPSG:4326]"


@pytest.fixture()
def footprints(provider, services, context, tmp_path, monkeypatch) -> QgsVectorLayer:
    """Two scenes found by m2msearch; the emulator has every file ready (no preparing wait)."""
    monkeypatch.setattr(services.config, "prepare_polls", 0)
    result = processing.run("scenefinder:m2msearch", {
        "EXTENT": EXTENT, "START_DATE": "2023-03-01", "END_DATE": "2023-03-31", "MAX_RESULTS": 2,
        "OUTPUT": str(tmp_path / "footprints.gpkg"),
    }, context=context)
    layer = QgsVectorLayer(result["OUTPUT"], "footprints", "ogr")
    assert layer.isValid() and layer.featureCount() == 2
    yield layer
    # pytest keeps fixture values past the end of the session; a layer that outlives QGIS crashes at exit.
    sip.delete(layer)


def _entity_ids(layer: QgsVectorLayer) -> list[str]:
    return sorted(f["entity_id"] for f in layer.getFeatures())


def test_band_files_of_all_scenes(footprints, context, feedback, tmp_path):
    folder = tmp_path / "downloads"
    result = processing.run(ALG, {"INPUT": footprints, "PRODUCT": "SR_B4, sr_b3", "FOLDER": str(folder)},
                            context=context, feedback=feedback)
    files = [Path(p) for p in result["FILES"]]
    assert result["FOLDER"] == str(folder)
    assert (result["DOWNLOADED"], result["FAILED"]) == (4, 0)
    assert all(p.is_file() and p.parent == folder and p.stat().st_size > 0 for p in files)
    assert sorted(p.name.rsplit("_", 1)[-1] for p in files) == ["B3.TIF", "B3.TIF", "B4.TIF", "B4.TIF"]
    assert feedback.progress_seen and max(feedback.progress_seen) <= 100
    assert feedback.errors == []

    # A second run finds the files complete and reports them again without fetching them.
    again = processing.run(ALG, {"INPUT": footprints, "PRODUCT": "SR_B4,SR_B3", "FOLDER": str(folder)},
                           context=context)
    assert sorted(again["FILES"]) == sorted(result["FILES"])


@pytest.mark.slow
def test_bundle_of_the_selected_scene_only(footprints, context, feedback, tmp_path):
    chosen = next(iter(footprints.getFeatures()))
    footprints.selectByIds([chosen.id()])
    result = processing.run(ALG, {"INPUT": footprints, "PRODUCT": "bundle", "FOLDER": str(tmp_path / "b")},
                            context=context, feedback=feedback)
    assert result["DOWNLOADED"] == 1
    (path,) = [Path(p) for p in result["FILES"]]
    assert path.suffix == ".tar" and chosen["display_id"] in path.name


def test_bad_product_is_refused_before_any_request(footprints, services, context, tmp_path):
    services.log.clear()
    with pytest.raises(QgsProcessingException) as raised:
        processing.run(ALG, {"INPUT": footprints, "PRODUCT": "SR B4;SR_B3", "FOLDER": str(tmp_path)},
                       context=context)
    assert 'PRODUCT must be "bundle" or a comma-separated list of band names' in str(raised.value)
    assert services.log.count("m2m") == 0


def test_layer_without_entity_ids_is_refused(provider, services, context, tmp_path):
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326&field=name:string", "not footprints", "memory")
    layer.dataProvider().addFeatures([QgsFeature(layer.fields())])
    with pytest.raises(QgsProcessingException) as raised:
        processing.run(ALG, {"INPUT": layer, "FOLDER": str(tmp_path)}, context=context)
    assert "has no entity_id field" in str(raised.value)


def test_unavailable_band_is_reported_and_the_rest_downloaded(footprints, context, feedback, tmp_path):
    result = processing.run(ALG, {"INPUT": footprints, "PRODUCT": "SR_B4,NO_SUCH_BAND", "FOLDER": str(tmp_path)},
                            context=context, feedback=feedback)
    assert result["DOWNLOADED"] == 2 and result["FAILED"] == 2
    assert len(feedback.errors) == 2 and all("NO_SUCH_BAND" in e for e in feedback.errors)


def test_nothing_downloadable_fails_with_the_reasons(footprints, context, tmp_path):
    with pytest.raises(QgsProcessingException) as raised:
        processing.run(ALG, {"INPUT": footprints, "PRODUCT": "NO_SUCH_BAND", "FOLDER": str(tmp_path)},
                       context=context)
    assert "Nothing could be downloaded" in str(raised.value) and "NO_SUCH_BAND" in str(raised.value)


def test_cancel_stops_the_download(footprints, services, context, cancelling_feedback, tmp_path):
    # A slow download host, so that the transfer is still running when the first progress cancels it.
    services.faults.add("landsatlook", "*", "throttle", times=None, bytes_per_second=256_000)
    with pytest.raises(QgsProcessingException) as raised:
        processing.run(ALG, {"INPUT": footprints, "PRODUCT": "bundle", "FOLDER": str(tmp_path)},
                       context=context, feedback=cancelling_feedback())
    assert str(raised.value) == "Cancelled."


def test_queue_adds_the_files_to_the_download_queue_instead(footprints, context, feedback, tmp_path, monkeypatch,
                                                           services):
    from scene_finder.core.queue import QueueStore
    from scene_finder.gis import queue_runner

    monkeypatch.setattr(queue_runner, "queue_path", lambda: tmp_path / "queue.sqlite")
    services.log.clear()
    folder = tmp_path / "queued"
    result = processing.run(ALG, {"INPUT": footprints, "PRODUCT": "SR_B4,SR_B3", "FOLDER": str(folder),
                                  "QUEUE": True}, context=context, feedback=feedback)
    assert (result["DOWNLOADED"], result["FAILED"], result["FILES"]) == (0, 0, [])
    store = QueueStore(tmp_path / "queue.sqlite")
    items = store.items()
    store.close()
    assert sorted((i.entity_id, i.product, i.state) for i in items) == sorted(
        (e, band, "queued") for e in _entity_ids(footprints) for band in ("SR_B4", "SR_B3"))
    assert {i.folder for i in items} == {str(folder)}
    assert not services.log.entries("m2m", "download-request") and not folder.exists()
    assert any("Queued 4 file(s)" in text for text in feedback.infos), feedback.infos
