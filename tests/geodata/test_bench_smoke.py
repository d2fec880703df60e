"""The join benchmark still runs: its core on 1,000 points with the quick settings (the numbers are not checked)."""

from __future__ import annotations

import pytest

from bench import join_bench


@pytest.fixture(scope="module")
def area(join_polygons, programme_areas) -> join_bench.SamplingArea:
    return join_bench.SamplingArea.from_polygons(join_polygons, programme_areas)


def test_bch001_sampled_points_are_reproducible_and_inside_the_area(area) -> None:
    first = join_bench.sample_points(area, 1_000, seed=7)
    again = join_bench.sample_points(area, 1_000, seed=7)
    other = join_bench.sample_points(area, 1_000, seed=8)
    assert len(first) == 1_000
    assert first.geometry.equals(again.geometry)
    assert not first.geometry.equals(other.geometry)
    assert first["expected_nuts3"].isin(area.polygons["nuts_id"]).all()
    assert (first["expected_nuts3"].str[:2] == first["country"]).all()
    assert 0.3 < area.acceptance < 0.8


def test_bch002_every_point_joins_within_its_region_and_the_naive_loop_agrees(area, join_polygons) -> None:
    points = join_bench.sample_points(area, 1_000, seed=join_bench.DEFAULT_SEED)
    seconds, result = join_bench.time_assign(points, join_polygons, repeats=1)
    assert seconds > 0
    assert (result["join_method"] == "within").all()
    join_bench.check_result(points, result)
    naive = join_bench.naive_assign(points.iloc[:200], join_polygons)
    assert naive == result["nuts3"].iloc[:200].tolist()


def test_bch003_quick_run_reports_every_size(join_polygons, programme_areas) -> None:
    config = join_bench.Settings(sizes=(1_000,), naive_points=200)
    lines: list[str] = []
    report = join_bench.run(config, join_polygons, programme_areas, echo=lines.append)
    assert [timing.n for timing in report.timings] == [1_000]
    assert report.naive_points == 200 and report.speed_up > 0
    assert lines and lines[0].startswith("sampled 1,000 points")
    table = join_bench.format_table(report.timings).splitlines()
    assert table[0].split() == ["N", "runs", "seconds", "points/s", "growth"]
    assert table[1].split()[0] == "1,000"


def test_bch004_quick_settings() -> None:
    assert join_bench.QUICK.sizes == (1_000, 10_000)
    assert join_bench.QUICK.naive_points == 2_000
    assert join_bench.FULL.sizes == (1_000, 10_000, 100_000, 1_000_000)
