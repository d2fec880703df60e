"""How fast is the spatial join? ``geodata.join.assign_nuts3`` on synthetic points, against a naive loop.

Run from the repository root::

    python -m bench.join_bench           # 1k, 10k, 100k and 1M points; naive baseline on 10k (about a minute)
    python -m bench.join_bench --quick   # 1k and 10k points; naive baseline on 2k (a few seconds, for CI)

The points are drawn uniformly (in lon/lat) from the bounding box of the NUTS 3 regions of the 2021–2027
programme area and kept when they fall inside it, with a seeded ``numpy`` generator, so every run joins the same
points. Each point gets the country of the region it was drawn in, so every point must join ``within``, and to
that very region: the benchmark checks both, and checks that the naive loop agrees, before printing any time.
The polygons are the committed 1:3M join artifact, all seven countries, exactly what the build joins against.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import resource
import shlex
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata import io, settings
from geodata.join import assign_nuts3
from geodata.nuts import in_area_column, programme_area_flags

PERIOD = "2021-2027"
DEFAULT_SEED = 20_110_901  # Alps4EU started in September 2011
FULL_SIZES = (1_000, 10_000, 100_000, 1_000_000)
QUICK_SIZES = (1_000, 10_000)
FULL_NAIVE_POINTS = 10_000
QUICK_NAIVE_POINTS = 2_000
#: Sizes up to this many points are timed as the best of ``REPEATS`` runs; larger ones once.
REPEAT_UP_TO = 100_000
REPEATS = 3


@dataclass(frozen=True)
class Settings:
    sizes: tuple[int, ...]
    naive_points: int
    seed: int = DEFAULT_SEED


QUICK = Settings(sizes=QUICK_SIZES, naive_points=QUICK_NAIVE_POINTS)
FULL = Settings(sizes=FULL_SIZES, naive_points=FULL_NAIVE_POINTS)


@dataclass(frozen=True)
class SamplingArea:
    """The in-area NUTS 3 polygons, their prepared union and their bounding box."""

    polygons: gpd.GeoDataFrame
    union: shapely.Geometry
    bounds: tuple[float, float, float, float]

    @classmethod
    def from_polygons(cls, polygons: gpd.GeoDataFrame, programme_areas: pd.DataFrame,
                      period: str = PERIOD) -> SamplingArea:
        inside = programme_area_flags(polygons["nuts_id"], programme_areas)[in_area_column(period)]
        area = polygons[inside.to_numpy()].reset_index(drop=True)
        union = shapely.union_all(area.geometry.to_numpy())
        shapely.prepare(union)
        shapely.prepare(area.geometry.to_numpy())
        west, south, east, north = (float(v) for v in area.total_bounds)
        return cls(polygons=area, union=union, bounds=(west, south, east, north))

    @property
    def acceptance(self) -> float:
        """The share of the bounding box (in lon/lat) the area covers: the expected share of kept draws."""
        west, south, east, north = self.bounds
        return self.union.area / ((east - west) * (north - south))


def sample_points(area: SamplingArea, n: int, seed: int) -> gpd.GeoDataFrame:
    """``n`` points uniform in the area, with ``country`` and ``expected_nuts3`` from the region drawn in."""
    rng = np.random.default_rng(seed)
    west, south, east, north = area.bounds
    xs, ys, have = [], [], 0
    while have < n:
        draws = math.ceil((n - have) / area.acceptance * 1.1) + 16
        x, y = rng.uniform(west, east, draws), rng.uniform(south, north, draws)
        keep = shapely.contains_xy(area.union, x, y)
        xs.append(x[keep])
        ys.append(y[keep])
        have += int(keep.sum())
    x, y = np.concatenate(xs)[:n], np.concatenate(ys)[:n]

    # Label each point with its region: one prepared polygon at a time, on the points in its bounding box.
    region = np.full(n, -1, dtype=np.int64)
    for position, polygon in enumerate(area.polygons.geometry.to_numpy()):
        minx, miny, maxx, maxy = polygon.bounds
        candidates = np.flatnonzero((region < 0) & (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy))
        hit = candidates[shapely.contains_xy(polygon, x[candidates], y[candidates])]
        region[hit] = position
    if (region < 0).any():
        # Inside the union but in no single region: only possible on a shared border, to the last bit.
        raise RuntimeError(f"{int((region < 0).sum())} sampled points fell between regions; try another seed")
    labels = area.polygons.iloc[region]
    return gpd.GeoDataFrame(
        {"country": labels["country"].to_numpy(), "expected_nuts3": labels["nuts_id"].to_numpy()},
        geometry=shapely.points(x, y), crs=settings.DISPLAY_CRS,
    )


def time_assign(points: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame, repeats: int) -> tuple[float, pd.DataFrame]:
    """Best wall-clock seconds of ``repeats`` runs of ``assign_nuts3``, and the result of the last run."""
    best, result = math.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        result = assign_nuts3(points, polygons)
        best = min(best, time.perf_counter() - start)
    return best, result


def naive_assign(points: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame) -> list[str | None]:
    """The straightforward way: for each point, every polygon of its country whose box holds it, ``contains``.

    Polygons are tried in code order and the first hit wins, which is the tie rule of ``assign_nuts3``.
    """
    ordered = polygons.sort_values("nuts_id")
    regions = list(zip(ordered["nuts_id"], ordered["country"], ordered.geometry.bounds.itertuples(index=False),
                       ordered.geometry))
    found: list[str | None] = []
    for point, country in zip(points.geometry, points["country"]):
        x, y = point.x, point.y
        match = None
        for nuts_id, region_country, (minx, miny, maxx, maxy), polygon in regions:
            if region_country == country and minx <= x <= maxx and miny <= y <= maxy and polygon.contains(point):
                match = nuts_id
                break
        found.append(match)
    return found


def time_naive(points: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame) -> tuple[float, list[str | None]]:
    start = time.perf_counter()
    found = naive_assign(points, polygons)
    return time.perf_counter() - start, found


def check_result(points: gpd.GeoDataFrame, result: pd.DataFrame) -> None:
    """Every point joins ``within`` the region it was drawn in."""
    not_within = int((result["join_method"] != "within").sum())
    wrong = int((result["nuts3"].to_numpy() != points["expected_nuts3"].to_numpy()).sum())
    if not_within or wrong:
        raise AssertionError(f"{not_within} of {len(points)} points did not join 'within' and {wrong} joined "
                             "another region than the one they were drawn in")


@dataclass(frozen=True)
class Timing:
    n: int
    runs: int
    seconds: float

    @property
    def points_per_second(self) -> float:
        return self.n / self.seconds


@dataclass(frozen=True)
class Report:
    timings: list[Timing]
    naive_points: int
    naive_seconds: float
    assign_seconds_at_naive_size: float
    peak_rss_mb: float

    @property
    def naive_points_per_second(self) -> float:
        return self.naive_points / self.naive_seconds

    @property
    def speed_up(self) -> float:
        return self.naive_seconds / self.assign_seconds_at_naive_size


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run(config: Settings, polygons: gpd.GeoDataFrame, programme_areas: pd.DataFrame,
        echo: Callable[[str], None] = print) -> Report:
    """The benchmark proper: sample, check, time each size, then the naive baseline."""
    area = SamplingArea.from_polygons(polygons, programme_areas)
    largest = max(max(config.sizes), config.naive_points)
    start = time.perf_counter()
    points = sample_points(area, largest, config.seed)
    echo(f"sampled {largest:,} points in {time.perf_counter() - start:.2f} s from {len(area.polygons)} NUTS 3 "
         f"regions of the {PERIOD} programme area (acceptance {area.acceptance:.0%}, seed {config.seed})")

    timings = []
    for n in sorted(config.sizes):
        subset = points.iloc[:n]
        runs = REPEATS if n <= REPEAT_UP_TO else 1
        seconds, result = time_assign(subset, polygons, runs)
        check_result(subset, result)
        timings.append(Timing(n=n, runs=runs, seconds=seconds))
    rss = peak_rss_mb()

    naive_subset = points.iloc[: config.naive_points]
    naive_seconds, naive_found = time_naive(naive_subset, polygons)
    if naive_found != naive_subset["expected_nuts3"].tolist():
        raise AssertionError("the naive loop disagrees with the regions the points were drawn in")
    at_naive_size = next((t.seconds for t in timings if t.n == config.naive_points), None)
    if at_naive_size is None:
        at_naive_size, _ = time_assign(naive_subset, polygons, REPEATS)
    return Report(timings=timings, naive_points=config.naive_points, naive_seconds=naive_seconds,
                  assign_seconds_at_naive_size=at_naive_size, peak_rss_mb=rss)


def format_table(timings: Sequence[Timing]) -> str:
    lines = [f"{'N':>11}  {'runs':>6}  {'seconds':>8}  {'points/s':>11}  {'growth':>7}"]
    previous = None
    for timing in timings:
        growth = "–" if previous is None else f"{timing.seconds / previous.seconds:.2f}×"
        runs = f"best/{timing.runs}" if timing.runs > 1 else "1"
        lines.append(f"{timing.n:>11,}  {runs:>6}  {timing.seconds:>8.3f}  {timing.points_per_second:>11,.0f}  "
                     f"{growth:>7}")
        previous = timing
    return "\n".join(lines)


def machine_description() -> str:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"{cpus} CPUs available (nproc), {platform.machine()} {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; geopandas {gpd.__version__}, shapely {shapely.__version__} "
            f"(GEOS {shapely.geos_version_string}), pandas {pd.__version__}, numpy {np.__version__}")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.join_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"only {', '.join(f'{n:,}' for n in QUICK_SIZES)} points; naive baseline on "
                             f"{QUICK_NAIVE_POINTS:,}")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the point generator")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = make_parser().parse_args(argv)
    base = QUICK if args.quick else FULL
    config = Settings(sizes=base.sizes, naive_points=base.naive_points, seed=args.seed)

    print("Spatial join benchmark: geodata.join.assign_nuts3")
    print(f"command: {shlex.join([sys.executable, '-m', 'bench.join_bench', *argv])}")
    print(f"machine: {machine_description()}")
    polygons = io.read_geoparquet(settings.JOIN_POLYGONS_PARQUET)
    programme_areas = io.read_programme_areas()
    print(f"polygons: {len(polygons)} NUTS 3 regions at 1:3M ({settings.JOIN_POLYGONS_PARQUET.name}), "
          f"{int(shapely.get_num_coordinates(polygons.geometry.to_numpy()).sum()):,} vertices")

    report = run(config, polygons, programme_areas)
    print("every point joined 'within' the region it was drawn in")
    print()
    print(format_table(report.timings))
    print()
    print(f"naive per-point loop (bounding box, then shapely contains), {report.naive_points:,} points: "
          f"{report.naive_seconds:.2f} s, {report.naive_points_per_second:,.0f} points/s")
    print(f"assign_nuts3 speed-up over the naive loop at {report.naive_points:,} points: {report.speed_up:.1f}×")
    print(f"peak RSS after the {max(config.sizes):,}-point run: {report.peak_rss_mb:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
