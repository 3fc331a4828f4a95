"""The dataset picker: the USGS datasets the account can search, by category, with a search box and favourites.

``dataset-search`` answers with the datasets the signed-in account may search (the service leaves out
the ones it has no access to), each with its category (``datasetCategoryName``). The picker groups
them by category, alphabetically; the starred ones (favourites, kept in the settings) come first in a
group of their own. The search box filters as one types, case-insensitively, on the alias, name,
long name, keywords and category; every word must match.

Keyboard: type to filter; Down goes to the list; Enter picks the selected dataset (or, from the
search box, the first match); Space or Ctrl+D stars or unstars it; Escape closes the dialog.
A few thousand rows stay instant: one model built once, a filter proxy over it, uniform row heights.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from qgis.PyQt.QtCore import QCoreApplication, QEvent, QModelIndex, QSortFilterProxyModel, Qt, pyqtSignal
from qgis.PyQt.QtGui import QStandardItem, QStandardItemModel
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ..gis import settings

LOG = logging.getLogger(__name__)

ROLE_ALIAS = Qt.ItemDataRole.UserRole + 1  # a dataset row's alias (None on group rows)
ROLE_TEXT = Qt.ItemDataRole.UserRole + 2  # what the search box matches, casefolded
STAR, NO_STAR = "★", "☆"
OTHER = "Other"  # the group of datasets without a category


def tr(message: str) -> str:
    return QCoreApplication.translate("SceneFinderDatasetPicker", message)


# --- favourites ---------------------------------------------------------------------------------------------
def favourites() -> list[str]:
    """The starred dataset aliases, in the order they were starred."""
    value = settings.value("favourite_datasets")
    return [alias for alias in value if isinstance(alias, str)] if isinstance(value, list) else []


def set_favourite(alias: str, starred: bool) -> None:
    current = [a for a in favourites() if a != alias]
    settings.set_json("favourite_datasets", current + [alias] if starred else current)


def search_text(dataset) -> str:
    """What the search box looks in: alias, name, long name, keywords and category, casefolded."""
    parts = (dataset.alias, dataset.name, dataset.long_name, getattr(dataset, "keywords", ""), dataset.category)
    return " ".join(part for part in parts if part).casefold()


class DatasetFilter(QSortFilterProxyModel):
    """Keeps the datasets whose text holds every word typed, and the groups that still hold one."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.words: list[str] = []
        self.setRecursiveFilteringEnabled(True)  # a group stays while one of its datasets matches

    def set_text(self, text: str) -> None:
        self.words = text.casefold().split()
        self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802 - Qt API
        if not self.words:
            return True
        text = self.sourceModel().index(row, 0, parent).data(ROLE_TEXT)
        return bool(text) and all(word in text for word in self.words)


class _Tree(QTreeView):
    """The list: Enter picks, Space or Ctrl+D stars."""

    pick_requested = pyqtSignal(QModelIndex)
    star_requested = pyqtSignal(QModelIndex)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        key, index = event.key(), self.currentIndex()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and index.isValid():
            self.pick_requested.emit(index)
            return
        ctrl_d = key == Qt.Key.Key_D and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if (key == Qt.Key.Key_Space or ctrl_d) and index.isValid():
            self.star_requested.emit(index)
            return
        super().keyPressEvent(event)


class DatasetPicker(QWidget):
    """Emits :attr:`dataset_picked` with the alias of the dataset the user chose."""

    dataset_picked = pyqtSignal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.datasets: dict[str, object] = {}  # alias -> core Dataset
        self.current = ""
        self.search = QLineEdit(self)
        self.search.setObjectName("DatasetPickerSearch")
        self.search.setPlaceholderText(tr("Search: name, alias or keyword (e.g. NDVI, aerial, landsat_ot)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(tr("Search the datasets"))
        self.model = QStandardItemModel(0, 2, self)
        self.model.setHorizontalHeaderLabels([tr("Dataset"), STAR])
        self.proxy = DatasetFilter(self)
        self.proxy.setSourceModel(self.model)
        self.view = _Tree(self)
        self.view.setObjectName("DatasetPickerTree")
        self.view.setAccessibleName(tr("Datasets by category"))
        self.view.setModel(self.proxy)
        self.view.setUniformRowHeights(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAllColumnsShowFocus(True)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("DatasetPickerCount")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)
        self.setFocusProxy(self.search)

        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.view.pick_requested.connect(self._pick)
        self.view.star_requested.connect(self._toggle_star)
        self.view.doubleClicked.connect(self._clicked_twice)
        self.view.clicked.connect(self._clicked)

    # Contents
    def set_datasets(self, datasets: Iterable, current: str = "") -> None:
        """Show ``datasets`` (core :class:`Dataset` objects), ``current`` selected."""
        self.datasets = {d.alias: d for d in datasets}
        self.current = current
        self._rebuild()

    def _rebuild(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        starred = set(favourites())
        by_category: dict[str, list] = {}
        for dataset in self.datasets.values():
            by_category.setdefault(dataset.category or OTHER, []).append(dataset)
        self.favourites_group = self._group(tr("Favourites"), STAR)
        self.model.appendRow(self._row(self.favourites_group))
        self._fill_favourites(starred)
        root = self.model.invisibleRootItem()
        for category in sorted(by_category, key=str.casefold):
            group = self._group(category)
            for dataset in sorted(by_category[category], key=lambda d: d.name.casefold()):
                group.appendRow(self._dataset_row(dataset, dataset.alias in starred))
            root.appendRow(self._row(group))
        self._filter(self.search.text())
        self._show_current()

    def _fill_favourites(self, starred: set[str]) -> None:
        group = self.favourites_group
        group.removeRows(0, group.rowCount())
        chosen = [self.datasets[a] for a in favourites() if a in self.datasets and a in starred]
        for dataset in sorted(chosen, key=lambda d: d.name.casefold()):
            group.appendRow(self._dataset_row(dataset, True))

    @staticmethod
    def _group(title: str, icon_text: str = "") -> QStandardItem:
        item = QStandardItem(f"{icon_text} {title}".strip())
        item.setEditable(False)
        font = item.font()
        font.setBold(True)
        item.setFont(font)
        return item

    @staticmethod
    def _row(group: QStandardItem) -> list[QStandardItem]:
        blank = QStandardItem("")
        blank.setEditable(False)
        return [group, blank]

    @staticmethod
    def _dataset_row(dataset, starred: bool) -> list[QStandardItem]:
        item = QStandardItem(f"{dataset.name} ({dataset.alias})")
        item.setEditable(False)
        item.setData(dataset.alias, ROLE_ALIAS)
        item.setData(search_text(dataset), ROLE_TEXT)
        end = dataset.acquisition_end or tr("today")
        tip = [dataset.long_name or dataset.name, tr("Alias: {alias}").format(alias=dataset.alias)]
        if dataset.category:
            tip.append(tr("Category: {category}").format(category=dataset.category))
        if dataset.acquisition_start:
            tip.append(tr("Acquired: {start} to {end}").format(start=dataset.acquisition_start[:10], end=end[:10]))
        item.setToolTip("\n".join(tip))
        star = QStandardItem(STAR if starred else NO_STAR)
        star.setEditable(False)
        star.setData(dataset.alias, ROLE_ALIAS)
        star.setToolTip(tr("Remove from favourites (Space)") if starred else tr("Add to favourites (Space)"))
        star.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        return [item, star]

    # Searching
    def _filter(self, text: str) -> None:
        self.proxy.set_text(text)
        if text.strip():
            self.view.expandAll()
            self.view.scrollToTop()
        else:
            self.view.collapseAll()
            self.view.expand(self.proxy.mapFromSource(self.favourites_group.index()))
            self._show_current()
        shown = self.visible_aliases()
        total = len(self.datasets)
        self.count_label.setText(tr("{count} datasets").format(count=total) if not text.strip() else
                                 tr("{shown} of {count} datasets match").format(shown=len(set(shown)), count=total))

    def visible_aliases(self) -> list[str]:
        """The aliases the list shows now, top to bottom (a favourite appears twice: starred and in its group)."""
        found = []
        for row in range(self.proxy.rowCount()):
            group = self.proxy.index(row, 0)
            for child in range(self.proxy.rowCount(group)):
                found.append(self.proxy.index(child, 0, group).data(ROLE_ALIAS))
        return found

    def visible_groups(self) -> list[str]:
        return [self.proxy.index(row, 0).data() for row in range(self.proxy.rowCount())]

    def _show_current(self) -> None:
        """Select the current dataset: among the favourites when it is one (on top), else in its category."""
        index = self._find(self.current, in_favourites=True)
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollToTop()
            return
        index = self._find(self.current)
        if index.isValid():
            self.view.expand(index.parent())
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def _find(self, alias: str, in_favourites: bool = False) -> QModelIndex:
        """The proxy index of ``alias`` in its category (or in the favourites); invalid when hidden."""
        for row in range(self.proxy.rowCount()):
            group = self.proxy.index(row, 0)
            if (self.proxy.mapToSource(group) == self.favourites_group.index()) != in_favourites:
                continue
            for child in range(self.proxy.rowCount(group)):
                index = self.proxy.index(child, 0, group)
                if index.data(ROLE_ALIAS) == alias:
                    return index
        return QModelIndex()

    def _first_match(self) -> QModelIndex:
        for row in range(self.proxy.rowCount()):
            group = self.proxy.index(row, 0)
            if self.proxy.rowCount(group):
                return self.proxy.index(0, 0, group)
        return QModelIndex()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key == Qt.Key.Key_Down:
                first = self.view.currentIndex() if self.view.currentIndex().isValid() else self._first_match()
                if first.isValid():
                    self.view.setCurrentIndex(first)
                self.view.setFocus()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                current = self.view.currentIndex()
                chosen = current if current.isValid() and current.data(ROLE_ALIAS) else self._first_match()
                if chosen.isValid():
                    self._pick(chosen)
                return True
        return super().eventFilter(watched, event)

    # Picking and starring
    def selected_alias(self) -> str | None:
        index = self.view.currentIndex()
        return index.sibling(index.row(), 0).data(ROLE_ALIAS) if index.isValid() else None

    def _pick(self, index: QModelIndex) -> None:
        alias = index.sibling(index.row(), 0).data(ROLE_ALIAS)
        if alias:
            self.current = alias
            self.dataset_picked.emit(alias)

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == 1:
            self._toggle_star(index)

    def _clicked_twice(self, index: QModelIndex) -> None:
        if index.column() == 0:
            self._pick(index)

    def _toggle_star(self, index: QModelIndex) -> None:
        alias = index.sibling(index.row(), 0).data(ROLE_ALIAS)
        if alias:
            self.toggle_favourite(alias)

    def toggle_favourite(self, alias: str) -> None:
        """Star or unstar ``alias``: saved at once; its rows and the favourites group follow."""
        starred = alias not in favourites()
        set_favourite(alias, starred)
        column = self.view.currentIndex().column()
        for row in self.model.findItems(NO_STAR if starred else STAR, Qt.MatchFlag.MatchRecursive, 1):
            if row.data(ROLE_ALIAS) == alias:
                row.setText(STAR if starred else NO_STAR)
                row.setToolTip(tr("Remove from favourites (Space)") if starred else tr("Add to favourites (Space)"))
        self._fill_favourites(set(favourites()))
        self.view.expand(self.proxy.mapFromSource(self.favourites_group.index()))
        # the keyboard stays on the dataset's row in its category
        index = self._find(alias)
        if index.isValid():
            self.view.setCurrentIndex(index.sibling(index.row(), max(0, column)))


class DatasetPickerDialog(QDialog):
    """The picker in a dialog: emits :attr:`picked` with the chosen alias and closes."""

    picked = pyqtSignal(str)

    def __init__(self, datasets: Iterable, current: str = "", parent=None):
        super().__init__(parent)
        self.setObjectName("DatasetPickerDialog")
        self.setWindowTitle(tr("Choose a USGS dataset"))
        self.picker = DatasetPicker(self)
        self.picker.set_datasets(datasets, current)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picker, 1)
        layout.addWidget(self.buttons)
        self.resize(560, 620)
        self.picker.dataset_picked.connect(self._chosen)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        self.picker.search.setFocus()

    def _ok(self) -> None:
        alias = self.picker.selected_alias()
        if alias:
            self._chosen(alias)
        else:
            self.reject()

    def _chosen(self, alias: str) -> None:
        self.picked.emit(alias)
        self.accept()


def open_picker(form) -> DatasetPickerDialog:
    """Open the picker over the search form ``form``: its datasets, its dataset selected; the choice
    goes to ``form.select_dataset``. When the list is not there yet, it is fetched and filled in."""
    dialog = DatasetPickerDialog(form.datasets, form.dataset(), form)
    dialog.picked.connect(form.select_dataset)
    dialog.finished.connect(lambda _result: setattr(form, "picker_dialog", None))
    form.picker_dialog = dialog
    if not form.datasets:
        dialog.picker.count_label.setText(tr("Reading the datasets from USGS… (sign in first on the Accounts tab)"))
        form.load_dataset_info(force=True)
    dialog.open()
    return dialog
