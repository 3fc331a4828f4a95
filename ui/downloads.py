"""The download section: product (full bundle or chosen bands), folder, progress with bytes and ETA, cancel.

The dock starts the download task (:class:`..gis.tasks.m2m.M2MDownloadTask` or the Carbon Mapper
raster task); this widget shows it: the percentage, "3 of 5 files, 1.2 GB of 3.4 GB, 45 MB/s, 52 s
left", and a Cancel button. A cancelled download keeps its partial files, so the next attempt resumes.
"""

from __future__ import annotations

import logging
from pathlib import Path

from qgis.gui import QgsCheckableComboBox, QgsFileWidget
from qgis.PyQt.QtCore import QCoreApplication, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QWidget,
)

from ..gis import settings
from ..gis.tasks.base import describe_progress
from .plain_text import plain_label

LOG = logging.getLogger(__name__)

LANDSAT_BANDS = ("SR_B1", "SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B6", "SR_B7", "ST_B10", "QA_PIXEL")


def tr(message: str) -> str:
    return QCoreApplication.translate("SceneFinderDownloads", message)


class DownloadPanel(QGroupBox):
    """Emits :attr:`download_requested` when "Download" is pressed and :attr:`cancel_requested` on Cancel."""

    download_requested = pyqtSignal()
    cancel_requested = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(tr("Download"), parent)
        self.setObjectName("DownloadPanel")
        self.bundle_radio = QRadioButton(tr("Full bundle"), self)
        self.bundle_radio.setObjectName("DownloadBundle")
        self.bands_radio = QRadioButton(tr("Bands:"), self)
        self.bands_radio.setObjectName("DownloadBands")
        self.product_group = QButtonGroup(self)
        self.product_group.addButton(self.bundle_radio)
        self.product_group.addButton(self.bands_radio)
        self.bands_combo = QgsCheckableComboBox(self)
        self.bands_combo.setObjectName("DownloadBandList")
        self.bands_combo.addItems(list(LANDSAT_BANDS))
        products = QWidget(self)
        row = QHBoxLayout(products)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bundle_radio)
        row.addWidget(self.bands_radio)
        row.addWidget(self.bands_combo, 1)
        self.products_row = products
        self.folder_widget = QgsFileWidget(self)
        self.folder_widget.setObjectName("DownloadFolder")
        self.folder_widget.setStorageMode(QgsFileWidget.StorageMode.GetDirectory)
        self.open_check = QCheckBox(tr("Open in QGIS when done"), self)
        self.open_check.setObjectName("DownloadOpen")
        self.open_check.setChecked(settings.value("open_downloads"))
        self.mask_check = QCheckBox(tr("Mask clouds (QA_PIXEL)"), self)
        self.mask_check.setObjectName("DownloadMaskClouds")
        self.mask_check.setToolTip(tr("Landsat composites hide the pixels QA_PIXEL flags as cloud, cloud shadow, "
                                      "cirrus or fill (also for bundles dropped on QGIS)"))
        self.mask_check.setChecked(settings.value("mask_clouds"))
        self.mask_check.toggled.connect(lambda on: settings.set_value("mask_clouds", on))
        self.download_button = QPushButton(tr("Download selected"), self)
        self.download_button.setObjectName("DownloadButton")
        self.cancel_button = QPushButton(tr("Cancel"), self)
        self.cancel_button.setObjectName("DownloadCancel")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("DownloadProgress")
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.status = plain_label(QLabel(self))  # error messages carry what the service said
        self.status.setObjectName("DownloadStatus")
        self.status.setWordWrap(True)
        buttons = QWidget(self)
        row = QHBoxLayout(buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.download_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.open_check)
        row.addStretch(1)

        form = QFormLayout(self)
        form.addRow(tr("Product"), products)
        form.addRow(tr("Folder"), self.folder_widget)
        form.addRow("", self.mask_check)
        form.addRow(buttons)
        form.addRow(self.progress)
        form.addRow(self.status)
        self.form = form

        self._restore()
        self.bands_radio.toggled.connect(self.bands_combo.setEnabled)
        self.download_button.clicked.connect(self.download_requested)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.set_selection_count(0)

    # Values
    def product(self) -> str | list[str]:
        if self.bands_radio.isChecked():
            bands = self.bands_combo.checkedItems()
            return bands or ["SR_B4", "SR_B3", "SR_B2"]
        return "bundle"

    def folder(self) -> Path:
        text = self.folder_widget.filePath().strip()
        return Path(text).expanduser() if text else settings.download_folder()

    def remember(self) -> None:
        settings.set_download_folder(self.folder())
        settings.set_product(self.product())
        settings.set_value("open_downloads", self.open_check.isChecked())

    def _restore(self) -> None:
        self.folder_widget.setFilePath(str(settings.download_folder()))
        product = settings.product()
        if isinstance(product, list):
            self.bands_radio.setChecked(True)
            self.bands_combo.setCheckedItems(product)
        else:
            self.bundle_radio.setChecked(True)
            self.bands_combo.setCheckedItems(["SR_B4", "SR_B3", "SR_B2"])
        self.bands_combo.setEnabled(self.bands_radio.isChecked())

    def set_landsat(self, landsat: bool) -> None:
        """Products only apply to Landsat; Carbon Mapper downloads its plume and RGB rasters."""
        self.products_row.setVisible(landsat)
        self.mask_check.setVisible(landsat)
        label = self.form.labelForField(self.products_row)
        if label is not None:
            label.setVisible(landsat)

    def set_selection_count(self, count: int) -> None:
        self.selected = count
        self._update_button()

    # Progress
    def started(self, description: str) -> None:
        self.running = True
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.status.setStyleSheet("")
        self.status.setText(description)
        self._update_button()

    def show_progress(self, percent: float) -> None:
        self.progress.setValue(int(percent))

    def show_detail(self, detail) -> None:
        text = describe_progress(detail)
        if text:
            self.status.setText(text)

    def finished(self, text: str, error: bool = False) -> None:
        self.running = False
        self.cancel_button.setEnabled(False)
        self.progress.setVisible(False)
        self.status.setStyleSheet("color: #b00020;" if error else "")
        self.status.setText(text)
        self._update_button()

    running = False
    selected = 0

    def _update_button(self) -> None:
        self.download_button.setEnabled(self.selected > 0 and not self.running)
        self.download_button.setText(tr("Download selected ({count})").format(count=self.selected)
                                     if self.selected else tr("Download selected"))
        self.download_button.setToolTip("" if self.selected else tr("Select scenes or plumes in the table first"))
