"""A malformed service answer during a Processing run: the algorithm fails with the clear message, no traceback."""

from __future__ import annotations

import processing
import pytest
from qgis.core import QgsProcessingException

ALBEMARLE_EXTENT = "-76.9,-76.3,35.8,36.2 [EPSG:4326]"
PERMIAN = "-103.0,-102.0,31.5,32.5 [EPSG:4326]"
ADVICE = "Try again later; if it persists, report it."


def run_failing(alg: str, params: dict, context, feedback) -> str:
    with pytest.raises(QgsProcessingException) as raised:
        processing.run(alg, params, context=context, feedback=feedback)
    assert not any("Traceback" in error for error in feedback.errors), feedback.errors
    return str(raised.value)


def test_m2m_search_with_an_infinite_total(provider, services, context, feedback, tmp_path):
    services.faults.add("m2m", "scene-search", "malformed_json", variant="infinity", fields=["totalHits"])
    message = run_failing("scenefinder:m2msearch", {
        "EXTENT": ALBEMARLE_EXTENT, "START_DATE": "2023-03-01", "END_DATE": "2023-03-31",
        "OUTPUT": str(tmp_path / "footprints.gpkg")}, context, feedback)
    assert message == f"USGS M2M answered with data Scene Finder cannot read (field totalHits). {ADVICE}"
    assert not (tmp_path / "footprints.gpkg").exists()


def test_carbon_mapper_plumes_with_a_bad_point(provider, services, context, feedback, tmp_path):
    services.faults.add("carbonmapper", "catalog/plumes/annotated", "malformed_json", variant="plume_geometry",
                        geometry=[-102.5, 32.0])
    message = run_failing("scenefinder:cmplumes", {
        "EXTENT": PERMIAN, "START_DATE": "2025-01-01", "END_DATE": "2025-12-31",
        "OUTPUT": str(tmp_path / "plumes.gpkg")}, context, feedback)
    field = "items[].geometry_json"
    assert message == f"Carbon Mapper answered with data Scene Finder cannot read (field {field}). {ADVICE}"
