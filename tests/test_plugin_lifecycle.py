"""The plugin loads in QGIS, adds its button, menu entry and dock, and unloads cleanly."""

from __future__ import annotations

from qgis.core import QgsApplication

import scene_finder


def _load(iface):
    plugin = scene_finder.classFactory(iface)
    plugin.initGui()
    return plugin


def test_load_adds_toolbar_button_web_menu_and_hidden_dock(recording_iface):
    plugin = _load(recording_iface)
    try:
        actions = recording_iface.plugin_toolbar.actions()
        assert [a.objectName() for a in actions] == ["SceneFinderToggle"]
        menu = recording_iface.web_submenus["&Scene Finder"]
        assert menu.actions() == actions
        assert plugin.dock in recording_iface.dock_widgets
        assert not plugin.dock.isVisible()
        assert QgsApplication.processingRegistry().providerById("scenefinder") is not None
    finally:
        plugin.unload()


def test_toggle_action_shows_and_hides_the_dock(recording_iface, qtbot):
    plugin = _load(recording_iface)
    try:
        recording_iface.mainWindow().show()
        plugin.toggle_action.trigger()
        qtbot.waitUntil(plugin.dock.isVisible)
        plugin.toggle_action.trigger()
        qtbot.waitUntil(lambda: not plugin.dock.isVisible())
        plugin.dock.show()
        qtbot.waitUntil(plugin.toggle_action.isChecked)
    finally:
        plugin.unload()
        recording_iface.mainWindow().hide()


def test_unload_removes_everything_and_load_works_again(recording_iface):
    for _ in range(2):
        plugin = _load(recording_iface)
        plugin.unload()
        assert recording_iface.plugin_toolbar.actions() == []
        assert recording_iface.web_submenus == {}
        assert recording_iface.dock_widgets == []
        assert QgsApplication.processingRegistry().providerById("scenefinder") is None
        assert plugin.dock is None and plugin.toggle_action is None
