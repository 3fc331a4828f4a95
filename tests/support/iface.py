"""A QGIS interface for tests, built on pytest-qgis's stub.

pytest-qgis's ``QgisInterface`` leaves toolbar, menu and dock calls empty. This subclass
backs them with real Qt widgets so that tests can see what the plugin added and check that
``unload()`` removed it.
"""

from __future__ import annotations

from pytest_qgis.qgis_interface import QgisInterface
from qgis.gui import QgsMessageBar
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QMenu, QToolBar


class RecordingInterface(QgisInterface):
    def __init__(self, canvas, main_window):
        super().__init__(canvas, QgsMessageBar(main_window), main_window)
        self.plugin_toolbar = QToolBar("Plugins", main_window)
        self.web_menu = QMenu("&Web", main_window)
        self.web_submenus: dict[str, QMenu] = {}
        self.dock_widgets: list = []
        self.drop_handlers: list = []
        self.map_tool = None

    # Toolbar
    def addToolBarIcon(self, action):
        self.plugin_toolbar.addAction(action)
        return 0

    def removeToolBarIcon(self, action):
        self.plugin_toolbar.removeAction(action)

    def pluginToolBar(self):
        return self.plugin_toolbar

    # Web menu
    def addPluginToWebMenu(self, name, action):
        menu = self.web_submenus.get(name)
        if menu is None:
            menu = self.web_menu.addMenu(name)
            self.web_submenus[name] = menu
        menu.addAction(action)

    def removePluginWebMenu(self, name, action):
        menu = self.web_submenus.get(name)
        if menu is None:
            return
        menu.removeAction(action)
        if not menu.actions():
            self.web_menu.removeAction(menu.menuAction())
            del self.web_submenus[name]

    def webMenu(self):
        return self.web_menu

    # Docks
    def addDockWidget(self, area, dock):
        self.mainWindow().addDockWidget(area if area else Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.dock_widgets.append(dock)

    def removeDockWidget(self, dock):
        self.mainWindow().removeDockWidget(dock)
        if dock in self.dock_widgets:
            self.dock_widgets.remove(dock)

    # Drop handlers
    def registerCustomDropHandler(self, handler):
        self.drop_handlers.append(handler)

    def unregisterCustomDropHandler(self, handler):
        if handler in self.drop_handlers:
            self.drop_handlers.remove(handler)

    # Map tools
    def mapCanvas(self):
        return self.canvas

    def openMessageLog(self):
        self.message_log_opened = True
