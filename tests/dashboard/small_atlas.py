"""A hand-made atlas of seven NUTS 3 regions and sixteen organisations, every number worked out below.

Built through ``dashboard.data.assemble`` like the register, so views, cards, story and slides see the same
columns; imported by the unit tests as ``from small_atlas import …`` (pytest puts this folder on ``sys.path``).

Regions (areas in km², in the programme area of 2007–13 / 2021–27):

========  ===================  =====  =======  =======  ===========================================
NUTS 2    name                 area   2007–13  2021–27  active organisations (NUTS 3: sector × n)
========  ===================  =====  =======  =======  ===========================================
AT31      Oberösterreich       10000  in       in       AT311: ict × 2, agrifood × 1;
                                                        AT312: ict × 2, energy_greentech × 3
AT32      Salzburg              5000  in       in       AT321: ict × 1, agrifood × 1
SI04      Zahodna Slovenija     8000  out      in       SI041: ict × 3, energy_greentech × 2
========  ===================  =====  =======  =======  ===========================================

Plus one historic ICT organisation in AT321 (merged into ``at-ict-1``), shown only in the Alps4EU landscape.

In 2021–27, all sectors: 15 active organisations, 8 of them ICT, so the area's ICT share is 8 / 15.
ICT view at NUTS 2: AT31 4 of 8 (share 0.5, LQ 0.5 / (8/15) = 0.9375, reliable: 8 organisations reach
``MIN_CLUSTERS_FOR_LQ``); AT32 1 of 2 (0.5, 0.9375, too few); SI04 3 of 5 (0.6, LQ 1.125, reliable). AT31 leads by
count, SI04 is the most specialised.
In 2007–13 SI04 lies outside the area: of the 8 ICT organisations 5 are inside, 3 outside.

Partners: the lead partner in Linz (AT312) and one partner in Ljubljana (SI041).
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import pandas as pd
import shapely

from dashboard.data import AtlasData, assemble

#: Lon/lat, as every geometry of the atlas (EPSG:4326).
CRS = "EPSG:4326"
VERSION = "small-atlas-1"

#: code: (name, mountain type, area km², in 2007–13, in 2021–27, box west, south, east, north)
REGIONS = {
    "AT": ("Österreich", 0, 15_000.0, True, True, (13.0, 47.0, 16.0, 48.0)),
    "SI": ("Slovenija", 0, 8_000.0, False, True, (13.5, 45.5, 15.5, 46.5)),
    "AT3": ("Westösterreich", 0, 15_000.0, True, True, (13.0, 47.0, 16.0, 48.0)),
    "SI0": ("Slovenija", 0, 8_000.0, False, True, (13.5, 45.5, 15.5, 46.5)),
    "AT31": ("Oberösterreich", 0, 10_000.0, True, True, (13.0, 47.0, 14.5, 48.0)),
    "AT32": ("Salzburg", 0, 5_000.0, True, True, (14.5, 47.0, 16.0, 48.0)),
    "SI04": ("Zahodna Slovenija", 0, 8_000.0, False, True, (13.5, 45.5, 15.5, 46.5)),
    "AT311": ("Innviertel", 4, 5_000.0, True, True, (13.0, 47.0, 13.75, 48.0)),
    "AT312": ("Linz-Wels", 1, 5_000.0, True, True, (13.75, 47.0, 14.5, 48.0)),
    "AT321": ("Lungau", 1, 5_000.0, True, True, (14.5, 47.0, 16.0, 48.0)),
    "SI041": ("Osrednjeslovenska", 2, 8_000.0, False, True, (13.5, 45.5, 15.5, 46.5)),
}

#: id: (name, NUTS 3, sector, status, city, lon, lat)
ORGANISATIONS = {
    "at-ict-1": ("Innviertel Digital", "AT311", "ict", "active", "Ried", 13.4, 47.5),
    "at-ict-2": ("Software Park Ried", "AT311", "ict", "active", "Ried", 13.4, 47.5),
    "at-food-1": ("Lebensmittel Cluster", "AT311", "agrifood", "active", "Schärding", 13.3, 47.8),
    "at-ict-3": ("Linz Code Hub", "AT312", "ict", "active", "Linz", 14.1, 47.6),
    "at-ict-4": ("Wels Data Cluster", "AT312", "ict", "active", "Wels", 13.9, 47.4),
    "at-energy-1": ("Clean Energy Linz", "AT312", "energy_greentech", "active", "Linz", 14.2, 47.7),
    "at-energy-2": ("Solar Wels", "AT312", "energy_greentech", "active", "Wels", 13.95, 47.45),
    "at-energy-3": ("Hydro Traun", "AT312", "energy_greentech", "active", "Traun", 14.0, 47.3),
    "at-ict-5": ("Lungau Digital", "AT321", "ict", "active", "Tamsweg", 15.0, 47.5),
    "at-food-2": ("Lungau Food", "AT321", "agrifood", "active", "Tamsweg", 15.1, 47.6),
    "at-ict-old": ("Lungau Telematik", "AT321", "ict", "historic", "Tamsweg", 15.2, 47.4),
    "si-ict-1": ("Ljubljana ICT", "SI041", "ict", "active", "Ljubljana", 14.5, 46.05),
    "si-ict-2": ("Kranj Software", "SI041", "ict", "active", "Kranj", 14.35, 46.25),
    "si-ict-3": ("Digital Slovenia", "SI041", "ict", "active", "Ljubljana", 14.52, 46.06),
    "si-energy-1": ("Green Ljubljana", "SI041", "energy_greentech", "active", "Ljubljana", 14.48, 46.02),
    "si-energy-2": ("Sava Energy", "SI041", "energy_greentech", "active", "Kranj", 14.3, 46.2),
}

PARTNERS = (
    ("p01", "Business Upper Austria", "AT", "Linz", "lead partner", 14.29, 47.9, "AT312"),
    ("p02", "Technology Park Ljubljana", "SI", "Ljubljana", "partner", 14.47, 46.06, "SI041"),
)


def _area_flags(code: str) -> tuple[bool, bool]:
    """A NUTS 3 organisation is in the area of a period when its NUTS 2 region is."""
    _, _, _, in_2007, in_2021, _ = REGIONS[code[:4]]
    return in_2007, in_2021


def regions() -> gpd.GeoDataFrame:
    rows = []
    for code, (name, mount_type, area, in_2007, in_2021, box) in REGIONS.items():
        rows.append({"nuts_id": code, "level": len(code) - 2, "country": code[:2], "name": name, "name_native": name,
                     "mount_type": mount_type, "urban_type": 0 if len(code) < 5 else 2, "coast_type": 0,
                     "area_km2": area, "in_area_2007_2013": in_2007,
                     "area_km2_in_area_2007_2013": area if in_2007 else 0.0, "in_area_2021_2027": in_2021,
                     "area_km2_in_area_2021_2027": area if in_2021 else 0.0, "geometry": shapely.box(*box)})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)


def _nuts(code: str) -> dict[str, str]:
    return {f"nuts{level}": code[: level + 2] for level in range(4)}


def joined_clusters() -> pd.DataFrame:
    rows = []
    for oid, (name, nuts3, sector, status, city, lon, lat) in ORGANISATIONS.items():
        in_2007, in_2021 = _area_flags(nuts3)
        rows.append({"id": oid, "name": name, "acronym": "", "country": nuts3[:2], "city": city, "postal_code": "",
                     "lat": lat, "lon": lon, "sector": sector, "secondary_sectors": "", "themes": "",
                     "org_type": "cluster_organisation", "status": status,
                     "successor": "at-ict-1" if status == "historic" else "", "founded": 2005, "website": "",
                     "source_url": f"https://example.org/{oid}", "extra_sources": "", "city_confidence": "stated",
                     "description": "", "website_evidence": "", "website_checked": "", "last_verified": "2026-11-01",
                     "coordinate_source": "register", **_nuts(nuts3), "join_method": "within",
                     "join_distance_m": 0.0, "in_area_2007_2013": in_2007, "in_area_2021_2027": in_2021})
    frame = pd.DataFrame(rows)
    frame["founded"] = frame["founded"].astype("Int64")
    return frame


def partners() -> pd.DataFrame:
    rows = []
    for pid, name, country, city, role, lon, lat, nuts3 in PARTNERS:
        in_2007, in_2021 = _area_flags(nuts3)
        rows.append({"id": pid, "name": name, "country": country, "city": city, "role": role, "lat": lat, "lon": lon,
                     "coordinate_source": "register", **_nuts(nuts3), "join_method": "within",
                     "join_distance_m": 0.0, "in_area_2007_2013": in_2007, "in_area_2021_2027": in_2021})
    return pd.DataFrame(rows)


@lru_cache(maxsize=1)
def small_atlas() -> AtlasData:
    """The hand-made atlas, built once: never mutated, like the register."""
    return assemble(regions(), joined_clusters(), partners(), version=VERSION)
