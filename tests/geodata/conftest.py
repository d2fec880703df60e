"""Shared fixtures for the data-layer tests: the committed artifacts and sources, read once per session.

Paths come from the repository itself (never from the ``ATLAS_*`` environment variables), so the tests read
exactly what is committed and nothing outside the repository. The frames are shared between tests: a test
that needs to change one works on a copy.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from geodata import io
from geodata.build import ArtifactPaths

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    """The hand-maintained CSV sources (``clusters.csv``, ``partners.csv``, ``programme_areas.csv``, …)."""
    return REPO / "geodata"


@pytest.fixture(scope="session")
def committed() -> ArtifactPaths:
    return ArtifactPaths.in_folder(REPO / "geodata" / "artifacts")


@pytest.fixture(scope="session")
def join_polygons(committed: ArtifactPaths) -> gpd.GeoDataFrame:
    return io.read_geoparquet(committed.join_polygons)


@pytest.fixture(scope="session")
def regions(committed: ArtifactPaths) -> gpd.GeoDataFrame:
    return io.read_geoparquet(committed.regions)


@pytest.fixture(scope="session")
def programme_areas(sources_dir: Path) -> pd.DataFrame:
    return io.read_programme_areas(sources_dir / "programme_areas.csv")


@pytest.fixture(scope="session")
def joined_clusters(committed: ArtifactPaths) -> pd.DataFrame:
    return io.read_joined_csv(committed.clusters_joined)

