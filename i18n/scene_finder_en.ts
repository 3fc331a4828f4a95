<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>SceneFinderAoi</name>
    <message>
        <location filename="../ui/aoi.py" line="112"/>
        <source>Current map extent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="112"/>
        <source>Selected features</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="112"/>
        <source>Whole layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="113"/>
        <source>Rectangle drawn on the map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="122"/>
        <source>Draw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="123"/>
        <source>Drag a rectangle on the map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="131"/>
        <source>Area of interest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="179"/>
        <source>Choose an area of interest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="197"/>
        <source>The area of interest could not be computed: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="234"/>
        <source>The map has no extent yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="240"/>
        <source>Press “Draw” and drag a rectangle on the map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="249"/>
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
    <name>SceneFinderDock</name>
    <message>
        <location filename="../ui/dock.py" line="59"/>
        <source>Scene Finder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="76"/>
        <location filename="../ui/dock.py" line="103"/>
        <location filename="../ui/dock.py" line="224"/>
        <location filename="../ui/dock.py" line="227"/>
        <location filename="../ui/dock.py" line="280"/>
        <location filename="../ui/dock.py" line="301"/>
        <location filename="../ui/dock.py" line="308"/>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="79"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="112"/>
        <source>Results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="116"/>
        <source>Accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="120"/>
        <source>Reading the USGS datasets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="125"/>
        <source>Reading the results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="165"/>
        <source>Sign in to {service} first (Accounts tab).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="170"/>
        <source>an API token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="171"/>
        <source>Signed in as {user}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="175"/>
        <source>Signing in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="204"/>
        <source>Landsat {start} – {end}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="218"/>
        <source>Searching… (area {area})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="244"/>
        <source>{total} found; reading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="304"/>
        <source>Search cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_controller.py" line="87"/>
        <source>{count} selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_controller.py" line="89"/>
        <source>, {size}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_controller.py" line="91"/>
        <source> (size of {known} known)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_controller.py" line="129"/>
        <source>Select scenes or plumes in the table first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_controller.py" line="144"/>
        <source>Starting the download of {count} item(s)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_controller.py" line="147"/>
        <location filename="../ui/download_controller.py" line="150"/>
        <location filename="../ui/download_controller.py" line="183"/>
        <location filename="../ui/download_controller.py" line="193"/>
        <source>Download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_controller.py" line="171"/>
        <source>{count} file(s) in {folder}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_controller.py" line="173"/>
        <source>{count} could not be downloaded; see the log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_controller.py" line="190"/>
        <source>Download cancelled; it resumes where it stopped next time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_controller.py" line="210"/>
        <source>Opened {names}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/download_controller.py" line="212"/>
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
        <location filename="../ui/downloads.py" line="177"/>
        <source>Download selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/downloads.py" line="75"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/downloads.py" line="94"/>
        <source>Product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/downloads.py" line="95"/>
        <source>Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/downloads.py" line="176"/>
        <source>Download selected ({count})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/downloads.py" line="178"/>
        <source>Select scenes or plumes in the table first</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderDropHandler</name>
    <message>
        <location filename="../gis/drop_handler.py" line="61"/>
        <source>Dropped scene footprints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/drop_handler.py" line="144"/>
        <source>The dropped scenes could not be opened. See the Scene Finder log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/drop_handler.py" line="149"/>
        <source>Footprints of {count} scene(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/drop_handler.py" line="165"/>
        <source>Opened {names}.</source>
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
        <location filename="../gis/loaders.py" line="163"/>
        <location filename="../gis/loaders.py" line="180"/>
        <source>GDAL could not build the true-colour composite of {name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/loaders.py" line="266"/>
        <source>{name} true colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/loaders.py" line="281"/>
        <source>None of the bands of {name} could be opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/loaders.py" line="290"/>
        <source>The plume raster {name} could not be opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/loaders.py" line="299"/>
        <source>The raster {name} could not be opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/loaders.py" line="337"/>
        <source>Scene Finder: opening layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/loaders.py" line="385"/>
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
        <location filename="../gis/processing/m2m_download.py" line="32"/>
        <source>PRODUCT must be &quot;bundle&quot; or a comma-separated list of band names such as SR_B4,SR_B3,SR_B2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_download.py" line="50"/>
        <source>Download Landsat scenes (USGS M2M)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_download.py" line="53"/>
        <source>Downloads the scenes of a footprints layer (as written by “Search Landsat scenes”: it needs the fields entity_id and dataset) into a folder: the selected features if any are selected, else all.

PRODUCT is &quot;bundle&quot; for the product bundle (.tar) or a comma-separated list of band names such as SR_B4,SR_B3,SR_B2 for single band files. Files already complete in the folder are skipped; interrupted ones resume.

Credentials: AUTHCFG, else SCENE_FINDER_M2M_USERNAME and SCENE_FINDER_M2M_TOKEN, else the ones saved in the Scene Finder settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_download.py" line="64"/>
        <location filename="../gis/processing/m2m_search.py" line="94"/>
        <source>Scene footprints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_download.py" line="66"/>
        <source>Product: &quot;bundle&quot; or band names (e.g. SR_B4,SR_B3,SR_B2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_download.py" line="67"/>
        <location filename="../gis/processing/m2m_search.py" line="93"/>
        <source>USGS M2M credentials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_download.py" line="75"/>
        <source>The footprints layer could not be opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_download.py" line="79"/>
        <source>The layer “{name}” has no entity_id field: use the footprints written by “Search Landsat scenes”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_download.py" line="90"/>
        <source>The footprints layer has no scenes to download.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/processing/m2m_download.py" line="102"/>
        <source>Downloading {count} scene(s) to {folder}…</source>
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
    <name>SceneFinderProvider</name>
    <message>
        <location filename="../gis/processing/provider.py" line="21"/>
        <source>Scene Finder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderResults</name>
    <message>
        <location filename="../ui/results.py" line="312"/>
        <location filename="../ui/results.py" line="324"/>
        <source>No preview for this scene.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/results.py" line="326"/>
        <source>Loading preview…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/results.py" line="343"/>
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
        <location filename="../ui/results_model.py" line="217"/>
        <source>Downloaded: {path}</source>
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
        <location filename="../ui/search_form.py" line="119"/>
        <source>Reload the datasets and filters from USGS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="140"/>
        <source>Include scenes with unknown cloud cover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="144"/>
        <source>Any gas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="150"/>
        <location filename="../ui/search_form.py" line="290"/>
        <source>Metadata filters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="157"/>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="158"/>
        <source>Dataset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="159"/>
        <source>Dates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="160"/>
        <source>Max. cloud cover</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="162"/>
        <source>Gas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="163"/>
        <source>At most</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="245"/>
        <source>Metadata filters (loading…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/search_form.py" line="275"/>
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
</TS>
