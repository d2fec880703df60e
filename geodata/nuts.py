"""NUTS regions: from the raw GISCO boundaries to the two compact artifacts the atlas runs on.

* ``regions``: every NUTS 0–3 region of the seven countries with its attributes, areas and programme-area
  flags, and the 1:10M geometry for display.
* ``join polygons``: the NUTS 3 regions at 1:3M, accurate enough near lakes and coasts for the spatial join.

GISCO's two scales are each topologically consistent, so neighbours share their border vertices. We only
round coordinates (never simplify), and rounding maps equal vertices to equal vertices, so shared borders stay
shared: no slivers, no gaps.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.settings import DISPLAY_CRS, EQUAL_AREA_CRS

#: 1e-5° ≈ 1 m: far below the 1:3M source accuracy, so the join loses nothing.
JOIN_DECIMALS = 5
#: 1e-4° ≈ 10 m: far below what a 1:10M map can show, and it halves the bytes sent to browsers.
DISPLAY_DECIMALS = 4
#: French overseas regions: outside any Alpine question and they would stretch every map extent.
EXCLUDED_PREFIXES = ("FRY",)
#: Continental Europe (lon/lat). The NUTS 0 outline of France includes its overseas regions; clipping to this
#: box keeps its areas and extent metropolitan, like every other region we keep.
EUROPE_BOX = (-11.0, 34.0, 35.0, 72.0)

PERIODS = ("2007-2013", "2021-2027")


def in_area_column(period: str) -> str:
    return "in_area_" + period.replace("-", "_")


def area_in_programme_column(period: str) -> str:
    return "area_km2_in_area_" + period.replace("-", "_")


def round_coordinates(geometries: gpd.GeoSeries, decimals: int) -> gpd.GeoSeries:
    """Round every vertex; identical input vertices stay identical, so topology between neighbours holds."""
    rounded = shapely.transform(geometries.values, lambda coords: np.round(coords, decimals))
    return gpd.GeoSeries(rounded, index=geometries.index, crs=geometries.crs)


def area_km2(geometries: gpd.GeoSeries) -> pd.Series:
    """Areas in km², measured in the equal-area ETRS89-LAEA projection."""
    if geometries.crs is None:
        raise ValueError("geometries have no CRS; cannot measure areas")
    return geometries.to_crs(EQUAL_AREA_CRS).area / 1e6


def _tidy(raw: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    keep = ~raw["NUTS_ID"].str.startswith(EXCLUDED_PREFIXES)
    tidy = raw.loc[keep, ["NUTS_ID", "LEVL_CODE", "CNTR_CODE", "NAME_LATN", "NUTS_NAME", "MOUNT_TYPE",
                          "URBN_TYPE", "COAST_TYPE", "scale", "geometry"]]
    tidy = tidy.rename(columns={
        "NUTS_ID": "nuts_id", "LEVL_CODE": "level", "CNTR_CODE": "country", "NAME_LATN": "name",
        "NUTS_NAME": "name_native", "MOUNT_TYPE": "mount_type", "URBN_TYPE": "urban_type",
        "COAST_TYPE": "coast_type",
    })
    tidy = tidy.astype({"level": "int8", "mount_type": "int8", "urban_type": "int8", "coast_type": "int8"})
    tidy["geometry"] = tidy.geometry.intersection(shapely.box(*EUROPE_BOX))
    return tidy


def programme_area_flags(nuts_ids: pd.Series, programme_areas: pd.DataFrame) -> pd.DataFrame:
    """``in_area_<period>`` for NUTS 2 and 3 codes: a region is in when its NUTS 2 code is listed."""
    flags = {}
    for period in PERIODS:
        listed = set(programme_areas.loc[programme_areas["period"] == period, "nuts2"])
        if not listed:
            raise ValueError(f"programme areas list no NUTS 2 regions for {period}")
        flags[in_area_column(period)] = nuts_ids.str[:4].isin(listed)
    return pd.DataFrame(flags, index=nuts_ids.index)


def build_regions(raw: gpd.GeoDataFrame, programme_areas: pd.DataFrame) -> gpd.GeoDataFrame:
    """The display artifact: attributes, areas and programme-area flags for levels 0–3, 1:10M geometry.

    Areas come from the 1:3M geometry (closer to the true outline). For NUTS 0 and 1, which the programme
    area may cut, ``area_km2_in_area_<period>`` is the area of their NUTS 2 parts inside it; densities use it.
    """
    tidy = _tidy(raw)
    detailed = tidy[tidy["scale"] == "03M"].set_index("nuts_id")
    display = tidy[tidy["scale"] == "10M"].set_index("nuts_id")
    missing = detailed.index.symmetric_difference(display.index)
    if len(missing):
        raise ValueError(f"the two NUTS scales disagree on these regions: {', '.join(missing[:10])}")

    regions = display.drop(columns=["scale"]).copy()
    regions["area_km2"] = area_km2(detailed.geometry).reindex(regions.index).round(1)

    level2 = regions[regions["level"] == 2]
    level2_flags = programme_area_flags(level2.index.to_series(), programme_areas)
    for period in PERIODS:
        inside = level2_flags[in_area_column(period)]
        area_inside = level2["area_km2"].where(inside, 0.0)
        by_prefix = {length: area_inside.groupby(level2.index.str[:length]).sum() for length in (2, 3)}
        prefix_length = regions["level"].map({0: 2, 1: 3, 2: 4, 3: 4}).astype(int)
        in_area = np.zeros(len(regions), dtype=bool)
        area_in = np.zeros(len(regions))
        for length, sums in by_prefix.items():
            at_length = (prefix_length == length).to_numpy()
            prefixes = regions.index.str[:length][at_length]
            area_in[at_length] = sums.reindex(prefixes).fillna(0.0).to_numpy()
            in_area[at_length] = area_in[at_length] > 0
        lower = (prefix_length == 4).to_numpy()
        flags = programme_area_flags(regions.index.to_series()[lower], programme_areas)[in_area_column(period)]
        in_area[lower] = flags.to_numpy()
        area_in[lower] = np.where(flags.to_numpy(), regions["area_km2"].to_numpy()[lower], 0.0)
        regions[in_area_column(period)] = in_area
        regions[area_in_programme_column(period)] = np.round(area_in, 1)

    regions["geometry"] = round_coordinates(regions.geometry, DISPLAY_DECIMALS)
    regions = regions.reset_index().sort_values(["level", "nuts_id"], ignore_index=True)
    columns = [c for c in regions.columns if c != "geometry"] + ["geometry"]
    return gpd.GeoDataFrame(regions[columns], geometry="geometry", crs=DISPLAY_CRS)


def build_join_polygons(raw: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The join artifact: NUTS 3 at 1:3M, just the code, the country and the outline."""
    tidy = _tidy(raw)
    nuts3 = tidy[(tidy["scale"] == "03M") & (tidy["level"] == 3)]
    polygons = nuts3[["nuts_id", "country", "geometry"]].sort_values("nuts_id", ignore_index=True)
    polygons["geometry"] = round_coordinates(polygons.geometry, JOIN_DECIMALS)
    return gpd.GeoDataFrame(polygons, geometry="geometry", crs=DISPLAY_CRS)
