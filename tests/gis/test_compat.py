"""The QGIS-side run-time choices between API generations: field types as QMetaType.Type everywhere."""

from __future__ import annotations

import warnings

import pytest
from qgis.core import QgsVectorLayer
from qgis.PyQt.QtCore import QMetaType

from scene_finder.gis.compat import field_type, make_field

TYPES = [QMetaType.Type.QString, QMetaType.Type.Double, QMetaType.Type.Int, QMetaType.Type.LongLong,
         QMetaType.Type.QDate, QMetaType.Type.QDateTime, QMetaType.Type.Bool]


@pytest.mark.parametrize("meta_type", TYPES, ids=lambda t: t.name if hasattr(t, "name") else str(t))
def test_make_field_gives_the_type_back_without_a_deprecation(meta_type, qgis_app):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # QGIS 3.38+ deprecates the QVariant.Type constructor
        field = make_field("value", meta_type, "", 12, 3)
        assert field_type(field) == meta_type
    assert field.name() == "value" and field.length() == 12 and field.precision() == 3


def test_fields_added_to_a_memory_layer_keep_their_types(qgis_app):
    layer = QgsVectorLayer("Point?crs=EPSG:4326", "fields", "memory")
    layer.dataProvider().addAttributes([make_field("name", QMetaType.Type.QString),
                                        make_field("cloud", QMetaType.Type.Double)])
    layer.updateFields()
    assert [(f.name(), field_type(f)) for f in layer.fields()] == [
        ("name", QMetaType.Type.QString), ("cloud", QMetaType.Type.Double)]
