"""The Scene Finder dock panel."""

from __future__ import annotations

from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QLabel, QVBoxLayout, QWidget


class SceneFinderDock(QgsDockWidget):
    def __init__(self, iface, parent=None):
        super().__init__(self.tr("Scene Finder"), parent)
        self.iface = iface
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.addWidget(QLabel(self.tr("Search and download Landsat and Carbon Mapper imagery."), body))
        layout.addStretch(1)
        self.setWidget(body)

    def tr(self, message: str) -> str:
        return QCoreApplication.translate("SceneFinderDock", message)

    def shutdown(self) -> None:
        """Cancel running work before the plugin is unloaded."""
