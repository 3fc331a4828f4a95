"""Scene Finder: a QGIS plugin to find and download Landsat and Carbon Mapper imagery.

The package root is the plugin folder. QGIS calls :func:`classFactory`; the plugin class
is imported lazily so that ``core/`` and the emulator can be imported without QGIS.
"""


def classFactory(iface):  # noqa: N802 - name required by QGIS
    from .plugin import SceneFinderPlugin

    return SceneFinderPlugin(iface)
