"""Time on results layers and in the results table: one rule for both.

Footprint, Carbon Mapper scene and plume layers get temporal properties from their acquisition
time, so QGIS's Temporal Controller animates them; the results table shows the same scenes as
the map while it follows the controller (:mod:`..ui.time_filter`). The decisions, made here once:

- A ``DateTime`` field (Carbon Mapper ``timestamp``, plume ``datetime``) is an instant: QGIS's
  "single field" mode; a feature shows when ``begin <= t < end`` (``<=`` when the range includes
  its end). A feature without a time always shows (QGIS's rule for that mode).
- A ``Date`` field (USGS ``acquired``) is the whole day ``[day, day + 1)``: start and end
  expressions, so a scene shows in every frame that overlaps its day, and in no other. (A date
  compared with the controller's date-times directly would show a scene in two daily frames.)
  A scene without a date shows in no frame.

:func:`time_span` reads a table row's span the same way, and :class:`TimeWindow` (a controller's
range) says whether a span shows.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from typing import Any

from qgis.core import Qgis, QgsDateTimeRange, QgsVectorLayer
from qgis.PyQt.QtCore import QDateTime, QMetaType

from .compat import field_type

INSTANT_FIELDS = ("timestamp", "datetime")  # Carbon Mapper scenes, plumes
DAY_FIELDS = ("acquired",)  # USGS footprints
ONE_DAY = datetime.timedelta(days=1)


def _time_field(layer: QgsVectorLayer) -> tuple[str, bool] | None:
    """(field name, is a whole day) of the layer's acquisition time, or None."""
    fields = layer.fields()
    for name in INSTANT_FIELDS + DAY_FIELDS:
        index = fields.indexOf(name)
        if index < 0:
            continue
        kind = field_type(fields.at(index))
        if kind == QMetaType.Type.QDateTime:
            return name, False
        if kind == QMetaType.Type.QDate:
            return name, True
    return None


def set_acquisition_time(layer: QgsVectorLayer) -> bool:
    """Give ``layer`` temporal properties from its acquisition time; False when it has no such field."""
    found = _time_field(layer)
    if found is None:
        return False
    name, whole_day = found
    properties = layer.temporalProperties()
    if whole_day:
        quoted = f'to_datetime("{name}")'
        properties.setMode(Qgis.VectorTemporalMode.FeatureDateTimeStartAndEndFromExpressions)
        properties.setStartExpression(quoted)
        properties.setEndExpression(f"{quoted} + make_interval(days:=1)")
    else:
        properties.setMode(Qgis.VectorTemporalMode.FeatureDateTimeInstantFromField)
        properties.setStartField(name)
    properties.setIsActive(True)
    return True


# --- the table's side -------------------------------------------------------------------------
@dataclass(frozen=True)
class Span:
    """When a row was acquired: ``start`` (naive; UTC for an instant, the calendar day for a date;
    None when unknown)."""

    start: datetime.datetime | None
    whole_day: bool


def _has(record: Any, name: str) -> bool:
    return name in record if isinstance(record, dict) else hasattr(record, name)


def _value(record: Any, name: str) -> Any:
    return record.get(name) if isinstance(record, dict) else getattr(record, name, None)


def _parse_instant(value: Any) -> datetime.datetime | None:
    """A UTC wall time from what OGR or QGIS give for a DateTime field (or a datetime)."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value
    if isinstance(value, QDateTime):
        return value.toUTC().toPyDateTime() if value.isValid() else None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("/", "-").replace(" ", "T", 1)
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    elif len(text) > 3 and text[-3] in "+-" and text[-2:].isdigit() and ":" not in text[-3:]:
        text += ":00"  # OGR writes "+00"
    try:
        return _parse_instant(datetime.datetime.fromisoformat(text))
    except ValueError:
        return None


def time_span(record: Any, acquired: datetime.date | None) -> Span:
    """The span of a table row: its record's instant field when it has one, else its acquisition day."""
    if record is not None:
        for name in INSTANT_FIELDS:
            if _has(record, name):
                return Span(_parse_instant(_value(record, name)), False)
    return _day_span(acquired.date() if isinstance(acquired, datetime.datetime) else acquired)


@functools.lru_cache(maxsize=4096)
def _day_span(day: datetime.date | None) -> Span:
    """One Span per day (a table of 50,000 scenes has a few hundred days): made once each."""
    if day is None:
        return Span(None, True)
    return Span(datetime.datetime(day.year, day.month, day.day), True)


@dataclass(frozen=True)
class TimeWindow:
    """A controller's range: bounds as naive wall times (local, as the controller shows them) and UTC."""

    begin: datetime.datetime | None
    end: datetime.datetime | None
    begin_utc: datetime.datetime | None
    end_utc: datetime.datetime | None
    include_begin: bool = True
    include_end: bool = False

    @classmethod
    def of(cls, time_range: QgsDateTimeRange) -> TimeWindow | None:
        """The window of a controller's range; None when it bounds nothing (the controller is off)."""
        begin, end = time_range.begin(), time_range.end()
        if not begin.isValid() and not end.isValid():
            return None

        def wall(moment: QDateTime) -> datetime.datetime | None:
            return moment.toPyDateTime().replace(tzinfo=None) if moment.isValid() else None

        def utc(moment: QDateTime) -> datetime.datetime | None:
            return moment.toUTC().toPyDateTime().replace(tzinfo=None) if moment.isValid() else None

        return cls(wall(begin), wall(end), utc(begin), utc(end), time_range.includeBeginning(),
                   time_range.includeEnd())

    def shows(self, span: Span) -> bool:
        """Whether a row with this span shows in the window (as its feature does on the map)."""
        if span.start is None:
            return not span.whole_day
        if span.whole_day:  # [day, day + 1) overlaps the window
            return ((self.end is None or span.start < self.end or (span.start == self.end and self.include_end))
                    and (self.begin is None or span.start + ONE_DAY > self.begin))
        moment = span.start
        if self.begin_utc is not None and (moment < self.begin_utc or (moment == self.begin_utc
                                                                       and not self.include_begin)):
            return False
        return self.end_utc is None or moment < self.end_utc or (moment == self.end_utc and self.include_end)

    def describe(self) -> str:
        def text(moment: datetime.datetime | None) -> str:
            if moment is None:
                return "…"
            return moment.strftime("%Y-%m-%d" if moment.time() == datetime.time() else "%Y-%m-%d %H:%M")

        return f"{text(self.begin)} – {text(self.end)}"
