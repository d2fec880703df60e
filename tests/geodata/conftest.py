"""Shared fixtures for the data-layer tests: the committed artifacts and sources, read once per session.

Paths are taken from the repository itself (never from ``ATLAS_*`` environment variables), so the tests read
exactly what is committed and nothing outside the repository. The frames are shared: tests must not mutate
them (copy first).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geodata import io

REPO = Path(__file__).resolve().parents[2]
GEODATA = REPO / "geodata"
ARTIFACTS = GEODATA / "artifacts"
REGIONS_PARQUET = ARTIFACTS / "nuts_regions.parquet"
JOIN_POLYGONS_PARQUET = ARTIFACTS / "nuts3_join.parquet"
CLUSTERS_JOINED_CSV = ARTIFACTS / "clusters_joined.csv"
PARTNERS_JOINED_CSV = ARTIFACTS / "partners_joined.csv"
CLUSTERS_CSV = GEODATA / "clusters.csv"
PARTNERS_CSV = GEODATA / "partners.csv"
PROGRAMME_AREAS_CSV = GEODATA / "programme_areas.csv"


@pytest.fixture(scope="session")
def join_polygons() -> gpd.GeoDataFrame:
    return io.read_geoparquet(JOIN_POLYGONS_PARQUET)


@pytest.fixture(scope="session")
def regions() -> gpd.GeoDataFrame:
    return io.read_geoparquet(REGIONS_PARQUET)


@pytest.fixture(scope="session")
def programme_areas() -> pd.DataFrame:
    return io.read_programme_areas(PROGRAMME_AREAS_CSV)


@pytest.fixture(scope="session")
def joined_clusters() -> pd.DataFrame:
    return io.read_joined_csv(CLUSTERS_JOINED_CSV)
