"""The search form: source, dataset, dates, cloud cover, the dataset's metadata filters, result limit.

The dataset list (``dataset-search``) and a dataset's filters (``dataset-filters``) are fetched in
a background task once the user is signed in to USGS. Filters become widgets: a Select filter a
combo box of its values, a Range filter two fields, a Text filter a line edit. Everything is
remembered between sessions (:mod:`..gis.settings`).
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from qgis.PyQt.QtCore import QCoreApplication, QDate, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QWidget,
)

from ..gis import settings
from ..gis.operations.search import SearchRequest
from ..gis.sources import FIELD_CLOUD, FIELD_DATASET, FIELD_GAS, FIELD_LIMIT, FIELD_METADATA, SOURCES, source
from ..gis.tasks.base import start_task
from ..gis.tasks.panel import DatasetInfoTask
from .plain_text import new_plain_label

LOG = logging.getLogger(__name__)

SOURCE_LANDSAT, SOURCE_CM_SCENES, SOURCE_CM_PLUMES = SOURCES  # the ids of the registry's sources
MAX_RESULTS = 50_000  # M2M never returns more
ANY = ""


def tr(message: str) -> str:
    return QCoreApplication.translate("SceneFinderSearchForm", message)


class FilterWidgets:
    """The widgets of one metadata filter, and how to read and set their value."""

    def __init__(self, spec, parent):
        self.spec = spec
        kind = type(spec).__name__
        self.kind = kind
        if kind == "SelectFilter":
            self.combo = QComboBox(parent)
            self.combo.addItem(tr("(any)"), ANY)
            for value, label in spec.values.items():
                self.combo.addItem(label, value)
            self.widget = self.combo
        elif kind == "RangeFilter":
            self.low, self.high = QLineEdit(parent), QLineEdit(parent)
            example = "2023/01/31" if getattr(spec, "is_date", False) else ""
            self.low.setPlaceholderText(tr("from {example}").format(example=example).strip())
            self.high.setPlaceholderText(tr("to"))
            self.widget = QWidget(parent)
            row = QHBoxLayout(self.widget)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(self.low)
            row.addWidget(self.high)
        else:
            self.edit = QLineEdit(parent)
            self.widget = self.edit
        self.widget.setObjectName(f"Filter_{spec.id}")

    def value(self) -> Any:
        if self.kind == "SelectFilter":
            return self.combo.currentData() or None
        if self.kind == "RangeFilter":
            low, high = self.low.text().strip(), self.high.text().strip()
            return [low or None, high or None] if (low or high) else None
        return self.edit.text().strip() or None

    def set_value(self, value: Any) -> None:
        if value is None:  # not set: (any), empty fields
            if self.kind == "SelectFilter":
                self.combo.setCurrentIndex(0)
            elif self.kind == "RangeFilter":
                self.low.clear()
                self.high.clear()
            else:
                self.edit.clear()
            return
        if self.kind == "SelectFilter":
            index = self.combo.findData(str(value))
            if index >= 0:
                self.combo.setCurrentIndex(index)
        elif self.kind == "RangeFilter" and isinstance(value, (list, tuple)) and len(value) == 2:
            self.low.setText("" if value[0] is None else str(value[0]))
            self.high.setText("" if value[1] is None else str(value[1]))
        elif self.kind not in ("SelectFilter", "RangeFilter"):
            self.edit.setText(str(value))


class SearchForm(QWidget):
    """Emits :attr:`source_changed` when the source changes."""

    source_changed = pyqtSignal(str)
    info_failed = pyqtSignal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.credentials_provider = None  # () -> (username, token) | None, set by the dock
        self.task: DatasetInfoTask | None = None
        self.filters: list[FilterWidgets] = []
        self.datasets_loaded = False
        self.pending_metadata: tuple[str, dict] | None = None  # (dataset, values) put back before its filters load
        self.datasets: list = []  # the USGS datasets (core Dataset), for the picker
        self.picker_dialog = None

        self.source_combo = QComboBox(self)
        self.source_combo.setObjectName("SearchSource")
        for entry in SOURCES.values():
            self.source_combo.addItem(tr(entry.label), entry.id)
        self.dataset_combo = QComboBox(self)
        self.dataset_combo.setObjectName("SearchDataset")
        self.reload_button = QToolButton(self)
        self.reload_button.setObjectName("SearchReloadDatasets")
        self.reload_button.setText("↻")
        self.reload_button.setToolTip(tr("Reload the datasets and filters from USGS"))
        dataset_row = QWidget(self)
        row = QHBoxLayout(dataset_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.dataset_combo, 1)
        self.pick_button = QToolButton(self)
        self.pick_button.setObjectName("SearchPickDataset")
        self.pick_button.setText("…")
        self.pick_button.setToolTip(tr("Browse every dataset by category, search them, star favourites"))
        row.addWidget(self.pick_button)
        row.addWidget(self.reload_button)
        self.start_edit = QDateEdit(self)
        self.end_edit = QDateEdit(self)
        for edit, name in ((self.start_edit, "SearchStart"), (self.end_edit, "SearchEnd")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        dates = QWidget(self)
        row = QHBoxLayout(dates)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.start_edit)
        row.addWidget(self.end_edit)
        self.cloud_spin = QSpinBox(self)
        self.cloud_spin.setObjectName("SearchCloud")
        self.cloud_spin.setRange(0, 100)
        self.cloud_spin.setSuffix(" %")
        self.unknown_cloud_check = QCheckBox(tr("Include scenes with unknown cloud cover"), self)
        self.unknown_cloud_check.setObjectName("SearchUnknownCloud")
        self.gas_combo = QComboBox(self)
        self.gas_combo.setObjectName("SearchGas")
        for label, value in ((tr("Any gas"), ANY), ("CH₄", "CH4"), ("CO₂", "CO2")):
            self.gas_combo.addItem(label, value)
        self.limit_spin = QSpinBox(self)
        self.limit_spin.setObjectName("SearchLimit")
        self.limit_spin.setRange(1, MAX_RESULTS)
        self.limit_spin.setSingleStep(100)
        self.filter_box = QGroupBox(tr("Metadata filters"), self)
        self.filter_box.setObjectName("SearchFilters")
        self.filter_box.setCheckable(False)
        self.filter_layout = QFormLayout(self.filter_box)

        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow(tr("Source"), self.source_combo)
        self.form.addRow(tr("Dataset"), dataset_row)
        self.form.addRow(tr("Dates"), dates)
        self.form.addRow(tr("Max. cloud cover"), self.cloud_spin)
        self.form.addRow("", self.unknown_cloud_check)
        self.form.addRow(tr("Gas"), self.gas_combo)
        self.form.addRow(tr("At most"), self.limit_spin)
        self.form.addRow(self.filter_box)
        self._field_widgets = {FIELD_DATASET: [dataset_row], FIELD_CLOUD: [self.cloud_spin, self.unknown_cloud_check],
                               FIELD_GAS: [self.gas_combo], FIELD_LIMIT: [self.limit_spin]}

        self._restore()
        self.source_combo.currentIndexChanged.connect(self._source_changed)
        self.dataset_combo.currentIndexChanged.connect(self._dataset_changed)
        self.reload_button.clicked.connect(lambda: self.load_dataset_info(force=True))
        self.pick_button.clicked.connect(self.open_picker)
        self._source_changed()

    # Values
    def source(self) -> str:
        return self.source_combo.currentData()

    def dataset(self) -> str:
        return self.dataset_combo.currentData() or settings.DEFAULT_DATASET

    def start(self) -> datetime.date:
        return self.start_edit.date().toPyDate()

    def end(self) -> datetime.date:
        return self.end_edit.date().toPyDate()

    def metadata(self) -> dict[str, Any]:
        """{filter id: value or [min, max]} of the filters the user set."""
        if not self.filters and self.pending_metadata and self.pending_metadata[0] == self.dataset():
            return dict(self.pending_metadata[1])
        values = {}
        for widgets in self.filters:
            value = widgets.value()
            if value is not None:
                values[widgets.spec.id] = tuple(value) if isinstance(value, list) else value
        return values

    def request(self, aoi: Any = None) -> SearchRequest:
        """What the form asks for, for an area ``aoi`` (shapely, EPSG:4326); each source reads its fields."""
        return SearchRequest(aoi=aoi, start=self.start(), end=self.end(), cloud_max=float(self.cloud_spin.value()),
                             include_unknown_cloud=self.unknown_cloud_check.isChecked(), dataset=self.dataset(),
                             metadata=self.metadata() or None, limit=self.limit_spin.value(),
                             gas=self.gas_combo.currentData() or None)

    def remember(self) -> None:
        """Save the form in the settings (called when a search starts)."""
        settings.set_last_source(self.source())
        settings.set_dataset(self.dataset())
        settings.set_date_range(self.start(), self.end())
        settings.set_cloud_max(self.cloud_spin.value())
        settings.set_value("include_unknown_cloud", self.unknown_cloud_check.isChecked())
        settings.set_result_limit(self.limit_spin.value())
        settings.set_value("gas", self.gas_combo.currentData() or None)
        if self.filters:
            settings.set_metadata_filters(self.dataset(), {w.spec.id: w.value() for w in self.filters
                                                           if w.value() is not None})

    def apply(self, search) -> None:
        """Put a saved search's values (:class:`..gis.saved_searches.SavedSearch`) back into the form."""
        index = self.source_combo.findData(search.source)
        if index >= 0:
            self.source_combo.setCurrentIndex(index)
        metadata = dict(search.metadata or {})
        settings.set_metadata_filters(search.dataset, metadata)  # what its filter widgets show when they load
        if search.dataset != self.dataset():
            index = self.dataset_combo.findData(search.dataset)
            if index < 0:
                self.dataset_combo.addItem(search.dataset, search.dataset)
                index = self.dataset_combo.count() - 1
            self.dataset_combo.setCurrentIndex(index)  # its filters load in the background
        if self.filters:
            for widgets in self.filters:
                widgets.set_value(metadata.get(widgets.spec.id))
        else:
            self.pending_metadata = (search.dataset, metadata)
        for edit, day in ((self.start_edit, search.start_date()), (self.end_edit, search.end_date())):
            if day is not None:
                edit.setDate(QDate(day))
        self.cloud_spin.setValue(100 if search.cloud_max is None else int(round(search.cloud_max)))
        self.unknown_cloud_check.setChecked(search.include_unknown_cloud)
        if search.limit:
            self.limit_spin.setValue(min(MAX_RESULTS, int(search.limit)))
        self.gas_combo.setCurrentIndex(max(0, self.gas_combo.findData(search.gas or ANY)))

    def _restore(self) -> None:
        index = self.source_combo.findData(settings.last_source())
        self.source_combo.setCurrentIndex(max(0, index))
        dataset = settings.dataset()
        self.dataset_combo.addItem(dataset, dataset)
        start, end = settings.date_range()
        self.start_edit.setDate(QDate(start))
        self.end_edit.setDate(QDate(end))
        self.cloud_spin.setValue(int(round(settings.cloud_max())))
        self.unknown_cloud_check.setChecked(settings.value("include_unknown_cloud"))
        self.limit_spin.setValue(min(MAX_RESULTS, settings.result_limit()))
        index = self.gas_combo.findData(settings.value("gas"))
        self.gas_combo.setCurrentIndex(max(0, index))

    # Datasets and filters
    def load_dataset_info(self, force: bool = False) -> None:
        """Fetch datasets (first time) and the current dataset's filters, in the background."""
        try:
            if FIELD_DATASET not in source(self.source()).fields or self.credentials_provider is None:
                return
            credentials = self.credentials_provider()
            if not credentials:
                return
            if self.task is not None:
                self.task.cancel()
            task = DatasetInfoTask(credentials, self.dataset(), force or not self.datasets_loaded)
            task.add_callbacks(lambda result: self._info_ready(task, result), lambda error: self._info_failed(task,
                                                                                                             error))
            self.task = task
            self.filter_box.setTitle(tr("Metadata filters (loading…)"))
            start_task(task)
        except Exception as error:
            LOG.exception("Loading the datasets failed")
            self.info_failed.emit(error)

    def _info_ready(self, task, result: dict) -> None:
        if task is not self.task:
            return
        self.task = None
        if result["datasets"] is not None:
            current = self.dataset()
            self.dataset_combo.blockSignals(True)
            self.dataset_combo.clear()
            for dataset in sorted(result["datasets"], key=lambda d: d.name.lower()):
                self.dataset_combo.addItem(f"{dataset.name} ({dataset.alias})", dataset.alias)
            index = self.dataset_combo.findData(current)
            if index < 0:
                self.dataset_combo.addItem(current, current)
                index = self.dataset_combo.count() - 1
            self.dataset_combo.setCurrentIndex(index)
            self.dataset_combo.blockSignals(False)
            self.datasets_loaded = True
            self.datasets = list(result["datasets"])
            if self.picker_dialog is not None:
                self.picker_dialog.picker.set_datasets(self.datasets, current)
        if result["dataset"] == self.dataset():
            self.set_filters(result["filters"])

    def open_picker(self) -> None:
        from .dataset_picker import open_picker

        open_picker(self)

    def select_dataset(self, alias: str) -> None:
        """Make ``alias`` the dataset (the picker's choice); its filters load as when chosen in the list."""
        index = self.dataset_combo.findData(alias)
        if index < 0:
            self.dataset_combo.addItem(alias, alias)
            index = self.dataset_combo.count() - 1
        self.dataset_combo.setCurrentIndex(index)

    def _info_failed(self, task, error) -> None:
        if task is not self.task:
            return
        self.task = None
        self.filter_box.setTitle(tr("Metadata filters (not available)"))
        if not getattr(task, "cancelled", False):
            self.info_failed.emit(error)

    def set_filters(self, specs: list) -> None:
        """Build one row of widgets per filter, filled with the values last used for this dataset."""
        while self.filter_layout.rowCount():
            self.filter_layout.removeRow(0)
        self.filters = []
        remembered = settings.metadata_filters(self.dataset())
        for spec in specs:
            widgets = FilterWidgets(spec, self.filter_box)
            widgets.set_value(remembered.get(spec.id, remembered.get(spec.label)))
            self.filter_layout.addRow(new_plain_label(spec.label, self.filter_box), widgets.widget)
            self.filters.append(widgets)
        if specs:
            self.pending_metadata = None  # the widgets hold them now (from the settings)
        self.filter_box.setTitle(tr("Metadata filters"))
        self.filter_box.setVisible(bool(self.filters) and FIELD_METADATA in source(self.source()).fields)

    # Slots
    def _source_changed(self, *_args) -> None:
        try:
            fields = source(self.source()).fields
            for name, widgets in self._field_widgets.items():
                for widget in widgets:
                    widget.setVisible(name in fields)
                    label = self.form.labelForField(widget)
                    if label is not None:
                        label.setVisible(name in fields)
            self.filter_box.setVisible(FIELD_METADATA in fields and bool(self.filters))
            if FIELD_DATASET in fields and not self.datasets_loaded:
                self.load_dataset_info()
            self.source_changed.emit(self.source())
        except Exception:
            LOG.exception("Changing the source failed")

    def _dataset_changed(self, *_args) -> None:
        self.set_filters([])
        self.load_dataset_info()

    def shutdown(self) -> None:
        if self.task is not None:
            try:
                self.task.cancel()
            except RuntimeError:
                pass
            self.task = None
