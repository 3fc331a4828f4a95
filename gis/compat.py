"""The one place where Scene Finder picks, at run time, between QGIS API generations.

Only what has no form common to every supported QGIS (3.22 on Qt 5 up to 4.x on Qt 6) lives
here; everything else uses the common API directly.

Field types: QGIS 3.22 to 3.36 take and return ``QVariant.Type``; QGIS 3.38 and later take and
return ``QMetaType.Type`` and deprecate the QVariant overloads, and PyQt6 (QGIS 4) has no
QVariant type constants at all. The plugin names field types as ``QMetaType.Type`` members
everywhere and goes through :func:`make_field` and :func:`field_type`.
"""

from __future__ import annotations

from qgis.core import Qgis, QgsField, QgsPalLayerSettings
from qgis.PyQt.QtCore import QMetaType

# QgsField(name, QMetaType.Type) and QgsField.type() -> QMetaType.Type came with QGIS 3.38.
METATYPE_FIELDS = Qgis.versionInt() >= 33800


def make_field(name: str, meta_type: QMetaType.Type, type_name: str = "", length: int = 0,
               precision: int = 0) -> QgsField:
    """A QgsField of the given ``QMetaType.Type`` on every QGIS, without deprecated calls."""
    if METATYPE_FIELDS:
        return QgsField(name, meta_type, type_name, length, precision)
    # Before 3.38 the only constructor takes a QVariant.Type, whose values are the QMetaType ones.
    return QgsField(name, int(meta_type), type_name, length, precision)


def field_type(field: QgsField) -> QMetaType.Type:
    """The field's type as a ``QMetaType.Type`` on every QGIS."""
    if METATYPE_FIELDS:
        return field.type()
    return QMetaType.Type(int(field.type()))



# Label placement: QgsPalLayerSettings.Placement until 3.24; Qgis.LabelPlacement from 3.26 (the old
# enum is deprecated there and gone in QGIS 4).
LABEL_OVER_POINT = (Qgis.LabelPlacement.OverPoint if hasattr(Qgis, "LabelPlacement")
                    else QgsPalLayerSettings.Placement.OverPoint)
