"""The emulator answers like the recorded Carbon Mapper responses: same keys, same value types.

Each recording in ``fixtures/carbonmapper`` is paired with the emulator request that answers the
same question. Paths the emulator does not reproduce are listed, with the reason, in
``emulator.unemulated.CARBONMAPPER_UNEMULATED``. Requests choose plumes that have an emission
estimate where the recording's first item has one, since a recorded number only accepts a number.
"""

from __future__ import annotations

import csv
import io
import json
import uuid

import pytest
import requests
from osgeo import gdal, ogr
from support.conformance import FIXTURES, shape_differences

from scene_finder.emulator.unemulated import CARBONMAPPER_UNEMULATED

FOLDER = FIXTURES / "carbonmapper"
HEADERS = {"Authorization": "Bearer demo-carbonmapper-token"}
CALIFORNIA = ('{"type": "MultiPolygon", "coordinates": [[[[-124.346415, 42.041457], [-125.981193, 41.962186], '
              '[-124.607620, 31.606420], [-114.338004, 32.468868], [-114.068746, 41.913432], '
              '[-124.346415, 42.041457]]]]}')
# fiona schema types -> the OGR field types they are read from
FIONA_TO_OGR = {"str": {"String"}, "int": {"Integer64", "Integer"}, "int64": {"Integer64"}, "int32": {"Integer"},
                "float": {"Real"}, "datetime": {"DateTime"}, "date": {"Date"}}

pytestmark = pytest.mark.skipif(not FOLDER.is_dir(), reason=f"recorded fixtures not found at {FOLDER}")


def _skip(name: str) -> set[str]:
    return set(CARBONMAPPER_UNEMULATED.get("*", {})) | set(CARBONMAPPER_UNEMULATED.get(name, {}))


def _recorded(name: str):
    return json.loads((FOLDER / name).read_text(encoding="utf-8"))


def _get(emulator, route: str, **params):
    response = requests.get(emulator.carbonmapper_url + route, params=params, headers=HEADERS, timeout=60)
    assert response.status_code == 200, response.text[:300]
    return response


def _sjv_page(emulator):
    return _get(emulator, "catalog/plumes/annotated", bbox=[-120.6, 34.9, -118.7, 37.2], limit=4,
                instrument="tan", emission_min=0).json()


def _california_page(emulator):
    return _get(emulator, "catalog/plumes/annotated", intersects=CALIFORNIA, datetime="2020-01-01/2023-12-31",
                limit=20).json()


def _single_plume(emulator):
    return _get(emulator, "catalog/plumes/annotated", limit=1, instrument="tan", emission_min=0).json()["items"][0]


def _source_of_plume(emulator):
    plume = _single_plume(emulator)["plume_id"]
    return _get(emulator, f"catalog/source/plume/name/{plume}").json()


def _sources(emulator):
    return _get(emulator, "catalog/sources.geojson", bbox=[-120.6, 34.9, -118.7, 37.2], emission_min=0).json()


JSON_CASES = {
    "plumes_annotated_page__sjvair_2026-09.json": _sjv_page,
    "plumes_annotated_item__platform-public_2024-08_scrubbed.json": _california_page,
    "plume_single__mhacks_2026-09_scrubbed.json": _single_plume,
    "source_plume_name__mhacks_2026-09_trimmed.json": _source_of_plume,
    "sources_geojson__data.carbonmapper.org_src_geojson.json": _sources,
}
OTHER_CASES = {"sources_csv__sjvair_2026-09.csv", "scenes_gpkg_schema__platform-public_2024-07.json"}


@pytest.mark.parametrize("name", sorted(JSON_CASES))
def test_json_responses_have_the_recorded_shape(emulator, name):
    emulated = JSON_CASES[name](emulator)
    differences = shape_differences(_recorded(name), emulated, _skip(name))
    assert differences == [], "\n".join(differences)


def test_every_recording_is_compared_or_listed():
    recordings = {p.name for p in FOLDER.iterdir() if p.suffix in (".json", ".csv")}
    assert recordings <= set(JSON_CASES) | OTHER_CASES | set(CARBONMAPPER_UNEMULATED)
    assert all(reason for paths in CARBONMAPPER_UNEMULATED.values() for reason in paths.values())


def _as_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_sources_csv_has_the_recorded_columns_and_cell_kinds(emulator):
    name = "sources_csv__sjvair_2026-09.csv"
    recorded = list(csv.reader(io.StringIO((FOLDER / name).read_text(encoding="utf-8"))))
    text = _get(emulator, "catalog/sources-csv", bbox=[-120.6, 34.9, -118.7, 37.2], emission_min=0).text
    emulated = list(csv.reader(io.StringIO(text)))
    assert emulated[0] == recorded[0]
    assert len(emulated) > 1
    kinds = [_as_number(cell) for cell in recorded[1]]
    for row in emulated[1:]:
        assert [_as_number(cell) for cell in row] == kinds, row


def test_scenes_geopackage_schema_matches_the_tutorials(emulator):
    recorded = _recorded("scenes_gpkg_schema__platform-public_2024-07.json")
    content = _get(emulator, "catalog/download/scenes.gpkg", limit=0).content
    path = f"/vsimem/conformance-{uuid.uuid4().hex}.gpkg"
    gdal.FileFromMemBuffer(path, content)
    try:
        dataset = ogr.Open(path)
        layer = dataset.GetLayerByName("scenes")
        definition = layer.GetLayerDefn()
        fields = {definition.GetFieldDefn(k).GetName(): definition.GetFieldDefn(k).GetTypeName()
                  for k in range(definition.GetFieldCount())}
        geometry = ogr.GeometryTypeToName(layer.GetGeomType())
        epsg = layer.GetSpatialRef().GetAuthorityCode(None)
    finally:
        dataset = None
        gdal.Unlink(path)
    assert list(fields) == list(recorded["properties"])
    for field, fiona_type in recorded["properties"].items():
        assert fields[field] in FIONA_TO_OGR[fiona_type], (field, fields[field], fiona_type)
    assert geometry == recorded["geometry"] and epsg == "4326"
