"""The build pipeline behind ``python -m geodata build``: sources in, committed artifacts out.

Every artifact is a pure function of the pinned NUTS package and the CSV sources in this package, so
``build --check`` can rebuild into a scratch folder and compare.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geodata import io, join, nuts, settings, validate
from geodata.geocode import fill_coordinates


@dataclass(frozen=True)
class ArtifactPaths:
    regions: Path
    join_polygons: Path
    clusters_joined: Path
    partners_joined: Path

    @classmethod
    def in_folder(cls, folder: Path) -> ArtifactPaths:
        return cls(
            regions=folder / settings.REGIONS_PARQUET.name,
            join_polygons=folder / settings.JOIN_POLYGONS_PARQUET.name,
            clusters_joined=folder / settings.CLUSTERS_JOINED_CSV.name,
            partners_joined=folder / settings.PARTNERS_JOINED_CSV.name,
        )


COMMITTED = ArtifactPaths(
    regions=settings.REGIONS_PARQUET,
    join_polygons=settings.JOIN_POLYGONS_PARQUET,
    clusters_joined=settings.CLUSTERS_JOINED_CSV,
    partners_joined=settings.PARTNERS_JOINED_CSV,
)


def place_and_join(frame: pd.DataFrame, polygons: gpd.GeoDataFrame, programme_areas: pd.DataFrame,
                   *, source_name: str) -> pd.DataFrame:
    """Geocode rows without coordinates, then join them; a row that cannot be placed is an error."""
    placed = fill_coordinates(frame)
    unplaced = placed[placed["lat"].isna() | placed["lon"].isna()]
    if len(unplaced):
        problems = [
            validate.Problem(file=source_name, row=int(row.get("source_row", 0)) or None, column="city",
                             value=str(row["city"]), reason=f"no place of that name is known in {row['country']}")
            for _, row in unplaced.iterrows()
        ]
        raise validate.ValidationError(problems)
    return join.join_clusters(placed, polygons, programme_areas)


def build_clusters(polygons: gpd.GeoDataFrame, programme_areas: pd.DataFrame,
                   path: Path = settings.CLUSTERS_CSV) -> pd.DataFrame:
    clusters = validate.load_cluster_file(path)
    return place_and_join(clusters, polygons, programme_areas, source_name=path.name)


def build_partners(polygons: gpd.GeoDataFrame, programme_areas: pd.DataFrame,
                   path: Path = settings.PARTNERS_CSV) -> pd.DataFrame:
    partners = io.read_partners(path)
    partners["source_row"] = range(2, len(partners) + 2)
    return place_and_join(partners, polygons, programme_areas, source_name=path.name)


def build_all(target: ArtifactPaths, *, tarball: Path | None = None) -> None:
    raw = io.read_nuts_package(tarball or io.fetch_nuts_package())
    programme_areas = io.read_programme_areas()
    regions = nuts.build_regions(raw, programme_areas)
    polygons = nuts.build_join_polygons(raw)
    io.write_geoparquet(regions, target.regions)
    io.write_geoparquet(polygons, target.join_polygons)
    io.write_csv(build_clusters(polygons, programme_areas).drop(columns=["source_row"]), target.clusters_joined)
    io.write_csv(build_partners(polygons, programme_areas).drop(columns=["source_row"]), target.partners_joined)


def compare_artifacts(built: ArtifactPaths, committed: ArtifactPaths) -> list[str]:
    """Names of the committed artifacts whose content differs from a fresh build."""
    differences = []
    for name in ("regions", "join_polygons"):
        fresh, kept = getattr(built, name), getattr(committed, name)
        if not kept.exists():
            differences.append(f"{kept} is missing")
            continue
        fresh_frame, kept_frame = gpd.read_parquet(fresh), gpd.read_parquet(kept)
        same = (
            fresh_frame.drop(columns="geometry").equals(kept_frame.drop(columns="geometry"))
            and fresh_frame.crs == kept_frame.crs
            and list(fresh_frame.geometry.to_wkb()) == list(kept_frame.geometry.to_wkb())
        )
        if not same:
            differences.append(f"{kept} differs from a fresh build")
    for name in ("clusters_joined", "partners_joined"):
        fresh, kept = getattr(built, name), getattr(committed, name)
        if not kept.exists() or fresh.read_bytes() != kept.read_bytes():
            differences.append(f"{kept} differs from a fresh build")
    return differences


def check_artifacts(*, tarball: Path | None = None) -> list[str]:
    with tempfile.TemporaryDirectory() as scratch:
        built = ArtifactPaths.in_folder(Path(scratch))
        build_all(built, tarball=tarball)
        return compare_artifacts(built, COMMITTED)
