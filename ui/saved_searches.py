"""The "Saved searches" box of the Search tab: name the current search, run a saved one again.

- "Save" keeps the form and the area of interest as they are, under the name typed, in the
  project (:mod:`..gis.saved_searches`); a search of the same name is replaced. When the last
  search that ran had these very parameters, its results count as the saved search's last run.
- "Run again" puts the saved search back into the form and the area of interest (source
  "Area of a saved search") and runs it as the Search button does; when it is done, the scenes
  its last run did not find are marked in the table and a message says how many
  ("3 new scenes since 2026-11-02"). Double-clicking a saved search does the same.
- The list follows the project: it is read again when a project is opened or cleared.
- When a search starts, old search files are cleaned (:mod:`..gis.search_files`), never those
  of a saved search; when the project is saved, the search files its layers use are kept.
"""

from __future__ import annotations

import datetime
import logging

from qgis.core import QgsGeometry, QgsProject
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from ..core.errors import SceneFinderError
from ..gis import search_files, settings
from ..gis.saved_searches import SavedSearch, read_saved, result_keys, write_saved
from ..gis.sources import source
from .plain_text import plain_label, rich_tooltip
from .results_reading import KEY_FIELDS

LOG = logging.getLogger(__name__)


def tr(message: str) -> str:
    return QCoreApplication.translate("SceneFinderSavedSearches", message)


class _LastSearch:
    """A search the panel saw start: its parameters and, once it is done, what it found."""

    def __init__(self, search: SavedSearch, task, run_name: str | None):
        self.search, self.task, self.run_name = search, task, run_name
        self.keys: list[str] | None = None
        self.file: str | None = None
        self.finished: datetime.datetime | None = None


class SavedSearchesPanel(QGroupBox):
    def __init__(self, dock, parent=None):
        super().__init__(tr("Saved searches"), parent)
        self.setObjectName("SavedSearches")
        self.dock = dock
        self.project = QgsProject.instance()
        self.searches: list[SavedSearch] = []
        self.last: _LastSearch | None = None
        self._run_name: str | None = None

        self.list = QListWidget(self)
        self.list.setObjectName("SavedSearchList")
        self.list.setMaximumHeight(110)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("SavedSearchName")
        self.name_edit.setPlaceholderText(tr("Name of the current search"))
        self.save_button = QPushButton(tr("Save"), self)
        self.save_button.setObjectName("SavedSearchSave")
        self.run_button = QPushButton(tr("Run again"), self)
        self.run_button.setObjectName("SavedSearchRun")
        self.remove_button = QPushButton(tr("Remove"), self)
        self.remove_button.setObjectName("SavedSearchRemove")
        self.status = plain_label(QLabel(self))  # names are the user's text
        self.status.setObjectName("SavedSearchStatus")
        self.status.setWordWrap(True)
        self.days_spin = QSpinBox(self)
        self.days_spin.setObjectName("SearchFilesDays")
        self.days_spin.setRange(0, 3650)
        self.days_spin.setSpecialValueText(tr("never"))
        self.days_spin.setSuffix(tr(" days"))
        self.days_spin.setValue(max(0, settings.value("search_files_days")))
        self.days_spin.setToolTip(tr("Search results files in the download folder's “searches” folder are deleted "
                                     "after this many days, unless a saved search, the open project or a saved "
                                     "project uses them"))
        save_row = QHBoxLayout()
        save_row.addWidget(self.name_edit, 1)
        save_row.addWidget(self.save_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        days_row = QHBoxLayout()
        days_row.addWidget(QLabel(tr("Delete unsaved search files after"), self))
        days_row.addWidget(self.days_spin)
        days_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(save_row)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addLayout(days_row)

        self.save_button.clicked.connect(self.save_current)
        self.name_edit.returnPressed.connect(self.save_current)
        self.run_button.clicked.connect(self.run_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.itemDoubleClicked.connect(lambda _item: self.run_selected())
        self.list.currentRowChanged.connect(self._update_buttons)
        self.days_spin.valueChanged.connect(lambda days: settings.set_value("search_files_days", int(days)))
        dock.search_started.connect(self._search_started)
        self.project.readProject.connect(self.reload)
        self.project.cleared.connect(self.reload)
        self.project.projectSaved.connect(self._project_saved)
        self.reload()

    # The list
    def reload(self, *_args) -> None:
        try:
            self.searches = read_saved(self.project)
            self.last = None
            self._fill()
        except Exception:
            LOG.exception("Reading the saved searches failed")

    def _fill(self, current: str | None = None) -> None:
        self.list.clear()
        for search in self.searches:
            item = QListWidgetItem(search.name, self.list)
            item.setData(Qt.ItemDataRole.UserRole, search.name)
            item.setToolTip(rich_tooltip(self.describe(search)))
            if search.name == current:
                self.list.setCurrentItem(item)
        self._update_buttons()

    def describe(self, search: SavedSearch) -> str:
        lines = [tr(source(search.source).label), f"{search.start or '…'} – {search.end or '…'}"]
        if search.last_run:
            lines.append(tr("Last run {when}: {count} scene(s)").format(when=search.last_run.replace("T", " "),
                                                                          count=len(search.last_keys)))
        return "\n".join(lines)

    def _update_buttons(self, *_args) -> None:
        chosen = self.selected() is not None
        self.run_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def selected(self) -> SavedSearch | None:
        item = self.list.currentItem()
        return self.find(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def find(self, name: str) -> SavedSearch | None:
        return next((search for search in self.searches if search.name == name), None)

    def _store(self, current: str | None = None) -> None:
        write_saved(self.searches, self.project)
        search_files.keep_files(search.last_file for search in self.searches if search.last_file)
        self._fill(current)

    # Save, remove
    def save_current(self) -> None:
        try:
            name = self.name_edit.text().strip()
            if not name:
                self._say(tr("Type a name for the search first."), error=True)
                self.name_edit.setFocus()
                return
            aoi = self.dock.aoi.aoi()
            search = SavedSearch.from_request(name, self.dock.form.source(), self.dock.form.request(aoi.to_shapely()))
            last = self.last
            if last is not None and last.keys is not None and last.search.same_search(search):
                search.ran(last.keys, last.file, last.finished)  # the search that ran is what was saved
            replaced = self.find(name)
            self.searches = [s for s in self.searches if s.name != name] + [search]
            self._store(name)
            self.name_edit.clear()
            text = tr("Replaced the saved search “{name}”.") if replaced else tr("Saved the search “{name}”.")
            self._say(text.format(name=name))
        except SceneFinderError as error:
            self._say(str(error), error=True)
            self.dock.messages.error(error, tr("Saving the search"))
        except Exception as error:
            LOG.exception("Saving the search failed")
            self.dock.messages.error(error, tr("Saving the search"))

    def remove_selected(self) -> None:
        search = self.selected()
        if search is None:
            return
        self.searches = [s for s in self.searches if s.name != search.name]
        self._store()
        self._say(tr("Removed the saved search “{name}”.").format(name=search.name))

    # Run again
    def run_selected(self) -> None:
        search = self.selected()
        if search is None:
            return
        if self.dock.search_task is not None:
            self._say(tr("A search is running: wait for it to end, or cancel it."), error=True)
            return
        try:
            self.dock.form.apply(search)
            self.dock.aoi.set_geometry(QgsGeometry.fromWkt(search.aoi_wkt))
            self._run_name = search.name
            try:
                self.dock.start_search()  # reports its own errors (sign in first, area too large...)
            finally:
                self._run_name = None
        except Exception as error:
            LOG.exception("Running the saved search failed")
            self.dock.messages.error(error, tr("Running the saved search"))

    def _search_started(self, source_id: str, request, task) -> None:
        try:
            self.dock.results.proxy.set_new_keys(())
            folder = self.dock.downloads.folder() / search_files.FOLDER
            saved_files = [search.last_file for search in self.searches if search.last_file]
            search_files.clean_search_files(folder, saved_files, self.project)
            last = _LastSearch(SavedSearch.from_request("", source_id, request), task, self._run_name)
            self.last = last
            if last.run_name:
                self._say(tr("Running “{name}”…").format(name=last.run_name))
            task.add_callbacks(lambda result: self._search_done(last, result),
                               lambda error: self._search_failed(last, error))
        except Exception:
            LOG.exception("Following the search failed")

    def _search_done(self, last: _LastSearch, result) -> None:
        try:
            last.keys = result_keys(result.path, result.layer_name, KEY_FIELDS)
            last.file, last.finished = str(result.path), datetime.datetime.now()
            search = self.find(last.run_name) if last.run_name else None
            if search is None:
                return
            since = search.last_run[:10] if search.last_run else None
            new = search.ran(last.keys, last.file, last.finished)
            self._store(search.name)
            if since is None:
                text = tr("First run of “{name}”: {count} scene(s).").format(name=search.name, count=len(new))
            else:
                self.dock.results.proxy.set_new_keys(new)
                text = (tr("1 new scene since {date}.") if len(new) == 1 else tr("{count} new scenes since {date}.")
                        ).format(count=len(new), date=since)
            self._say(text)
            self.dock.messages.info(text)
        except Exception as error:
            LOG.exception("Comparing with the last run failed")
            self.dock.messages.error(error, tr("Running the saved search"))

    def _search_failed(self, last: _LastSearch, error) -> None:
        if last.run_name and last is self.last:
            self._say(tr("“{name}” did not run: {error}").format(name=last.run_name, error=error), error=True)

    def _project_saved(self) -> None:
        try:
            search_files.keep_project_files(self.project)
        except Exception:
            LOG.exception("Keeping the project's search files failed")

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "")

    def shutdown(self) -> None:
        for signal, slot in ((self.project.readProject, self.reload), (self.project.cleared, self.reload),
                             (self.project.projectSaved, self._project_saved),
                             (self.dock.search_started, self._search_started)):
            try:
                signal.disconnect(slot)
            except (TypeError, RuntimeError):
                pass
