"""scenefinder:cmscenes, cmplumes and cmdownload against the emulator."""

from __future__ import annotations

from pathlib import Path

import processing
import pytest
from qgis.core import QgsProcessingException, QgsVectorLayer
from qgis.PyQt import sip

# A corner of the Permian basin, where the emulator's catalogue has many scenes and plumes.
PERMIAN = "-103.0,-102.0,31.5,32.5 [EPSG:4326]"
YEAR_2025 = {"START_DATE": "2025-01-01", "END_DATE": "2025-12-31"}


def _layer(path) -> QgsVectorLayer:
    layer = QgsVectorLayer(str(path), "result", "ogr")
    assert layer.isValid()
    return layer


@pytest.fixture()
def plumes(provider, services, context, tmp_path) -> QgsVectorLayer:
    result = processing.run("scenefinder:cmplumes", {
        "EXTENT": PERMIAN, **YEAR_2025, "GAS": 1, "MAX_RESULTS": 3, "OUTPUT": str(tmp_path / "plumes.gpkg"),
    }, context=context)
    layer = _layer(result["OUTPUT"])
    assert layer.featureCount() == result["COUNT"] > 0
    yield layer
    # pytest keeps fixture values past the end of the session; a layer that outlives QGIS crashes at exit.
    sip.delete(layer)


def test_scenes_geopackage_for_an_extent(provider, services, context, feedback, tmp_path):
    result = processing.run("scenefinder:cmscenes", {
        "EXTENT": PERMIAN, **YEAR_2025, "INSTRUMENT": "tan", "OUTPUT": str(tmp_path / "scenes.gpkg"),
    }, context=context, feedback=feedback)
    layer = _layer(result["OUTPUT"])
    assert layer.featureCount() == result["COUNT"] > 0
    assert {f["instrument"] for f in layer.getFeatures()} == {"tan"}
    assert all(f["scene_id"] for f in layer.getFeatures())
    assert max(feedback.progress_seen) == 100


def test_plumes_with_gas_emission_and_status_filters(provider, services, context, feedback, tmp_path):
    result = processing.run("scenefinder:cmplumes", {
        "EXTENT": PERMIAN, **YEAR_2025, "GAS": 1, "EMISSION_MIN": 200, "EMISSION_MAX": 5000, "STATUS": 0,
        "OUTPUT": str(tmp_path / "plumes.gpkg"),
    }, context=context, feedback=feedback)
    layer = _layer(result["OUTPUT"])
    assert layer.featureCount() == result["COUNT"] > 0
    for plume in layer.getFeatures():
        assert plume["gas"] == "CH4" and plume["status"] == "published"
        assert 200 <= plume["emission"] <= 5000
        assert plume.geometry().asPoint().x() == pytest.approx(-102.5, abs=0.6)


def test_plumes_written_as_geojson_when_asked(provider, services, context, tmp_path):
    result = processing.run("scenefinder:cmplumes", {
        "EXTENT": PERMIAN, **YEAR_2025, "MAX_RESULTS": 5, "OUTPUT": str(tmp_path / "plumes.geojson"),
    }, context=context)
    assert result["OUTPUT"].endswith(".geojson")
    assert _layer(result["OUTPUT"]).featureCount() == result["COUNT"] > 0


def test_download_plume_rasters_of_the_selected_plume(plumes, context, feedback, tmp_path):
    chosen = next(iter(plumes.getFeatures()))
    plumes.selectByIds([chosen.id()])
    result = processing.run("scenefinder:cmdownload", {
        "INPUT": plumes, "ASSETS": "plume.tif", "FOLDER": str(tmp_path / "rasters"),
    }, context=context, feedback=feedback)
    (path,) = [Path(p) for p in result["FILES"]]
    assert path.is_file() and chosen["plume_id"] in path.name and path.name.endswith("plume.tif")
    assert (result["DOWNLOADED"], result["FAILED"]) == (1, 0)


def test_download_all_plumes_default_assets(plumes, context, tmp_path):
    result = processing.run("scenefinder:cmdownload", {"INPUT": plumes, "FOLDER": str(tmp_path / "all")},
                            context=context)
    names = sorted(Path(p).name for p in result["FILES"])
    assert len(names) == 2 * plumes.featureCount()
    assert {name.rsplit("_", 1)[-1] for name in names} == {"plume.tif", "rgb.tif"}


@pytest.mark.parametrize(
    ("alg", "change", "message"),
    [
        ("scenefinder:cmscenes", {"EXTENT": None}, "Give an area of interest"),
        ("scenefinder:cmplumes", {"START_DATE": "2025-1-32"}, "The start date “2025-1-32” is not a date"),
        ("scenefinder:cmplumes", {"EMISSION_MIN": 900, "EMISSION_MAX": 100}, "is above the maximum"),
    ],
)
def test_bad_inputs_give_a_clear_message(provider, services, context, tmp_path, alg, change, message):
    params = {"EXTENT": PERMIAN, **YEAR_2025, "OUTPUT": str(tmp_path / "x.gpkg"), **change}
    with pytest.raises(QgsProcessingException) as raised:
        processing.run(alg, {k: v for k, v in params.items() if v is not None}, context=context)
    assert message in str(raised.value)
    assert services.log.count("carbonmapper") == 0


def test_rejected_token_is_the_core_message(provider, services, context, tmp_path, monkeypatch):
    from scene_finder.gis import auth

    monkeypatch.setenv(auth.ENV_CARBONMAPPER_TOKEN, "wrong-cm-token-5521")
    with pytest.raises(QgsProcessingException) as raised:  # the scenes download needs a valid token
        processing.run("scenefinder:cmscenes", {"EXTENT": PERMIAN, "OUTPUT": str(tmp_path / "x.gpkg")},
                       context=context)
    assert "token" in str(raised.value).lower() and "wrong-cm-token-5521" not in str(raised.value)


def test_missing_token_says_where_to_put_it(provider, services, context, tmp_path, monkeypatch):
    from scene_finder.gis import auth

    monkeypatch.delenv(auth.ENV_CARBONMAPPER_TOKEN)
    monkeypatch.setattr(auth, "default_authcfg", lambda service: None)
    with pytest.raises(QgsProcessingException) as raised:
        processing.run("scenefinder:cmscenes", {"EXTENT": PERMIAN, "OUTPUT": str(tmp_path / "x.gpkg")},
                       context=context)
    assert "SCENE_FINDER_CARBONMAPPER_TOKEN" in str(raised.value)


def test_cancel_stops_the_plume_search(provider, services, context, cancelling_feedback, tmp_path):
    with pytest.raises(QgsProcessingException) as raised:
        processing.run("scenefinder:cmplumes", {"EXTENT": PERMIAN, "OUTPUT": str(tmp_path / "x.gpkg")},
                       context=context, feedback=cancelling_feedback(at_start=True))
    assert str(raised.value) == "Cancelled."


def test_download_of_a_layer_that_is_not_carbon_mapper_is_refused(provider, services, context, tmp_path):
    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=name:string", "other", "memory")
    with pytest.raises(QgsProcessingException) as raised:
        processing.run("scenefinder:cmdownload", {"INPUT": layer, "FOLDER": str(tmp_path)}, context=context)
    assert "neither a plume_id nor a scene_id field" in str(raised.value)
