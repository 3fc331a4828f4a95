<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>SceneFinderAoi</name>
    <message>
        <location filename="../ui/aoi.py" line="114"/>
        <source>Current map extent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="114"/>
        <source>Selected features</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="114"/>
        <source>Whole layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="115"/>
        <source>Rectangle drawn on the map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="115"/>
        <source>Area of a saved search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="124"/>
        <source>Draw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="125"/>
        <source>Drag a rectangle on the map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="133"/>
        <source>Area of interest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="181"/>
        <source>Choose an area of interest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="205"/>
        <source>The area of interest could not be computed: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="242"/>
        <source>The map has no extent yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="248"/>
        <source>Press “Draw” and drag a rectangle on the map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="253"/>
        <source>No saved search was put back yet: choose one under “Saved searches”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="261"/>
        <source>Area: {area}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi_geometry.py" line="56"/>
        <source>{area} km²</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi_geometry.py" line="112"/>
        <source>The area of interest is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi_geometry.py" line="114"/>
        <source>The area of interest must be a polygon: points and lines have no area. Select polygon features, or draw a rectangle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi_geometry.py" line="120"/>
        <source>The area of interest has no area.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi_geometry.py" line="122"/>
        <source>The area of interest is {area} km², larger than the {limit} km² a search accepts. Zoom in, or draw a smaller rectangle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi_geometry.py" line="131"/>
        <source>Choose a vector layer for the area of interest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi_geometry.py" line="133"/>
        <source>The layer “{name}” has points or lines; an area of interest needs polygons.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi_geometry.py" line="139"/>
        <source>No features are selected in “{name}”. Select one or more polygons first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi_geometry.py" line="145"/>
        <source>The layer “{name}” has no features.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi_geometry.py" line="153"/>
        <source>The chosen features have no geometry.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderCoverage</name>
    <message>
        <location filename="../ui/coverage.py" line="38"/>
        <source>One cover for the whole period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/coverage.py" line="38"/>
        <source>One cover per week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/coverage.py" line="39"/>
        <source>One cover per month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/coverage.py" line="39"/>
        <source>One cover per season</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/coverage.py" line="40"/>
        <source>One cover per year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/coverage.py" line="57"/>
        <location filename="../ui/coverage.py" line="139"/>
        <location filename="../ui/coverage.py" line="142"/>
        <location filename="../ui/coverage.py" line="166"/>
        <location filename="../ui/coverage.py" line="176"/>
        <source>Pick for coverage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/coverage.py" line="58"/>
        <source>Select the fewest, least cloudy scenes that cover the area of interest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/coverage.py" line="61"/>
        <source>Share of the area</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/coverage.py" line="63"/>
        <source>Time windows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/coverage.py" line="118"/>
        <source>Search first: the scenes are picked among the results shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/coverage.py" line="124"/>
        <location filename="../ui/coverage.py" line="130"/>
        <source>Scene Finder: picking scenes for coverage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/coverage.py" line="136"/>
        <source>Picking scenes…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/coverage.py" line="154"/>
        <source>The results changed meanwhile: pick again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/coverage.py" line="159"/>
        <source>{count} scene(s) without a date were left out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/coverage.py" line="173"/>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderDatasetPicker</name>
    <message>
        <location filename="../ui/dataset_picker.py" line="113"/>
        <source>Search: name, alias or keyword (e.g. NDVI, aerial, landsat_ot)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dataset_picker.py" line="115"/>
        <source>Search the datasets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dataset_picker.py" line="117"/>
        <source>Dataset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dataset_picker.py" line="122"/>
        <source>Datasets by category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dataset_picker.py" line="161"/>
        <source>Favourites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dataset_picker.py" line="201"/>
        <source>today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dataset_picker.py" line="202"/>
        <source>Alias: {alias}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dataset_picker.py" line="204"/>
        <source>Category: {category}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dataset_picker.py" line="206"/>
        <source>Acquired: {start} to {end}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dataset_picker.py" line="211"/>
        <location filename="../ui/dataset_picker.py" line="323"/>
        <source>Remove from favourites (Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dataset_picker.py" line="211"/>
        <location filename="../ui/dataset_picker.py" line="323"/>
        <source>Add to favourites (Space)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dataset_picker.py" line="227"/>
        <source>{count} datasets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dataset_picker.py" line="228"/>
        <source>{shown} of {count} datasets match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dataset_picker.py" line="340"/>
        <source>Choose a USGS dataset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dataset_picker.py" line="374"/>
        <source>Reading the datasets from USGS… (sign in first on the Accounts tab)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderDock</name>
    <message>
        <location filename="../ui/dock.py" line="68"/>
        <source>Scene Finder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="85"/>
        <location filename="../ui/dock.py" line="114"/>
        <location filename="../ui/dock.py" line="252"/>
        <location filename="../ui/dock.py" line="255"/>
        <location filename="../ui/dock.py" line="308"/>
        <location filename="../ui/dock.py" line="329"/>
        <location filename="../ui/dock.py" line="336"/>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="88"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="128"/>
        <source>Results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="133"/>
        <source>Downloads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="137"/>
        <source>Accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="141"/>
        <source>Reading the USGS datasets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="149"/>
        <source>Reading the results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="189"/>
        <source>Sign in to {service} first (Accounts tab).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="194"/>
        <source>an API token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="195"/>
        <source>Signed in as {user}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="199"/>
        <source>Signing in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="231"/>
        <source>Landsat {start} – {end}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="245"/>
        <source>Searching… (area {area})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="272"/>
        <source>{total} found; reading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="332"/>
        <source>Search cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_controller.py" line="90"/>
        <source>{count} selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_controller.py" line="92"/>
        <source>, {size}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_controller.py" line="94"/>
        <source> (size of {known} known)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_controller.py" line="132"/>
        <source>Select scenes or plumes in the table first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_controller.py" line="151"/>
        <source>Starting the download of {count} item(s)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_controller.py" line="154"/>
        <location filename="../ui/download_controller.py" line="157"/>
        <location filename="../ui/download_controller.py" line="190"/>
        <location filename="../ui/download_controller.py" line="200"/>
        <source>Download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_controller.py" line="178"/>
        <source>{count} file(s) in {folder}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_controller.py" line="180"/>
        <source>{count} could not be downloaded; see the log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_controller.py" line="197"/>
        <source>Download cancelled; it resumes where it stopped next time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_controller.py" line="217"/>
        <source>Opened {names}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_controller.py" line="219"/>
        <source>Opening</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderDownloads</name>
    <message>
        <location filename="../ui/downloads.py" line="48"/>
        <source>Download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/downloads.py" line="50"/>
        <source>Full bundle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/downloads.py" line="52"/>
        <source>Bands:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/downloads.py" line="70"/>
        <source>Open in QGIS when done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/downloads.py" line="73"/>
        <source>Mask clouds (QA_PIXEL)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/downloads.py" line="75"/>
        <source>Landsat composites hide the pixels QA_PIXEL flags as cloud, cloud shadow, cirrus or fill (also for bundles dropped on QGIS)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/downloads.py" line="79"/>
        <location filename="../ui/downloads.py" line="185"/>
        <source>Download selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/downloads.py" line="81"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/downloads.py" line="100"/>
        <source>Product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/downloads.py" line="101"/>
        <source>Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/downloads.py" line="184"/>
        <source>Download selected ({count})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/downloads.py" line="186"/>
        <source>Select scenes or plumes in the table first</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderDropHandler</name>
    <message>
        <location filename="../gis/drop_handler.py" line="63"/>
        <source>Dropped scene footprints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/drop_handler.py" line="150"/>
        <source>The dropped scenes could not be opened. See the Scene Finder log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/drop_handler.py" line="155"/>
        <source>Footprints of {count} scene(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/drop_handler.py" line="172"/>
        <source>Opened {names}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderLandsatL2</name>
    <message>
        <location filename="../gis/landsat_l2.py" line="137"/>
        <source>no QA_PIXEL band beside its bands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/landsat_l2.py" line="142"/>
        <source>its QA_PIXEL band could not be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/landsat_l2.py" line="148"/>
        <source>its QA_PIXEL band is on another grid</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderLoaders</name>
    <message>
        <location filename="../gis/loaders.py" line="123"/>
        <source>No Landsat band files (…_SR_B4.TIF) in {name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/loaders.py" line="135"/>
        <source>{name} has more band files than a Landsat product; opened the first {count}, left out {left}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/loaders.py" line="164"/>
        <location filename="../gis/loaders.py" line="173"/>
        <source>GDAL could not build the true-colour composite of {name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/loaders.py" line="180"/>
        <source>Clouds of {name} not masked: {reason}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/loaders.py" line="261"/>
        <source>{name} true colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/loaders.py" line="279"/>
        <source>None of the bands of {name} could be opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/loaders.py" line="288"/>
        <source>The plume raster {name} could not be opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/loaders.py" line="297"/>
        <source>The raster {name} could not be opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/loaders.py" line="336"/>
        <source>Scene Finder: opening layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/loaders.py" line="390"/>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderMessages</name>
    <message>
        <location filename="../ui/messages.py" line="38"/>
        <source>Something unexpected went wrong. The details are in the Scene Finder log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/messages.py" line="59"/>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/messages.py" line="88"/>
        <source>{doing}: {message}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderPlugin</name>
    <message>
        <location filename="../plugin.py" line="58"/>
        <source>Scene Finder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin.py" line="61"/>
        <source>Find and download Landsat and Carbon Mapper imagery</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderProcessing</name>
    <message>
        <location filename="../gis/processing/cm_download.py" line="30"/>
        <source>ASSETS must be a comma-separated list of asset names such as plume.tif,rgb.tif.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_download.py" line="48"/>
        <source>Download Carbon Mapper rasters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_download.py" line="51"/>
        <source>Downloads the rasters of the plumes or scenes of a layer written by “Search Carbon Mapper plumes” or “Search Carbon Mapper scenes” into a folder: the selected features if any are selected, else all.

ASSETS is a comma-separated list of STAC asset names, for example plume.tif (the plume raster), rgb.tif (the true-colour image) or cmf.tif (a scene&apos;s methane enhancement). Empty: plume.tif and rgb.tif for plumes, cmf.tif and rgb.tif for scenes.

Credentials: AUTHCFG, else SCENE_FINDER_CARBONMAPPER_TOKEN, else the ones saved in the Scene Finder settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_download.py" line="62"/>
        <source>Carbon Mapper plumes or scenes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_download.py" line="64"/>
        <source>Assets (e.g. plume.tif,rgb.tif; empty: the usual ones)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_download.py" line="66"/>
        <location filename="../gis/processing/cm_plumes.py" line="81"/>
        <location filename="../gis/processing/cm_scenes.py" line="70"/>
        <source>Carbon Mapper credentials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_download.py" line="74"/>
        <source>The Carbon Mapper layer could not be opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_download.py" line="79"/>
        <source>The layer “{name}” has neither a plume_id nor a scene_id field: use a layer written by “Search Carbon Mapper plumes” or “Search Carbon Mapper scenes”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_download.py" line="87"/>
        <source>The layer has no plumes or scenes to download.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_download.py" line="98"/>
        <source>Looking up {count} {kind} in the STAC catalog…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_download.py" line="99"/>
        <source>plume(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_download.py" line="99"/>
        <source>scene(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_download.py" line="103"/>
        <source>{id}: not in the STAC catalog (not published?).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_plumes.py" line="55"/>
        <source>Search Carbon Mapper plumes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_plumes.py" line="58"/>
        <source>Writes the methane and CO2 plumes Carbon Mapper detected in the area of interest as a point layer (plume id, gas, emission rate and uncertainty in kg/h, date, sector, instrument, status, scene).

Filters: GAS (any, CH4 or CO2), EMISSION_MIN/EMISSION_MAX in kg/h, START_DATE/END_DATE as yyyy-mm-dd, STATUS (published by default).

Credentials: AUTHCFG, else SCENE_FINDER_CARBONMAPPER_TOKEN, else the ones saved in the Scene Finder settings. SCENE_FINDER_CARBONMAPPER_URL overrides the service URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_plumes.py" line="71"/>
        <source>Gas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_plumes.py" line="71"/>
        <source>Any</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_plumes.py" line="72"/>
        <source>Minimum emission (kg/h)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_plumes.py" line="73"/>
        <source>Maximum emission (kg/h)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_plumes.py" line="79"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_plumes.py" line="82"/>
        <source>Carbon Mapper plumes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_plumes.py" line="83"/>
        <source>Number of plumes written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_plumes.py" line="97"/>
        <source>The minimum emission {low} kg/h is above the maximum {high} kg/h.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_plumes.py" line="120"/>
        <source>The service found {total} plume(s); writing up to {limit}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_plumes.py" line="126"/>
        <source>{count} plume(s) written to {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_scenes.py" line="48"/>
        <source>Search Carbon Mapper scenes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_scenes.py" line="51"/>
        <source>Writes the Carbon Mapper scenes (flight lines and satellite captures) that intersect the area of interest to a GeoPackage, with the service&apos;s own fields (scene_id is the scene name that “Download Carbon Mapper rasters” uses).

The area is the polygon layer AOI when given, else the extent EXTENT. Dates are yyyy-mm-dd (empty: no bound). INSTRUMENT narrows to one instrument (GAO, ang, emi, tan, ssc); empty: all. CLOUD_MAX keeps scenes with at most that cloud cover (%); below 100 % Carbon Mapper also drops scenes whose cloud cover is unknown, and at 100 % they are kept unless INCLUDE_UNKNOWN_CLOUD is off.

Credentials: AUTHCFG, else SCENE_FINDER_CARBONMAPPER_TOKEN, else the ones saved in the Scene Finder settings. SCENE_FINDER_CARBONMAPPER_URL overrides the service URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_scenes.py" line="67"/>
        <source>Instrument (empty: all)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_scenes.py" line="71"/>
        <source>Carbon Mapper scenes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_scenes.py" line="72"/>
        <location filename="../gis/processing/m2m_search.py" line="95"/>
        <source>Number of scenes written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/cm_scenes.py" line="97"/>
        <source>{count} scene(s) written to {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="106"/>
        <source>Landsat (USGS M2M)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="106"/>
        <source>Carbon Mapper</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="134"/>
        <source>Extent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="136"/>
        <source>Area of interest layer (instead of the extent)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="143"/>
        <source>Start date (yyyy-mm-dd)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="145"/>
        <source>End date (yyyy-mm-dd)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="150"/>
        <source>Maximum number of results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="157"/>
        <source>Maximum cloud cover (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="166"/>
        <source>Include scenes with unknown cloud cover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="191"/>
        <location filename="../gis/processing/common.py" line="378"/>
        <source>Give an area of interest: an extent (EXTENT) or a polygon layer (AOI).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="207"/>
        <location filename="../gis/processing/coverage.py" line="138"/>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="242"/>
        <source>{name}: not downloaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="249"/>
        <source>Nothing could be downloaded:
{errors}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="251"/>
        <source>{files} file(s) in the folder, {failed} failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="266"/>
        <source>No USGS M2M credentials. Choose an authentication configuration (AUTHCFG), save them in the Scene Finder settings, or set SCENE_FINDER_M2M_USERNAME and SCENE_FINDER_M2M_TOKEN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="268"/>
        <source>No Carbon Mapper credentials. Choose an authentication configuration (AUTHCFG), save them in the Scene Finder settings, or set SCENE_FINDER_CARBONMAPPER_TOKEN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="297"/>
        <source>No vector format is known for the file {path}; choose a GeoPackage (.gpkg).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="302"/>
        <source>The result could not be written to {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="323"/>
        <source>{label} “{value}” is not a date: write it as yyyy-mm-dd, for example 2024-03-31.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="329"/>
        <source>The start date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="330"/>
        <source>The end date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="333"/>
        <source>The start date {start} is after the end date {end}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="346"/>
        <source>{label} is not valid JSON ({error}). Write a JSON object such as {example}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="351"/>
        <source>{label} must be a JSON object such as {example}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/common.py" line="370"/>
        <source>The AOI layer has no features with a geometry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/coverage.py" line="54"/>
        <source>Pick scenes for coverage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/coverage.py" line="57"/>
        <source>Planning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/coverage.py" line="60"/>
        <source>Picks the fewest, least cloudy footprints of INPUT that together cover the area of interest (the polygon layer AOI, else the extent EXTENT) to MIN_COVERAGE percent of its ground area, and writes them to OUTPUT with the time window they cover (cover_window), the share of the area each adds to the ones before it (cover_adds_pct) and their order (cover_order).

A scene costs 1 + CLOUD_WEIGHT × cloud cover / 100 (0: only the fewest scenes count); a scene of unknown cloud cover costs as much as a fully cloudy one. The pick is a weighted greedy set cover over the pieces of the area the footprints cut, then scenes made redundant are dropped and cheaper swaps tried. WINDOW makes one cover per week, month, season (DJF, MAM, JJA, SON) or year; undated scenes are then left out. Near-identical footprints (the same path/row on other dates) are one shape.

Works for Scene Finder&apos;s Landsat footprints (cloud_cover, acquired) and Carbon Mapper scenes (cloud_cover_pct, timestamp); for other layers name CLOUD_FIELD and DATE_FIELD. Outputs SHARE (the mean share covered, percent), MIN_SHARE (the smallest of a window) and MEAN_CLOUD.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/coverage.py" line="77"/>
        <source>Footprints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/coverage.py" line="80"/>
        <source>Share of the area to cover (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/coverage.py" line="83"/>
        <source>Weight of cloud cover (0: only the number of scenes counts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/coverage.py" line="86"/>
        <source>One cover per time window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/coverage.py" line="89"/>
        <source>Cloud cover field (empty: found by name)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/coverage.py" line="92"/>
        <source>Acquisition date field (empty: found by name)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/coverage.py" line="95"/>
        <source>Picked footprints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/coverage.py" line="96"/>
        <source>Number of scenes picked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/coverage.py" line="97"/>
        <source>Share of the area covered (%, mean of the windows)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/coverage.py" line="98"/>
        <source>Smallest share covered in a window (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/coverage.py" line="99"/>
        <source>Mean cloud cover of the pick (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/coverage.py" line="117"/>
        <source>The footprints layer INPUT could not be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/coverage.py" line="122"/>
        <source>No cloud cover field found: every scene counts as of unknown cloud cover. Name it with CLOUD_FIELD.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/coverage.py" line="126"/>
        <source>No acquisition date field found for one cover per {window}: name it with DATE_FIELD.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/coverage.py" line="146"/>
        <source>{window}: {count} scene(s), {share:.1f} % covered (reachable {reach:.1f} %), mean cloud cover {cloud}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/coverage.py" line="151"/>
        <source>{count} scene(s) without a date were left out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/coverage.py" line="153"/>
        <source>No footprint of the layer meets the area of interest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/coverage.py" line="172"/>
        <source>The output OUTPUT could not be created.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/layer_download.py" line="39"/>
        <source>Download folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/layer_download.py" line="41"/>
        <source>Downloaded files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/layer_download.py" line="42"/>
        <source>Number of files downloaded or already there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/layer_download.py" line="43"/>
        <source>Number of files that could not be downloaded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_download.py" line="33"/>
        <source>PRODUCT must be &quot;bundle&quot; or a comma-separated list of band names such as SR_B4,SR_B3,SR_B2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_download.py" line="52"/>
        <source>Download Landsat scenes (USGS M2M)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_download.py" line="55"/>
        <source>Downloads the scenes of a footprints layer (as written by “Search Landsat scenes”: it needs the fields entity_id and dataset) into a folder: the selected features if any are selected, else all.

PRODUCT is &quot;bundle&quot; for the whole product of the dataset of each scene (the Landsat bundle .tar, a Sentinel-2 .SAFE zip, a NAIP image, a DEM GeoTIFF...) or a comma-separated list of band names such as SR_B4,SR_B3,SR_B2 for single Landsat band files. Files already complete in the folder are skipped; interrupted ones resume.

QUEUE: instead of downloading now, add the files to the Scene Finder download queue (the panel&apos;s Downloads tab), which paces them to USGS&apos;s limits and survives a restart; the files then come while the panel runs.

Credentials: AUTHCFG, else SCENE_FINDER_M2M_USERNAME and SCENE_FINDER_M2M_TOKEN, else the ones saved in the Scene Finder settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_download.py" line="70"/>
        <location filename="../gis/processing/m2m_search.py" line="94"/>
        <source>Scene footprints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_download.py" line="72"/>
        <source>Product: &quot;bundle&quot; or band names (e.g. SR_B4,SR_B3,SR_B2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_download.py" line="73"/>
        <location filename="../gis/processing/m2m_search.py" line="93"/>
        <source>USGS M2M credentials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_download.py" line="75"/>
        <source>Add to the download queue (Downloads tab) instead of downloading now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_download.py" line="84"/>
        <source>The footprints layer could not be opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_download.py" line="88"/>
        <source>The layer “{name}” has no entity_id field: use the footprints written by “Search Landsat scenes”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_download.py" line="99"/>
        <source>The footprints layer has no scenes to download.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_download.py" line="113"/>
        <source>Downloading {count} scene(s) to {folder}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_download.py" line="132"/>
        <source>The download queue cannot be used: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_download.py" line="133"/>
        <source>Queued {count} file(s) in the Scene Finder download queue (Downloads tab); they download while the panel runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_search.py" line="64"/>
        <source>Search Landsat scenes (USGS M2M)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_search.py" line="67"/>
        <source>Searches a USGS EarthExplorer dataset through the Machine-to-Machine API and writes the footprints of the scenes found (entity id, display id, dataset, acquisition date, cloud cover, WRS path/row, satellite, browse URLs) to a GeoPackage.

The area of interest is the polygon layer AOI when given, else the extent EXTENT. Dates are yyyy-mm-dd (empty: no bound). CLOUD_MAX keeps scenes with at most that cloud cover (%); scenes whose cloud cover is unknown are kept unless INCLUDE_UNKNOWN_CLOUD is off. METADATA_FILTERS is a JSON object of filter label (or id) to value, for example {&quot;Satellite&quot;: &quot;9&quot;} or {&quot;WRS Path&quot;: [13, 15]}.

Credentials: the authentication configuration AUTHCFG, else the environment variables SCENE_FINDER_M2M_USERNAME and SCENE_FINDER_M2M_TOKEN, else the ones saved in the Scene Finder settings. SCENE_FINDER_M2M_URL overrides the service URL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_search.py" line="83"/>
        <source>Dataset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_search.py" line="88"/>
        <source>Metadata filters (JSON object, e.g. {&quot;Satellite&quot;: &quot;9&quot;})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_search.py" line="96"/>
        <source>Number of scenes the service found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_search.py" line="105"/>
        <source>METADATA_FILTERS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_search.py" line="122"/>
        <source>The service found {total} scene(s); writing up to {limit}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_search.py" line="131"/>
        <source>Searching {dataset}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_search.py" line="134"/>
        <source>{count} scene footprint(s) written to {path}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderProducts</name>
    <message>
        <location filename="../gis/product_files.py" line="125"/>
        <source>{name} is a folder without Sentinel-2 metadata (MTD_MSIL1C.xml).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/product_files.py" line="137"/>
        <source>{name} holds no raster that QGIS can open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/product_files.py" line="139"/>
        <source>{name} holds more than {kept} rasters; opened the first {kept}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/product_files.py" line="200"/>
        <source>GDAL could not read the Sentinel-2 product {name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/product_files.py" line="208"/>
        <source>The Sentinel-2 product {name} has no 10 m, 20 m or 60 m bands.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/product_files.py" line="214"/>
        <source>{name} true colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/product_files.py" line="226"/>
        <source>None of the bands of {name} could be opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/product_files.py" line="244"/>
        <location filename="../gis/product_files.py" line="252"/>
        <source>GDAL could not build the true-colour composite of {name}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderProvider</name>
    <message>
        <location filename="../gis/processing/provider.py" line="21"/>
        <source>Scene Finder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderQueue</name>
    <message>
        <location filename="../ui/queue_tab.py" line="130"/>
        <source>bundle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/queue_tab.py" line="152"/>
        <location filename="../ui/queue_tab.py" line="175"/>
        <location filename="../ui/queue_tab.py" line="220"/>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/queue_tab.py" line="175"/>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/queue_tab.py" line="175"/>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/queue_tab.py" line="176"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/queue_tab.py" line="207"/>
        <source>{count} download(s) from the last session are unfinished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/queue_tab.py" line="236"/>
        <source>Select items in the list first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderResults</name>
    <message>
        <location filename="../ui/previews.py" line="70"/>
        <location filename="../ui/previews.py" line="129"/>
        <source>Show on map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/previews.py" line="72"/>
        <source>Put the browse images of the selected scenes on the map, under their footprints (a second click takes them off).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/previews.py" line="79"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/previews.py" line="129"/>
        <source>Hide from map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/previews.py" line="141"/>
        <location filename="../ui/previews.py" line="151"/>
        <location filename="../ui/previews.py" line="234"/>
        <location filename="../ui/previews.py" line="244"/>
        <source>Previews</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/previews.py" line="168"/>
        <source>No preview to put on the map for {names}: the service gives none Scene Finder can place.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/previews.py" line="226"/>
        <source> ({count} more could not be shown either)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/previews.py" line="228"/>
        <source>The preview of {name} could not be shown: {error}{more}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/results.py" line="342"/>
        <location filename="../ui/results.py" line="354"/>
        <source>No preview for this scene.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/results.py" line="356"/>
        <source>Loading preview…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/results.py" line="373"/>
        <source>The preview could not be loaded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/results_model.py" line="128"/>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/results_model.py" line="128"/>
        <source>Cloud %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/results_model.py" line="128"/>
        <source>ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/results_model.py" line="128"/>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/results_model.py" line="220"/>
        <source>Downloaded: {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/results_proxy.py" line="97"/>
        <source>New since the last run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/results_reading.py" line="30"/>
        <source>The results file {name} could not be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/results_reading.py" line="105"/>
        <source>Scene Finder: reading results</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderSavedSearches</name>
    <message>
        <location filename="../ui/saved_searches.py" line="60"/>
        <source>Saved searches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/saved_searches.py" line="73"/>
        <source>Name of the current search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/saved_searches.py" line="74"/>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/saved_searches.py" line="76"/>
        <source>Run again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/saved_searches.py" line="78"/>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/saved_searches.py" line="86"/>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/saved_searches.py" line="87"/>
        <source> days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/saved_searches.py" line="89"/>
        <source>Search results files in the download folder&apos;s “searches” folder are deleted after this many days, unless a saved search, the open project or a saved project uses them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/saved_searches.py" line="100"/>
        <source>Delete unsaved search files after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/saved_searches.py" line="145"/>
        <source>Last run {when}: {count} scene(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/saved_searches.py" line="171"/>
        <source>Type a name for the search first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/saved_searches.py" line="183"/>
        <source>Replaced the saved search “{name}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/saved_searches.py" line="183"/>
        <source>Saved the search “{name}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/saved_searches.py" line="187"/>
        <location filename="../ui/saved_searches.py" line="190"/>
        <source>Saving the search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/saved_searches.py" line="198"/>
        <source>Removed the saved search “{name}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/saved_searches.py" line="206"/>
        <source>A search is running: wait for it to end, or cancel it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/saved_searches.py" line="218"/>
        <location filename="../ui/saved_searches.py" line="255"/>
        <source>Running the saved search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/saved_searches.py" line="229"/>
        <source>Running “{name}”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/saved_searches.py" line="246"/>
        <source>First run of “{name}”: {count} scene(s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/saved_searches.py" line="249"/>
        <source>1 new scene since {date}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/saved_searches.py" line="249"/>
        <source>{count} new scenes since {date}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/saved_searches.py" line="259"/>
        <source>“{name}” did not run: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderSearchForm</name>
    <message>
        <location filename="../ui/search_form.py" line="56"/>
        <source>(any)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="63"/>
        <source>from {example}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="64"/>
        <source>to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="129"/>
        <source>Reload the datasets and filters from USGS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="137"/>
        <source>Browse every dataset by category, search them, star favourites</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="155"/>
        <source>Include scenes with unknown cloud cover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="159"/>
        <source>Any gas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="165"/>
        <location filename="../ui/search_form.py" line="353"/>
        <source>Metadata filters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="172"/>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="173"/>
        <source>Dataset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="174"/>
        <source>Dates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="175"/>
        <source>Max. cloud cover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="177"/>
        <source>Gas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="178"/>
        <source>At most</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="290"/>
        <source>Metadata filters (loading…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="336"/>
        <source>Metadata filters (not available)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderSignIn</name>
    <message>
        <location filename="../ui/signin.py" line="67"/>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/signin.py" line="69"/>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/signin.py" line="73"/>
        <source>Or choose a configuration from the QGIS authentication database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/signin.py" line="78"/>
        <location filename="../ui/signin.py" line="258"/>
        <source>API token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/signin.py" line="80"/>
        <source>Email and password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/signin.py" line="106"/>
        <source>Saved configuration:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/signin.py" line="126"/>
        <source> (from the environment)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/signin.py" line="146"/>
        <source>Enter both fields to sign in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/signin.py" line="185"/>
        <source>Signing in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/signin.py" line="232"/>
        <source>an API token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/signin.py" line="234"/>
        <source>Signed in as &lt;b&gt;{user}&lt;/b&gt;{origin}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/signin.py" line="237"/>
        <source>Not signed in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/signin.py" line="246"/>
        <source>ERS username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/signin.py" line="247"/>
        <source>Application token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/signin.py" line="248"/>
        <source>No token yet? Sign in to &lt;a href=&quot;{ers}&quot;&gt;ERS&lt;/a&gt;, open your profile and choose &quot;Create Application Token&quot;. Searching and downloading through M2M also needs M2M access: in ERS, Access Request, &quot;Access to EE&apos;s Machine to Machine interface (MACHINE)&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/signin.py" line="257"/>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/signin.py" line="258"/>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/signin.py" line="259"/>
        <source>Create an API token in your &lt;a href=&quot;{url}&quot;&gt;Carbon Mapper platform&lt;/a&gt; account settings.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderStream</name>
    <message>
        <location filename="../ui/streamed_results.py" line="80"/>
        <source>Search cancelled: showing {shown} of {total}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/streamed_results.py" line="82"/>
        <source>Search stopped: showing {shown} of {total}. {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/streamed_results.py" line="85"/>
        <source>{total} found; {shown} shown…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/streamed_results.py" line="87"/>
        <source>{total} found; showing {count}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/streamed_results.py" line="88"/>
        <source>{count} found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/streamed_results.py" line="226"/>
        <source>Scene Finder: sorting results</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderTimeFilter</name>
    <message>
        <location filename="../ui/time_filter.py" line="36"/>
        <source>Follow the time controller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/time_filter.py" line="38"/>
        <source>Show only the scenes in the time range of QGIS&apos;s Temporal Controller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/time_filter.py" line="85"/>
        <source>{shown} of {total}: {range}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
