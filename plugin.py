"""The plugin object QGIS creates: the only place that touches ``iface`` at start-up.

Everything it adds (actions, menu entry, dock, drop handler, Processing provider) is
removed again in :meth:`SceneFinderPlugin.unload`, so the plugin can be reloaded.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from .gis.log import install_log_handler, remove_log_handler
from .gis.tasks.base import cancel_all
from .gis.translation import install_translator, remove_translator

PLUGIN_DIR = Path(__file__).resolve().parent
ICON_PATH = str(PLUGIN_DIR / "resources" / "icon.svg")


class SceneFinderPlugin:
    """Adds a toolbar button and a Web menu entry that show and hide the Scene Finder dock."""

    MENU = "&Scene Finder"

    def __init__(self, iface):
        self.iface = iface
        self.dock = None
        self.toggle_action: QAction | None = None
        self.provider = None
        self.drop_handler = None
        self.translator = install_translator()  # before the first tr(): menus, dock, Processing

    @staticmethod
    def tr(message: str) -> str:
        return QCoreApplication.translate("SceneFinderPlugin", message)

    def initProcessing(self) -> None:  # noqa: N802 - QGIS hook name
        from .gis.processing.provider import SceneFinderProvider

        if self.provider is None:
            self.provider = SceneFinderProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self) -> None:  # noqa: N802 - QGIS hook name
        install_log_handler()
        self.initProcessing()
        from .ui.dock import SceneFinderDock

        self.dock = SceneFinderDock(self.iface, self.iface.mainWindow())
        self.dock.setObjectName("SceneFinderDock")
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()

        self.toggle_action = QAction(QIcon(ICON_PATH), self.tr("Scene Finder"), self.iface.mainWindow())
        self.toggle_action.setObjectName("SceneFinderToggle")
        self.toggle_action.setCheckable(True)
        self.toggle_action.setToolTip(self.tr("Find and download Landsat and Carbon Mapper imagery"))
        self.toggle_action.toggled.connect(self.dock.setVisible)
        self.dock.visibilityChanged.connect(self.toggle_action.setChecked)
        self.iface.addToolBarIcon(self.toggle_action)
        self.iface.addPluginToWebMenu(self.MENU, self.toggle_action)

        from .gis.drop_handler import SceneFinderDropHandler

        self.drop_handler = SceneFinderDropHandler(notify=self.dock.notify)
        self.iface.registerCustomDropHandler(self.drop_handler)

    def unload(self) -> None:
        if self.drop_handler is not None:
            self.iface.unregisterCustomDropHandler(self.drop_handler)
            self.drop_handler.shutdown()
            self.drop_handler = None
        if self.toggle_action is not None:
            self.iface.removePluginWebMenu(self.MENU, self.toggle_action)
            self.iface.removeToolBarIcon(self.toggle_action)
            self.toggle_action.deleteLater()
            self.toggle_action = None
        if self.dock is not None:
            self.dock.shutdown()
            self.iface.removeDockWidget(self.dock)
            self.dock.deleteLater()
            self.dock = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        cancel_all()  # whatever the dock did not own: loaders, drop handler tasks
        remove_log_handler()
        remove_translator(self.translator)
        self.translator = None
