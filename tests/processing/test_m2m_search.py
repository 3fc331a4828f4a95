"""scenefinder:m2msearch against the emulator: footprints written, filters applied, clear errors."""

from __future__ import annotations

import processing
import pytest
from qgis.core import (
    QgsFeature,
    QgsGeometry,
    QgsProcessingException,
    QgsRectangle,
    QgsVectorLayer,
)

ALG = "scenefinder:m2msearch"
# Albemarle Sound, North Carolina: the emulator's catalogue is dense there.
ALBEMARLE_EXTENT = "-76.9,-76.3,35.8,36.2 [EPSG:4326]"
MARCH_2023 = {"START_DATE": "2023-03-01", "END_DATE": "2023-03-31"}


def _params(tmp_path, **extra) -> dict:
    return {"EXTENT": ALBEMARLE_EXTENT, **MARCH_2023, "OUTPUT": str(tmp_path / "footprints.gpkg"), **extra}


def _features(path) -> list[QgsFeature]:
    layer = QgsVectorLayer(str(path), "footprints", "ogr")
    assert layer.isValid()
    return list(layer.getFeatures())


def test_extent_search_writes_footprints_with_progress(provider, services, context, feedback, tmp_path):
    result = processing.run(ALG, _params(tmp_path), context=context, feedback=feedback)
    features = _features(result["OUTPUT"])
    assert result["COUNT"] == len(features) > 0
    assert result["TOTAL_HITS"] >= result["COUNT"]
    area = QgsGeometry.fromRect(QgsRectangle(-76.9, 35.8, -76.3, 36.2))
    for feature in features:
        assert feature["entity_id"].startswith("LC")
        assert feature["dataset"] == "landsat_ot_c2_l2"
        assert "2023-03-01" <= feature["acquired"].toString("yyyy-MM-dd") <= "2023-03-31"
        assert feature.geometry().intersects(area)
    assert feedback.progress_seen and max(feedback.progress_seen) == 100


def test_aoi_layer_in_another_crs_cloud_and_metadata_filters(provider, services, context, feedback, tmp_path):
    aoi = QgsVectorLayer("Polygon?crs=EPSG:3857", "aoi", "memory")
    feature = QgsFeature()
    # The same Albemarle Sound box in Web Mercator metres.
    feature.setGeometry(QgsGeometry.fromRect(QgsRectangle(-8560000, 4272000, -8493000, 4327000)))
    aoi.dataProvider().addFeatures([feature])
    params = _params(tmp_path, AOI=aoi, CLOUD_MAX=40, METADATA_FILTERS='{"Satellite": "9", "WRS Path": [14, 15]}',
                     MAX_RESULTS=3)
    del params["EXTENT"]
    result = processing.run(ALG, params, context=context, feedback=feedback)
    features = _features(result["OUTPUT"])
    assert 0 < len(features) <= 3
    for found in features:
        assert found["satellite"] == 9 and 14 <= found["wrs_path"] <= 15
        assert found["cloud_cover"] is None or found["cloud_cover"] <= 40


def test_temporary_output_for_scripts(provider, services, context, tmp_path):
    result = processing.run(ALG, _params(tmp_path, OUTPUT="TEMPORARY_OUTPUT", MAX_RESULTS=2), context=context)
    assert result["OUTPUT"].endswith(".gpkg") and len(_features(result["OUTPUT"])) == result["COUNT"] == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"EXTENT": None}, "Give an area of interest: an extent (EXTENT) or a polygon layer (AOI)."),
        ({"START_DATE": "2023-02-30"}, "The start date “2023-02-30” is not a date: write it as yyyy-mm-dd"),
        ({"END_DATE": "31/03/2023"}, "The end date “31/03/2023” is not a date"),
        ({"START_DATE": "2023-04-01"}, "The start date 2023-04-01 is after the end date 2023-03-31."),
        ({"METADATA_FILTERS": '{"Satellite": 9'}, "METADATA_FILTERS is not valid JSON"),
        ({"METADATA_FILTERS": '["Satellite"]'}, "METADATA_FILTERS must be a JSON object"),
    ],
)
def test_bad_inputs_give_a_clear_message(provider, services, context, feedback, tmp_path, change, message):
    params = {key: value for key, value in {**_params(tmp_path), **change}.items() if value is not None}
    with pytest.raises(QgsProcessingException) as raised:
        processing.run(ALG, params, context=context, feedback=feedback)
    assert message in str(raised.value)
    assert services.log.count("m2m") == 0  # refused before anything is sent


def test_unknown_metadata_filter_is_the_core_message(provider, services, context, feedback, tmp_path):
    with pytest.raises(QgsProcessingException) as raised:
        processing.run(ALG, _params(tmp_path, METADATA_FILTERS='{"No Such Filter": "x"}'), context=context,
                       feedback=feedback)
    assert "No Such Filter" in str(raised.value)


def test_missing_credentials_say_where_to_put_them(provider, services, context, feedback, tmp_path, monkeypatch):
    from scene_finder.gis import auth

    monkeypatch.delenv(auth.ENV_M2M_TOKEN)
    monkeypatch.setattr(auth, "default_authcfg", lambda service: None)
    with pytest.raises(QgsProcessingException) as raised:
        processing.run(ALG, _params(tmp_path), context=context, feedback=feedback)
    assert "No USGS M2M credentials" in str(raised.value)
    assert "SCENE_FINDER_M2M_TOKEN" in str(raised.value)


def test_rejected_token_is_the_dock_message_without_the_secret(provider, services, context, feedback, tmp_path,
                                                               monkeypatch):
    from scene_finder.core.errors import AuthInvalidError
    from scene_finder.gis import auth

    monkeypatch.setenv(auth.ENV_M2M_TOKEN, "not-the-right-token-91x")
    with pytest.raises(QgsProcessingException) as raised:
        processing.run(ALG, _params(tmp_path), context=context, feedback=feedback)
    assert str(raised.value) == str(AuthInvalidError())
    assert "not-the-right-token-91x" not in str(raised.value)


def test_authcfg_parameter_is_used_before_the_environment(provider, services, context, feedback, tmp_path,
                                                          monkeypatch, qgis_app):
    from qgis.core import QgsApplication

    from scene_finder.gis import auth

    manager = QgsApplication.authManager()
    assert manager.setMasterPassword("scene-finder-test-master", True)
    monkeypatch.setenv(auth.ENV_M2M_TOKEN, "not-the-right-token-91x")
    authcfg = auth.store_credentials(auth.SERVICE_M2M, "demo", "demo-application-token")
    try:
        result = processing.run(ALG, _params(tmp_path, AUTHCFG=authcfg), context=context, feedback=feedback)
        assert result["COUNT"] > 0
    finally:
        auth.remove_credentials(authcfg)


def test_cancel_stops_the_search_and_leaves_no_output(provider, services, context, cancelling_feedback, tmp_path):
    feedback = cancelling_feedback()
    output = tmp_path / "footprints.gpkg"
    with pytest.raises(QgsProcessingException) as raised:
        processing.run(ALG, _params(tmp_path), context=context, feedback=feedback)
    assert str(raised.value) == "Cancelled."
    assert not output.exists()


def test_cancel_before_start(provider, services, context, cancelling_feedback, tmp_path):
    with pytest.raises(QgsProcessingException, match="Cancelled"):
        processing.run(ALG, _params(tmp_path), context=context, feedback=cancelling_feedback(at_start=True))
