"""Which NUTS 3 regions touch: computed from the 1:3M polygons, never typed in.

GISCO's 1:3M regions share border vertices, but a border drawn along a river or a lake can leave hairline gaps
after rounding, so two regions count as touching when they come within :data:`TOUCH_TOLERANCE_M` metres of each
other, measured in the equal-area projection (EPSG:3035). One vectorised STRtree query answers every pair
(about 0.5 s for the 678 regions of the seven countries, so it is computed once per process at first use).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.settings import EQUAL_AREA_CRS

#: Far below the 1:3M source accuracy (about 1.5 km), far above the rounding of shared vertices (about 1 m).
TOUCH_TOLERANCE_M = 100.0


def touching_regions(polygons: gpd.GeoDataFrame, *, tolerance_m: float = TOUCH_TOLERANCE_M) -> pd.DataFrame:
    """Every unordered pair of touching regions, once: ``nuts_a < nuts_b``, their countries, ``cross_border``.

    ``polygons`` needs ``nuts_id``, ``country`` and a geometry with a CRS.
    """
    if polygons.crs is None:
        raise ValueError("polygons have no CRS; cannot measure the touching tolerance in metres")
    projected = polygons.to_crs(EQUAL_AREA_CRS)
    geometries = projected.geometry.values
    tree = shapely.STRtree(geometries)
    left, right = tree.query(geometries, predicate="dwithin", distance=tolerance_m)
    codes = projected["nuts_id"].to_numpy()
    countries = projected["country"].to_numpy()
    keep = codes[left] < codes[right]
    left, right = left[keep], right[keep]
    pairs = pd.DataFrame({"nuts_a": codes[left], "nuts_b": codes[right],
                          "country_a": countries[left], "country_b": countries[right]})
    pairs["cross_border"] = pairs["country_a"] != pairs["country_b"]
    return pairs.sort_values(["nuts_a", "nuts_b"], ignore_index=True)


def touching_matrix(pairs: pd.DataFrame, codes: np.ndarray) -> np.ndarray:
    """``len(codes)`` × ``len(codes)`` booleans: whether the regions at row and column touch (symmetric)."""
    position = pd.Index(pd.unique(codes))
    matrix = np.zeros((len(position), len(position)), dtype=bool)
    a = position.get_indexer(pairs["nuts_a"])
    b = position.get_indexer(pairs["nuts_b"])
    known = (a >= 0) & (b >= 0)
    matrix[a[known], b[known]] = True
    matrix[b[known], a[known]] = True
    index = position.get_indexer(codes)
    return matrix[np.ix_(index, index)]
