"""Open downloaded data as styled QGIS layers, without extracting anything.

A Landsat Collection 2 bundle (``<product id>.tar``) opens through GDAL's ``/vsitar/``: one layer per
band and a true-colour composite (a VRT of SR_B4, SR_B3, SR_B2 with a 2-98 % cumulative cut), in a
layer-tree group named after the scene. Separately downloaded band files (``..._SR_B4.TIF``) open the
same way. Plume rasters open with a pseudocolour ramp and transparent nodata.

Listing an archive, writing the VRT and computing the stretch read the files, so all of it happens in a
:class:`LoadLayersTask`; layers are created in the task's thread, moved to the main thread and only
added to the project in ``finished()``. Statistics are estimated from a sample of pixels.

A bundle is data from the network: only members at its root named like the bundle's own band files
(``<product id>_SR_B4.TIF``, bands 1 to 11) become layers, at most :data:`MAX_BAND_LAYERS` of them.
The composite's VRT is saved beside the bundle (see :mod:`.vrt_files`), so saved projects keep working.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from osgeo import gdal
from qgis.core import (
    QgsApplication,
    QgsColorRampShader,
    QgsContrastEnhancement,
    QgsLayerTreeGroup,
    QgsMapLayer,
    QgsProject,
    QgsRasterLayer,
    QgsRasterMinMaxOrigin,
    QgsRasterShader,
    QgsSingleBandPseudoColorRenderer,
    QgsStyle,
    QgsTask,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QColor

from . import composites, landsat_l2, vrt_files

LOG = logging.getLogger(__name__)

BUNDLE_SUFFIXES = (".tar", ".tgz", ".tar.gz")
TRUE_COLOUR_BANDS = composites.COMPOSITES[composites.DEFAULT]  # each sensor's: composites.COMPOSITES
CUMULATIVE_CUT = (0.02, 0.98)
PLUME_RAMP = "Inferno"
STATS_SAMPLE_SIZE = 250_000  # pixels read to estimate a band's statistics
MAX_BAND_LAYERS = 16  # per scene: a Landsat product has 11 bands at most
_PRODUCT_ID = re.compile(r"L[CEOTM]\d{2}_[A-Z0-9]{4}_\d{6}_\d{8}_\d{8}_\d{2}_[A-Z0-9]{2}", re.IGNORECASE)
# Band files we show as layers; QA, angle and metadata files stay in the archive.
_BAND_FILE = re.compile(r"^(?P<product>" + _PRODUCT_ID.pattern + r")_(?P<band>(?:SR_|ST_)?B(?:1[01]|[1-9]))\.TIF$",
                        re.IGNORECASE)


def tr(message: str) -> str:
    return QCoreApplication.translate("SceneFinderLoaders", message)


def is_bundle(path: str | Path) -> bool:
    name = str(path).lower()
    return name.endswith(BUNDLE_SUFFIXES)


def is_band_file(path: str | Path) -> bool:
    """A separately downloaded Landsat band file (``..._SR_B4.TIF``)."""
    return bool(_BAND_FILE.match(Path(path).name))


def vsi_path(path: str | Path) -> str:
    """The GDAL path of an archive's root: /vsitar/ reads .tar and gzip-compressed tarballs."""
    return f"/vsitar/{Path(path).resolve()}"


def product_id_of(path: str | Path) -> str:
    match = _PRODUCT_ID.search(Path(path).name)
    if match:
        return match.group(0)
    name = Path(path).name
    for suffix in BUNDLE_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return Path(path).stem


@dataclass
class SceneBands:
    """Where the bands of one scene are: GDAL paths keyed by band name (``SR_B4``, ``B4``...)."""

    name: str
    bands: dict[str, str] = field(default_factory=dict)
    folder: Path | None = None  # where the data lies (the composite's VRT goes there)
    notes: list[str] = field(default_factory=list)  # what the user should know (members left out)

    def true_colour(self) -> list[str] | None:
        for prefix in ("SR_", ""):
            paths = [self.bands.get(prefix + band) for band in composites.composite_of(self.name)]
            if all(paths):
                return paths
        return None


def _band_sort_key(band: str) -> tuple[int, int]:
    kind = {"SR": 0, "ST": 1}.get(band.split("_")[0], 2)
    return kind, int(re.sub(r"\D", "", band) or 0)


def list_bundle_bands(bundle: str | Path) -> SceneBands:
    """The band files inside a Landsat bundle (reads the archive's index, so: not on the main thread)."""
    root = vsi_path(bundle)
    members = gdal.ReadDir(root) or []  # the root only: Landsat bundles have no folders
    scene = SceneBands(product_id_of(bundle), folder=Path(bundle).resolve().parent)
    product = _PRODUCT_ID.fullmatch(scene.name)
    for member in members:
        match = _BAND_FILE.match(member)
        if match and (product is None or match.group("product").upper() == scene.name.upper()):
            product = product or match  # a bundle named otherwise shows the first product's bands only
            scene.bands.setdefault(match.group("band").upper(), f"{root}/{member}")
    if not scene.bands:
        raise ValueError(tr("No Landsat band files (…_SR_B4.TIF) in {name}.").format(name=Path(bundle).name))
    _cap_bands(scene, Path(bundle).name)
    return scene


def _cap_bands(scene: SceneBands, source: str) -> None:
    """At most MAX_BAND_LAYERS band layers per scene (a hostile bundle must not make QGIS build hundreds)."""
    if len(scene.bands) <= MAX_BAND_LAYERS:
        return
    kept = sorted(scene.bands, key=_band_sort_key)[:MAX_BAND_LAYERS]
    left_out = len(scene.bands) - len(kept)
    scene.bands = {band: scene.bands[band] for band in kept}
    scene.notes.append(tr("{name} has more band files than a Landsat product; opened the first {count}, left out "
                          "{left}.").format(name=source, count=MAX_BAND_LAYERS, left=left_out))


def group_band_files(paths: list[str | Path]) -> list[SceneBands]:
    """Separately downloaded band files, grouped by scene."""
    scenes: dict[str, SceneBands] = {}
    for path in paths:
        match = _BAND_FILE.match(Path(path).name)
        if match:
            product = match.group("product")
            scene = scenes.setdefault(product, SceneBands(product, folder=Path(path).resolve().parent))
            scene.bands[match.group("band").upper()] = str(path)
    for scene in scenes.values():
        _cap_bands(scene, scene.name)
    return list(scenes.values())


def write_true_colour_vrt(scene: SceneBands, folder: Path | None = None, mask_clouds: bool = False) -> str | None:
    """A three-band VRT (red, green, blue) over the scene's band files, saved beside them (or in the
    profile's private folder); None if a band is missing. Level-2 bands carry their scale and offset;
    ``mask_clouds`` hides what the scene's QA_PIXEL flags (see :mod:`.landsat_l2`)."""
    paths = scene.true_colour()
    if not paths:
        return None
    paths = [p if p.startswith("/vsi") else str(Path(p).resolve()) for p in paths]  # absolute in the VRT
    memory = f"/vsimem/scene_finder/{id(scene)}_true_colour.vrt"
    vrt = gdal.BuildVRT(memory, paths, separate=True)
    if vrt is None:
        raise ValueError(tr("GDAL could not build the true-colour composite of {name}.").format(name=scene.name))
    try:
        for index, band in enumerate(("Red", "Green", "Blue"), start=1):
            vrt.GetRasterBand(index).SetDescription(band)
        landsat_l2.scale_bands(vrt, paths, scene.name)
        vrt.FlushCache()
        vrt = None
        data = vrt_files.vsimem_bytes(memory)
        if data is None:
            raise ValueError(tr("GDAL could not build the true-colour composite of {name}.").format(name=scene.name))
    finally:
        vrt = None
        gdal.Unlink(memory)
    if mask_clouds:
        data, why_not = landsat_l2.with_cloud_mask(data, paths)
        if why_not:
            scene.notes.append(tr("Clouds of {name} not masked: {reason}.").format(name=scene.name, reason=why_not))
    target = vrt_files.save_vrt(data, f"{scene.name}_true_colour.vrt", folder or scene.folder, source=paths[0])
    return str(target)


def apply_cumulative_cut(layer: QgsRasterLayer, cut: tuple[float, float] = CUMULATIVE_CUT) -> None:
    """Stretch each displayed band from its 2nd to its 98th percentile (estimated; reads pixels)."""
    renderer = layer.renderer()
    provider = layer.dataProvider()
    if renderer is None or provider is None:
        return
    origin = renderer.minMaxOrigin()
    origin.setLimits(QgsRasterMinMaxOrigin.Limits.CumulativeCut)
    origin.setCumulativeCutLower(cut[0])
    origin.setCumulativeCutUpper(cut[1])
    origin.setStatAccuracy(QgsRasterMinMaxOrigin.StatAccuracy.Estimated)
    renderer.setMinMaxOrigin(origin)
    extent = layer.extent()
    if layer.bandCount() >= 3 and hasattr(renderer, "setRedContrastEnhancement"):
        setters = (renderer.setRedContrastEnhancement, renderer.setGreenContrastEnhancement,
                   renderer.setBlueContrastEnhancement)
        for band, setter in zip((1, 2, 3), setters):
            setter(_stretch(provider, band, extent, cut))
    elif hasattr(renderer, "setContrastEnhancement"):
        renderer.setContrastEnhancement(_stretch(provider, 1, extent, cut))


def _stretch(provider, band: int, extent, cut: tuple[float, float]) -> QgsContrastEnhancement:
    low, high = provider.cumulativeCut(band, cut[0], cut[1], extent, STATS_SAMPLE_SIZE)
    if not (math.isfinite(low) and math.isfinite(high)):  # see landsat_l2.sampled_cut
        low, high = landsat_l2.sampled_cut(provider.dataSourceUri(), band, cut) or (low, high)
    enhancement = QgsContrastEnhancement(provider.dataType(band))
    enhancement.setContrastEnhancementAlgorithm(QgsContrastEnhancement.ContrastEnhancementAlgorithm.StretchToMinimumMaximum)
    enhancement.setMinimumValue(low)
    enhancement.setMaximumValue(max(high, low + 1e-9))
    return enhancement


def style_plume(layer: QgsRasterLayer, ramp_name: str = PLUME_RAMP) -> None:
    """Pseudocolour from the smallest to the largest valid value; nodata and values <= 0 transparent."""
    provider = layer.dataProvider()
    # Sampled min/max from the histogram: QGIS 3.44 deprecates every bandStatistics() call that
    # chooses its statistics or sample size, and 3.22 has no other form.
    low, high = provider.cumulativeCut(1, 0.0, 1.0, layer.extent(), STATS_SAMPLE_SIZE)
    low = max(low, 0.0)
    if not high > low:
        high = low + 1.0
    ramp = QgsStyle.defaultStyle().colorRamp(ramp_name)
    shader_function = QgsColorRampShader(low, high, ramp)
    shader_function.setColorRampType(QgsColorRampShader.Type.Interpolated)
    shader_function.classifyColorRamp(8, -1, layer.extent(), None)
    items = shader_function.colorRampItemList()
    if items:
        # Below the first class (zero or negative enhancement): nothing to see, so transparent.
        items.insert(0, QgsColorRampShader.ColorRampItem(low, QColor(0, 0, 0, 0), ""))
        items[1] = QgsColorRampShader.ColorRampItem(low + (high - low) * 1e-6, items[1].color, items[1].label)
        shader_function.setColorRampItemList(items)
    shader_function.setClip(False)
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(shader_function)
    renderer = QgsSingleBandPseudoColorRenderer(provider, 1, shader)
    renderer.setClassificationMin(low)
    renderer.setClassificationMax(high)
    renderer.setNodataColor(QColor(0, 0, 0, 0))
    layer.setRenderer(renderer)


@dataclass
class LoadedScene:
    """What a load produced: a group name and its layers, composite first."""

    group: str
    layers: list[QgsMapLayer]
    visible: list[QgsMapLayer] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def build_scene_layers(scene: SceneBands, mask_clouds: bool = False) -> LoadedScene:
    """Band layers and the true-colour composite of one scene (reads files: run it in a task)."""
    layers: list[QgsMapLayer] = []
    visible: list[QgsMapLayer] = []
    vrt = write_true_colour_vrt(scene, mask_clouds=mask_clouds)
    if vrt:
        composite = QgsRasterLayer(vrt, tr("{name} true colour").format(name=scene.name), "gdal")
        if composite.isValid():
            apply_cumulative_cut(composite)
            if mask_clouds and composite.bandCount() > 3:  # the mask shows as an alpha band
                landsat_l2.stretch_unmasked(composite, CUMULATIVE_CUT)
            layers.append(composite)
            visible.append(composite)
        else:
            LOG.warning("The true-colour composite of %s did not open", scene.name)
    for band in sorted(scene.bands, key=_band_sort_key):
        source = landsat_l2.band_source(scene.name, band, scene.bands[band], scene.folder)
        layer = QgsRasterLayer(source, f"{scene.name} {band}", "gdal")
        if not layer.isValid():
            LOG.warning("Band %s of %s did not open", band, scene.name)
            continue
        apply_cumulative_cut(layer)
        layers.append(layer)
    if not layers:
        raise ValueError(tr("None of the bands of {name} could be opened.").format(name=scene.name))
    if not visible:
        visible.append(layers[0])
    return LoadedScene(scene.name, layers, visible, list(scene.notes))


def build_plume_layer(path: str | Path, name: str | None = None) -> LoadedScene:
    layer = QgsRasterLayer(str(path), name or Path(path).stem, "gdal")
    if not layer.isValid():
        raise ValueError(tr("The plume raster {name} could not be opened.").format(name=Path(path).name))
    style_plume(layer)
    return LoadedScene("", [layer], [layer])


def build_plain_layer(path: str | Path, name: str | None = None) -> LoadedScene:
    """Any other raster (an RGB quick-look...), with the same 2-98 % stretch."""
    layer = QgsRasterLayer(str(path), name or Path(path).stem, "gdal")
    if not layer.isValid():
        raise ValueError(tr("The raster {name} could not be opened.").format(name=Path(path).name))
    apply_cumulative_cut(layer)
    return LoadedScene("", [layer], [layer])


def add_to_project(loaded: LoadedScene, project: QgsProject | None = None,
                   parent: QgsLayerTreeGroup | None = None) -> QgsLayerTreeGroup | None:
    """Add the layers on the main thread: in a group per scene, composite on top, bands unchecked."""
    project = project or QgsProject.instance()
    root = parent or project.layerTreeRoot()
    if not loaded.group:
        for layer in loaded.layers:
            project.addMapLayer(layer, False)
            root.insertLayer(0, layer)
        return None
    existing = root.findGroup(loaded.group)
    if existing is not None:
        root.removeChildNode(existing)
    group = root.insertGroup(0, loaded.group)
    for layer in loaded.layers:
        project.addMapLayer(layer, False)
        node = group.addLayer(layer)
        node.setItemVisibilityChecked(layer in loaded.visible)
        if layer not in loaded.visible:
            node.setExpanded(False)
    return group


class LoadLayersTask(QgsTask):
    """Opens bundles, band files or plume rasters in the background; adds the layers when done.

    ``on_done(groups, errors)`` runs on the main thread with the names of the groups (or layers) added
    and the messages of what failed. ``run()`` never raises.
    """

    def __init__(self, bundles: list[str | Path] = (), band_files: list[str | Path] = (),
                 plumes: list[str | Path] = (), rasters: list[str | Path] = (), *, project: QgsProject | None = None,
                 on_done: Callable[[list[str], list[str]], None] | None = None, products: list[str | Path] = (),
                 mask_clouds: bool | None = None):
        super().__init__(tr("Scene Finder: opening layers"), QgsTask.Flag.CanCancel)
        self.bundles = [Path(p) for p in bundles]
        self.band_files = [Path(p) for p in band_files]
        self.plumes = [Path(p) for p in plumes]
        self.rasters = [Path(p) for p in rasters]
        self.products = [Path(p) for p in products]  # downloads of other datasets (see .product_files)
        self.project = project
        self.on_done = on_done
        self.mask_clouds = landsat_l2.mask_clouds() if mask_clouds is None else mask_clouds  # None: the setting
        self.loaded: list[LoadedScene] = []
        self.errors: list[str] = []

    def run(self) -> bool:
        try:
            from . import product_files

            work: list[Callable[[], LoadedScene]] = []
            mask = self.mask_clouds
            work += [lambda b=b: product_files.build_bundle_layers(b, mask) for b in self.bundles]
            work += [lambda s=s: build_scene_layers(s, mask) for s in group_band_files(self.band_files)]
            work += [lambda p=p: build_plume_layer(p) for p in self.plumes]
            work += [lambda p=p: build_plain_layer(p) for p in self.rasters]
            work += [lambda p=p: product_files.build_product_layers(p) for p in self.products]
            main_thread = QgsApplication.instance().thread()
            for index, job in enumerate(work):
                if self.isCanceled():
                    return False
                try:
                    loaded = job()
                except Exception as error:  # one bad file must not stop the others
                    LOG.warning("Could not open: %s", error)
                    self.errors.append(str(error))
                    continue
                for layer in loaded.layers:
                    layer.moveToThread(main_thread)
                self.loaded.append(loaded)
                self.errors.extend(loaded.notes)
                self.setProgress(100.0 * (index + 1) / max(1, len(work)))
            return bool(self.loaded) or not work
        except Exception as error:
            LOG.exception("Opening layers failed")
            self.errors.append(str(error))
            return False

    def finished(self, result: bool) -> None:
        names: list[str] = []
        try:
            for loaded in [] if self.isCanceled() else self.loaded:
                add_to_project(loaded, self.project)
                names.append(loaded.group or loaded.layers[0].name())
        except Exception as error:
            LOG.exception("Adding layers failed")
            self.errors.append(str(error))
        if self.isCanceled():
            self.errors.append(tr("Cancelled."))
        if self.on_done is not None:
            try:
                self.on_done(names, self.errors)
            except Exception:
                LOG.exception("Layer loading callback failed")
