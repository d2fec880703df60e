"""Points → NUTS 3 regions, and from the NUTS 3 code the levels above it and the programme-area flags.

A point is assigned to the NUTS 3 region that contains it, provided that region lies in the point's own
country. Otherwise (on a lake or the sea at 1:3M, or across a border that runs through a lake such as Lake
Geneva) it goes to the nearest region of its own country within ``max_distance_m``, measured in EPSG:3035, and
is flagged ``nearest``. A Swiss cluster is never assigned to a French region.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.nuts import PERIODS, in_area_column, programme_area_flags
from geodata.settings import DISPLAY_CRS, EQUAL_AREA_CRS, NEAREST_REGION_MAX_METRES

JOIN_COLUMNS = ("nuts0", "nuts1", "nuts2", "nuts3", "join_method", "join_distance_m")


@dataclass(frozen=True)
class UnjoinedPoint:
    row: int | None
    name: str
    country: str
    lat: float
    lon: float
    distance_m: float

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "a row"
        distance = "no region of that country" if np.isnan(self.distance_m) else f"{self.distance_m / 1000:.1f} km"
        return (f"{where} ({self.name!r}, {self.country}) at lat {self.lat:.5f}, lon {self.lon:.5f}: "
                f"nearest NUTS 3 region in {self.country} is {distance} away")


class JoinError(ValueError):
    """Some points lie farther than the allowed distance from every region of their own country."""

    def __init__(self, unjoined: list[UnjoinedPoint], max_distance_m: float):
        self.unjoined = unjoined
        lines = [f"{len(unjoined)} point(s) could not be assigned to a NUTS 3 region within "
                 f"{max_distance_m / 1000:g} km:"] + [f"  {point}" for point in unjoined]
        super().__init__("\n".join(lines))


def points_from_frame(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """A point layer in EPSG:4326 from ``lon``/``lat`` columns."""
    return gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=DISPLAY_CRS
    )


def _check_inputs(points: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame) -> None:
    for label, layer in (("points", points), ("NUTS 3 polygons", polygons)):
        if layer.crs is None:
            raise ValueError(f"{label} have no CRS; expected {DISPLAY_CRS}")
    if not points.crs.equals(polygons.crs):
        raise ValueError(f"CRS mismatch: points are {points.crs.to_string()}, polygons {polygons.crs.to_string()}")
    for column in ("country",):
        if column not in points or column not in polygons:
            raise ValueError(f"both layers need a {column!r} column")
    # points_from_xy turns a missing lat/lon into POINT (NaN NaN), which is neither missing nor empty.
    coordinates = shapely.get_coordinates(points.geometry.values)
    if points.geometry.isna().any() or points.geometry.is_empty.any() or not np.isfinite(coordinates).all():
        raise ValueError("every point needs coordinates before the join")


def assign_nuts3(
    points: gpd.GeoDataFrame,
    polygons: gpd.GeoDataFrame,
    *,
    max_distance_m: float = NEAREST_REGION_MAX_METRES,
) -> pd.DataFrame:
    """NUTS codes for each point, aligned with ``points.index``.

    Returns columns ``nuts0``–``nuts3``, ``join_method`` (``within``/``nearest``) and ``join_distance_m``
    (0 for ``within``). Raises :class:`JoinError` naming every point that cannot be placed.
    """
    _check_inputs(points, polygons)
    positions = pd.RangeIndex(len(points))
    left = gpd.GeoDataFrame({"country": points["country"].to_numpy()}, geometry=points.geometry.values,
                            index=positions, crs=points.crs)
    right = polygons[["nuts_id", "country", "geometry"]].rename(columns={"country": "region_country"})

    hits = left.sjoin(right, how="inner", predicate="intersects")
    hits = hits[hits["country"] == hits["region_country"]]
    # A point exactly on a shared border touches two regions; the lower code wins, so reruns agree.
    hits = hits.sort_values("nuts_id").groupby(level=0)["nuts_id"].first()

    nuts3 = pd.Series(pd.NA, index=positions, dtype="string")
    nuts3.loc[hits.index] = hits.to_numpy()
    method = pd.Series(np.where(nuts3.notna(), "within", ""), index=positions, dtype="string")
    distance = pd.Series(np.where(nuts3.notna(), 0.0, np.nan), index=positions)

    unplaced = nuts3.isna().to_numpy()
    if unplaced.any():
        projected_points = left[unplaced].to_crs(EQUAL_AREA_CRS)
        projected_regions = right.to_crs(EQUAL_AREA_CRS)
        for country, group in projected_points.groupby("country"):
            candidates = projected_regions[projected_regions["region_country"] == country]
            if candidates.empty:
                continue
            nearest = group.sjoin_nearest(candidates, how="inner", distance_col="distance_m")
            nearest = nearest.sort_values(["distance_m", "nuts_id"]).groupby(level=0).first()
            distance.loc[nearest.index] = nearest["distance_m"].to_numpy()
            close = nearest[nearest["distance_m"] <= max_distance_m]
            nuts3.loc[close.index] = close["nuts_id"].to_numpy()
            method.loc[close.index] = "nearest"

    failed = nuts3.isna().to_numpy()
    if failed.any():
        raise JoinError(_describe_failures(points, failed, distance), max_distance_m)

    codes = nuts3.astype(str)
    result = pd.DataFrame(
        {
            "nuts0": codes.str[:2], "nuts1": codes.str[:3], "nuts2": codes.str[:4], "nuts3": codes,
            "join_method": method.astype(str), "join_distance_m": distance.round(1),
        }
    )
    result.index = points.index
    return result


def _describe_failures(points: gpd.GeoDataFrame, failed: np.ndarray, distance: pd.Series) -> list[UnjoinedPoint]:
    rows = points["source_row"].to_numpy()[failed] if "source_row" in points else [None] * int(failed.sum())
    names = points["name"].astype(str).to_numpy()[failed] if "name" in points else [""] * int(failed.sum())
    return [
        UnjoinedPoint(
            row=None if row is None else int(row), name=name, country=str(country),
            lat=float(geometry.y), lon=float(geometry.x), distance_m=float(dist),
        )
        for row, name, country, geometry, dist in zip(
            rows, names, points["country"].to_numpy()[failed], points.geometry.values[failed],
            distance.to_numpy()[failed],
        )
    ]


def join_clusters(
    clusters: pd.DataFrame,
    polygons: gpd.GeoDataFrame,
    programme_areas: pd.DataFrame,
    *,
    max_distance_m: float = NEAREST_REGION_MAX_METRES,
) -> pd.DataFrame:
    """The input rows plus NUTS codes, join method and ``in_area_<period>`` for every programme period."""
    points = points_from_frame(clusters)
    codes = assign_nuts3(points, polygons, max_distance_m=max_distance_m)
    flags = programme_area_flags(codes["nuts3"], programme_areas)
    joined = pd.concat([clusters, codes, flags], axis=1)
    return joined[[*clusters.columns, *JOIN_COLUMNS, *(in_area_column(p) for p in PERIODS)]]
