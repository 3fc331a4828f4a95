<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
<context>
    <name>SceneFinderAoi</name>
    <message>
        <location filename="../ui/aoi.py" line="66"/>
        <source>{area} km²</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="110"/>
        <source>The area of interest is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="112"/>
        <source>The area of interest must be a polygon: points and lines have no area. Select polygon features, or draw a rectangle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="118"/>
        <source>The area of interest has no area.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="120"/>
        <source>The area of interest is {area} km², larger than the {limit} km² a search accepts. Zoom in, or draw a smaller rectangle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="129"/>
        <source>Choose a vector layer for the area of interest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="131"/>
        <source>The layer “{name}” has points or lines; an area of interest needs polygons.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="137"/>
        <source>No features are selected in “{name}”. Select one or more polygons first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="143"/>
        <source>The layer “{name}” has no features.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="151"/>
        <source>The chosen features have no geometry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="212"/>
        <source>Current map extent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="212"/>
        <source>Selected features</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="212"/>
        <source>Whole layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="213"/>
        <source>Rectangle drawn on the map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="222"/>
        <source>Draw</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="223"/>
        <source>Drag a rectangle on the map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="231"/>
        <source>Area of interest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="278"/>
        <source>Choose an area of interest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="296"/>
        <source>The area of interest could not be computed: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="320"/>
        <source>The map has no extent yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="326"/>
        <source>Press “Draw” and drag a rectangle on the map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/aoi.py" line="335"/>
        <source>Area: {area}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderDock</name>
    <message>
        <location filename="../ui/dock.py" line="12"/>
        <source>Scene Finder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/dock.py" line="16"/>
        <source>Search and download Landsat and Carbon Mapper imagery.</source>
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
        <location filename="../gis/loaders.py" line="107"/>
        <source>No Landsat band files (…_SR_B4.TIF) in {name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/loaders.py" line="146"/>
        <source>GDAL could not build the true-colour composite of {name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/loaders.py" line="227"/>
        <source>{name} true colour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/loaders.py" line="242"/>
        <source>None of the bands of {name} could be opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/loaders.py" line="251"/>
        <source>The plume raster {name} could not be opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/loaders.py" line="289"/>
        <source>Scene Finder: opening layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../gis/loaders.py" line="334"/>
        <source>Cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderMessages</name>
    <message>
        <location filename="../ui/messages.py" line="37"/>
        <source>Something unexpected went wrong. The details are in the Scene Finder log.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/messages.py" line="58"/>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/messages.py" line="87"/>
        <source>{doing}: {message}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderPlugin</name>
    <message>
        <location filename="../plugin.py" line="54"/>
        <source>Scene Finder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../plugin.py" line="57"/>
        <source>Find and download Landsat and Carbon Mapper imagery</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SceneFinderProvider</name>
    <message>
        <location filename="../gis/processing/provider.py" line="19"/>
        <source>Scene Finder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
