"""Listing-only datasets: what ``dataset-search`` also returns, so the dataset picker sees a realistic catalogue.

EarthExplorer lists about twelve hundred datasets: Landsat collections, aerial photography, declassified
satellite imagery, the LP DAAC's MODIS products (one dataset per product and version), the Hazards Data
Distribution System's event collections (one category per year), and more. These entries carry the
names, aliases and categories in the way USGS writes them; they have no scenes (``scene-search`` finds
nothing) and no filters. Sentinel-2, NAIP and the elevation datasets are left to the datasets that
have products.
"""

from __future__ import annotations

import hashlib

_BOUNDS = {"north": 90.0, "east": 180.0, "south": -90.0, "west": -180.0}
_EROS = "U.S. Geological Survey (USGS),Earth Resources Observation and Science (EROS) Center"


def _entry(alias: str, name: str, long_name: str, category: str, start: str, end: str | None = None,
           keywords: str = "", owner: str = "EROS", catalogs=("EE",), cloud: bool = False) -> dict:
    return {
        "abstractText": f"{long_name}. (Emulated: listed only, no scenes.)", "acquisitionStart": start,
        "acquisitionEnd": end, "catalogs": list(catalogs), "collectionName": name, "collectionLongName": long_name,
        "datasetId": hashlib.sha256(alias.encode()).hexdigest()[:16], "datasetAlias": alias,
        "datasetCategoryName": category, "dataOwner": owner, "dateUpdated": "2024-06-11 10:31:07.201338-05",
        "doiNumber": None, "ingestFrequency": "P1D", "keywords": f"{keywords},{_EROS}".strip(","),
        "legacyId": None, "sceneCount": 0, "spatialBounds": dict(_BOUNDS),
        "temporalCoverage": f'["{start} 00:00:00-05","{end or "2025-12-31"} 00:00:00-06"]',
        "supportCloudCover": cloud, "supportDeletionSearch": False, "allowInKmz": False,
    }


# (alias, collection name, long name, category, first acquisition, last acquisition or None, keywords)
_TABLE = [
    ("landsat_tm_c2_l1", "Landsat 4-5 TM C2 L1", "Landsat 4-5 Thematic Mapper Collection 2 Level-1",
     "Landsat Collection 2 Level-1", "1982-08-22", "2013-06-05", "Landsat,TM,Imagery"),
    ("landsat_mss_c2_l1", "Landsat 1-5 MSS C2 L1", "Landsat 1-5 Multispectral Scanner Collection 2 Level-1",
     "Landsat Collection 2 Level-1", "1972-07-25", "2013-01-07", "Landsat,MSS,Imagery"),
    ("landsat_band_files_c2_l1", "Landsat C2 L1 Band Files", "Landsat Collection 2 Level-1 Band Files",
     "Landsat Collection 2 Level-1", "1972-07-25", None, "Landsat,Band Files"),
    ("landsat_ba_tile_c2", "Landsat Burned Area C2", "Landsat Collection 2 Level-3 Burned Area Science Product",
     "Landsat Collection 2 Level-3", "1984-03-01", None, "Landsat,Burned Area,Fire,Level-3"),
    ("landsat_dswe_tile_c2", "Landsat Dynamic Surface Water Extent C2",
     "Landsat Collection 2 Level-3 Dynamic Surface Water Extent Science Product", "Landsat Collection 2 Level-3",
     "1982-08-22", None, "Landsat,Surface Water,DSWE,Level-3"),
    ("landsat_fsca_tile_c2", "Landsat Fractional Snow Covered Area C2",
     "Landsat Collection 2 Level-3 Fractional Snow Covered Area Science Product", "Landsat Collection 2 Level-3",
     "1982-08-22", None, "Landsat,Snow,fSCA,Level-3"),
    ("landsat_ard_tile_c2", "Landsat C2 U.S. ARD", "Landsat Collection 2 U.S. Analysis Ready Data",
     "Landsat Collection 2 U.S. Analysis Ready Data (ARD)", "1982-08-22", None, "Landsat,ARD,Tiles"),
    ("landsat_8_c1", "Landsat 8 OLI/TIRS C1 Level-1", "Landsat 8 Operational Land Imager and Thermal Infrared "
     "Sensor Collection 1 Level-1", "Landsat Legacy", "2013-04-11", "2021-12-31", "Landsat,OLI,TIRS,Collection 1"),
    ("landsat_etm_c1", "Landsat 7 ETM+ C1 Level-1", "Landsat 7 Enhanced Thematic Mapper Plus Collection 1 Level-1",
     "Landsat Legacy", "1999-05-28", "2021-12-31", "Landsat,ETM+,Collection 1"),
    ("landsat_tm_c1", "Landsat 4-5 TM C1 Level-1", "Landsat 4-5 Thematic Mapper Collection 1 Level-1",
     "Landsat Legacy", "1982-08-22", "2013-06-05", "Landsat,TM,Collection 1"),
    ("landsat_mss_c1", "Landsat 1-5 MSS C1 Level-1", "Landsat 1-5 Multispectral Scanner Collection 1 Level-1",
     "Landsat Legacy", "1972-07-25", "2013-01-07", "Landsat,MSS,Collection 1"),
    ("aerial_combin", "Aerial Photo Single Frames", "Aerial Photography Single Frame Records", "Aerial Imagery",
     "1937-01-01", None, "Aerial Photography,Film,Historical"),
    ("napp", "NAPP", "National Aerial Photography Program", "Aerial Imagery", "1987-01-01", "2007-12-31",
     "Aerial Photography,NAPP,Color Infrared"),
    ("nhap", "NHAP", "National High Altitude Photography", "Aerial Imagery", "1980-01-01", "1989-12-31",
     "Aerial Photography,NHAP,High Altitude"),
    ("doq", "DOQ", "Digital Orthophoto Quadrangle", "Aerial Imagery", "1987-01-01", "2014-12-31",
     "Orthophoto,DOQ,Quarter Quadrangle"),
    ("high_res_ortho", "High Resolution Orthoimagery", "High Resolution Orthoimagery", "Aerial Imagery",
     "2000-01-01", None, "Orthoimagery,Urban Areas,High Resolution"),
    ("aerial_photo_mosaics", "Aerial Photo Mosaics", "Aerial Photography Mosaics", "Aerial Imagery",
     "1937-01-01", "1980-12-31", "Aerial Photography,Mosaics"),
    ("lidar", "Lidar", "Lidar Point Cloud", "Aerial Imagery", "1996-01-01", None,
     "Lidar,Point Cloud,LAS,Elevation"),
    ("corona2", "Declass 1 (1996)", "Declassified Satellite Imagery - 1", "Declassified Data", "1960-08-18",
     "1972-05-31", "CORONA,ARGON,LANYARD,Declassified,Film"),
    ("declassii", "Declass 2 (2002)", "Declassified Satellite Imagery - 2", "Declassified Data", "1963-01-01",
     "1980-12-31", "KH-7,KH-9,GAMBIT,HEXAGON,Declassified"),
    ("declassiii", "Declass 3 (2013)", "Declassified Satellite Imagery - 3", "Declassified Data", "1971-03-01",
     "1984-10-31", "KH-9,HEXAGON,Declassified"),
    ("sir_c", "SIR-C", "Shuttle Imaging Radar-C Precision Data", "Radar", "1994-04-09", "1994-10-11",
     "Radar,SAR,Shuttle,SIR-C"),
    ("ers_sar", "ERS-1/2 SAR", "European Remote Sensing Satellite Synthetic Aperture Radar", "Radar",
     "1991-07-17", "2011-07-04", "Radar,SAR,ERS"),
    ("orbview3", "OrbView-3", "OrbView-3 Satellite Imagery", "Commercial Satellites", "2003-06-26", "2007-03-04",
     "OrbView,Commercial,High Resolution"),
    ("ikonos", "IKONOS", "IKONOS Satellite Imagery", "Commercial Satellites", "1999-09-24", "2015-03-31",
     "IKONOS,Commercial,High Resolution"),
    ("resourcesat1_awifs", "IRS AWiFS", "Indian Remote Sensing Satellite Advanced Wide Field Sensor",
     "ISRO Resourcesat", "2003-12-07", None, "ISRO,Resourcesat,AWiFS"),
    ("resourcesat1_liss3", "IRS LISS-3", "Indian Remote Sensing Satellite Linear Imaging Self-Scanning Sensor 3",
     "ISRO Resourcesat", "2003-12-07", None, "ISRO,Resourcesat,LISS-3"),
    ("eo1_ali_pub", "EO-1 ALI", "Earth Observing-1 Advanced Land Imager", "EO-1", "2000-11-21", "2017-02-28",
     "EO-1,ALI,Multispectral"),
    ("eo1_hyp_pub", "EO-1 Hyperion", "Earth Observing-1 Hyperion", "EO-1", "2000-11-21", "2017-02-28",
     "EO-1,Hyperion,Hyperspectral"),
    ("avhrr_composite", "AVHRR Composites", "Advanced Very High Resolution Radiometer Composites", "AVHRR",
     "1989-01-01", None, "AVHRR,NDVI,Composites"),
    ("avhrr_l1b", "AVHRR Orbital Segment", "Advanced Very High Resolution Radiometer Level 1B", "AVHRR",
     "1979-01-01", None, "AVHRR,Level 1B,NOAA"),
    ("vip_vi", "VIP Vegetation Index", "Vegetation Index and Phenology Vegetation Index",
     "Vegetation Index Phenology (VIP)", "1981-01-01", "2014-12-31", "VIP,NDVI,EVI2,Phenology"),
    ("emodis", "eMODIS", "eMODIS Vegetation Index Products", "Vegetation Monitoring", "2000-02-24", None,
     "eMODIS,NDVI,Vegetation"),
    ("emodis_phen_metrics", "eMODIS Phenology", "eMODIS Remote Sensing Phenology Metrics", "Vegetation Monitoring",
     "2001-01-01", None, "eMODIS,Phenology"),
    ("dlg_large", "DLG Large Scale", "Digital Line Graphs Large Scale", "Digital Line Graphs", "1970-01-01", None,
     "DLG,Vector,Hydrography,Transportation"),
    ("dlg_small", "DLG Small Scale", "Digital Line Graphs Small Scale", "Digital Line Graphs", "1970-01-01", None,
     "DLG,Vector,1:2,000,000"),
    ("lcmap_conus_v13", "LCMAP CONUS Science Products V1.3", "Land Change Monitoring, Assessment, and Projection "
     "CONUS Science Products Version 1.3", "LCMAP", "1985-01-01", "2021-12-31", "LCMAP,Land Cover,Change"),
    ("nlcd_2019", "NLCD 2019", "National Land Cover Database 2019", "Land Cover", "2001-01-01", "2019-12-31",
     "NLCD,Land Cover,Impervious"),
    ("gfcc30tc", "GFCC Tree Cover", "Global Forest Cover Change Tree Cover Multi-Year Global 30 m",
     "Global Forest Cover Change (GFCC)", "2000-01-01", "2015-12-31", "GFCC,Forest,Tree Cover"),
    ("uas_collection", "UAS Collections", "Unoccupied Aircraft Systems Collections", "UAS", "2015-01-01", None,
     "UAS,Drone,Orthoimagery"),
    ("global_fiducials", "Global Fiducials", "Global Fiducials Library", "Global Fiducials", "1960-01-01", None,
     "Fiducials,Declassified,Literal Imagery"),
    ("ecostress_eco2lste", "ECO2LSTE V1", "ECOSTRESS Land Surface Temperature and Emissivity L2 Global 70 m",
     "ECOSTRESS", "2018-07-09", None, "ECOSTRESS,Land Surface Temperature,Emissivity"),
    ("ecostress_eco3etptjpl", "ECO3ETPTJPL V1", "ECOSTRESS Evapotranspiration PT-JPL L3 Global 70 m",
     "ECOSTRESS", "2018-07-09", None, "ECOSTRESS,Evapotranspiration"),
    ("modis_mod44w_v61", "MODIS MOD44W V6.1", "MODIS/Terra Land Water Mask Derived from MODIS and SRTM Yearly "
     "L3 Global 250m SIN Grid V061", "MODIS Water Mask - V6.1", "2000-02-24", None, "MODIS,Terra,MOD44W,Water"),
    ("viirs_vnp13a1", "VIIRS VNP13A1 V1", "VIIRS/NPP Vegetation Indices 16-Day L3 Global 500m SIN Grid",
     "VIIRS Vegetation Indices", "2012-01-17", None, "VIIRS,NDVI,EVI"),
    ("viirs_vnp09ga", "VIIRS VNP09GA V1", "VIIRS/NPP Surface Reflectance Daily L2G Global 1km and 500m SIN Grid",
     "VIIRS Surface Reflectance", "2012-01-19", None, "VIIRS,Surface Reflectance"),
]

# MODIS land products of the LP DAAC, version 6.1: (category, [(product, long name without platform)])
_MODIS = [
    ("MODIS Land Surface Reflectance - V6.1", [
        ("09A1", "Surface Reflectance 8-Day L3 Global 500m SIN Grid"),
        ("09GA", "Surface Reflectance Daily L2G Global 1km and 500m SIN Grid"),
        ("09GQ", "Surface Reflectance Daily L2G Global 250m SIN Grid"),
        ("09Q1", "Surface Reflectance 8-Day L3 Global 250m SIN Grid"),
        ("09CMG", "Surface Reflectance Daily L3 Global 0.05Deg CMG")]),
    ("MODIS Vegetation Indices - V6.1", [
        ("13A1", "Vegetation Indices 16-Day L3 Global 500m SIN Grid"),
        ("13A2", "Vegetation Indices 16-Day L3 Global 1km SIN Grid"),
        ("13A3", "Vegetation Indices Monthly L3 Global 1km SIN Grid"),
        ("13Q1", "Vegetation Indices 16-Day L3 Global 250m SIN Grid"),
        ("13C1", "Vegetation Indices 16-Day L3 Global 0.05Deg CMG"),
        ("13C2", "Vegetation Indices Monthly L3 Global 0.05Deg CMG")]),
    ("MODIS Land Surface Temp and Emiss - V6.1", [
        ("11A1", "Land Surface Temperature/Emissivity Daily L3 Global 1km SIN Grid"),
        ("11A2", "Land Surface Temperature/Emissivity 8-Day L3 Global 1km SIN Grid"),
        ("11B1", "Land Surface Temperature/Emissivity Daily L3 Global 6km SIN Grid"),
        ("11B2", "Land Surface Temperature/Emissivity 8-Day L3 Global 6km SIN Grid"),
        ("11B3", "Land Surface Temperature/Emissivity Monthly L3 Global 6km SIN Grid"),
        ("11C1", "Land Surface Temperature/Emissivity Daily L3 Global 0.05Deg CMG"),
        ("11C2", "Land Surface Temperature/Emissivity 8-Day L3 Global 0.05Deg CMG"),
        ("11C3", "Land Surface Temperature/Emissivity Monthly L3 Global 0.05Deg CMG"),
        ("11_L2", "Land Surface Temperature/Emissivity 5-Min L2 Swath 1km"),
        ("21A1D", "Land Surface Temperature/3-Band Emissivity Daily L3 Global 1km SIN Grid Day"),
        ("21A1N", "Land Surface Temperature/3-Band Emissivity Daily L3 Global 1km SIN Grid Night"),
        ("21A2", "Land Surface Temperature/3-Band Emissivity 8-Day L3 Global 1km SIN Grid")]),
    ("MODIS Thermal Anomalies and Fire - V6.1", [
        ("14A1", "Thermal Anomalies/Fire Daily L3 Global 1km SIN Grid"),
        ("14A2", "Thermal Anomalies/Fire 8-Day L3 Global 1km SIN Grid"),
        ("14", "Thermal Anomalies/Fire 5-Min L2 Swath 1km")]),
    ("MODIS Gross Primary Productivity - V6.1", [
        ("17A2H", "Gross Primary Productivity 8-Day L4 Global 500m SIN Grid"),
        ("17A3HGF", "Net Primary Production Gap-Filled Yearly L4 Global 500m SIN Grid")]),
    ("MODIS Net Evapotranspiration - V6.1", [
        ("16A2", "Net Evapotranspiration 8-Day L4 Global 500m SIN Grid"),
        ("16A3GF", "Net Evapotranspiration Gap-Filled Yearly L4 Global 500m SIN Grid")]),
]
_TOPICS = {"Reflectance": "Surface Reflectance", "Vegetation": "NDVI,EVI,Vegetation", "Temp": "LST,Temperature",
           "Fire": "Fire,Thermal Anomalies", "Productivity": "GPP,NPP,Carbon", "Evapotranspiration": "ET,Water",
           "LAI": "LAI,FPAR,Vegetation", "Cover": "Land Cover,Phenology", "Burned": "Burned Area,Fire",
           "BRDF": "BRDF,Albedo,NBAR"}
_PLATFORMS = (("MOD", "Terra", "2000-02-24"), ("MYD", "Aqua", "2002-07-04"))
# Terra+Aqua combined products
_MCD = [
    ("MODIS LAI/FPAR - V6.1", [("15A2H", "Leaf Area Index/FPAR 8-Day L4 Global 500m SIN Grid"),
                               ("15A3H", "Leaf Area Index/FPAR 4-Day L4 Global 500m SIN Grid")]),
    ("MODIS Land Cover - V6.1", [("12Q1", "Land Cover Type Yearly L3 Global 500m SIN Grid"),
                                 ("12Q2", "Land Cover Dynamics Yearly L3 Global 500m SIN Grid"),
                                 ("12C1", "Land Cover Type Yearly L3 Global 0.05Deg CMG")]),
    ("MODIS Burned Area - V6.1", [("64A1", "Burned Area Monthly L3 Global 500m SIN Grid")]),
    ("MODIS BRDF and Albedo - V6.1", [
        ("43A1", "BRDF/Albedo Model Parameters Daily L3 Global 500m SIN Grid"),
        ("43A2", "BRDF/Albedo Quality Daily L3 Global 500m SIN Grid"),
        ("43A3", "Albedo Daily L3 Global 500m SIN Grid"),
        ("43A4", "Nadir BRDF-Adjusted Reflectance Daily L3 Global 500m SIN Grid"),
        ("43C1", "BRDF/Albedo Model Parameters Daily L3 Global 0.05Deg CMG"),
        ("43C2", "BRDF/Albedo Snow-free Quality Daily L3 Global 0.05Deg CMG"),
        ("43C3", "Albedo Daily L3 Global 0.05Deg CMG"),
        ("43C4", "Nadir BRDF-Adjusted Reflectance Daily L3 Global 0.05Deg CMG"),
        # the 30 arc-second CMG layers, one dataset each (model parameters, albedo, NBAR, quality...)
        *[(f"43D{n:02d}", f"BRDF/Albedo 30ArcSec CMG Layer {n} Daily L3 Global") for n in range(1, 69)]]),
]

# Hazards Data Distribution System: one collection per event, categories by year
_EVENTS = [
    ("event1058", "200412_Tsunami_IndianOcean", "2004"), ("event741", "200508_Hurricane_Katrina", "2005"),
    ("event303", "200808_Hurricane_Ike", "2008"), ("event1167", "201001_Earthquake_Haiti", "2010"),
    ("event1216", "201002_Earthquake_Chile", "2010"), ("event1301", "201103_Earthquake_Japan", "2011"),
    ("event1335", "201108_Hurricane_Irene", "2011"), ("event1402", "201210_Hurricane_Sandy", "2012"),
    ("event1460", "201311_Typhoon_Haiyan", "2013"), ("event1512", "201504_Earthquake_Nepal", "2015"),
    ("event1578", "201610_Hurricane_Matthew", "2016"), ("event1629", "201708_Hurricane_Harvey", "2017"),
    ("event1633", "201709_Hurricane_Irma", "2017"), ("event1640", "201709_Hurricane_Maria", "2017"),
    ("event1702", "201811_Wildfire_California", "2018"), ("event1731", "201903_Cyclone_Idai", "2019"),
    ("event1760", "201909_Hurricane_Dorian", "2019"), ("event1802", "202008_Explosion_Beirut", "2020"),
    ("event1819", "202009_Wildfire_Oregon", "2020"), ("event1866", "202108_Earthquake_Haiti", "2021"),
    ("event1871", "202108_Hurricane_Ida", "2021"), ("event1930", "202209_Hurricane_Ian", "2022"),
    ("event1962", "202302_Earthquake_Turkey", "2023"), ("event1988", "202308_Wildfire_Maui", "2023"),
    ("event1999", "202309_Flood_Libya", "2023"), ("event2041", "202409_Hurricane_Helene", "2024"),
]


def _topic(category: str) -> str:
    return next((words for key, words in _TOPICS.items() if key in category), "")


def listed_datasets() -> list[dict]:
    """Every listing-only dataset, as ``dataset-search`` returns it."""
    found = [_entry(alias, name, long_name, category, start, end, keywords)
             for alias, name, long_name, category, start, end, keywords in _TABLE]
    for category, products in _MODIS:
        for code, long_name in products:
            for prefix, platform, start in _PLATFORMS:
                product = f"{prefix}{code}"
                found.append(_entry(f"modis_{product.lower()}_v61", f"MODIS {product} V6.1",
                                    f"MODIS/{platform} {long_name} V061", category, start,
                                    keywords=f"MODIS,{platform},{product},{_topic(category)},LP DAAC", owner="LPDAAC",
                                    catalogs=("EE", "LPDAAC")))
    for category, products in _MCD:
        for code, long_name in products:
            product = f"MCD{code}"
            found.append(_entry(f"modis_{product.lower()}_v61", f"MODIS {product} V6.1",
                                f"MODIS/Terra+Aqua {long_name} V061", category, "2000-02-24",
                                keywords=f"MODIS,Terra,Aqua,{product},{_topic(category)},LP DAAC", owner="LPDAAC",
                                catalogs=("EE", "LPDAAC")))
    for alias, name, year in _EVENTS:
        found.append(_entry(alias, name, name, f"{year} Events", f"{year}-01-01",
                            keywords="Hazards,HDDS,Disaster Response,Imagery", owner="DMID", catalogs=("HDDS",),
                            cloud=True))
    return found
