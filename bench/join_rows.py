"""Row 3: the spatial join's throughput by size, through the colleague's ``bench.join_bench``.

``geodata.join.assign_nuts3`` on seeded synthetic points inside the programme area (each checked to join
``within`` the region it was drawn in), against ``join_bench.naive_assign``, the per-point Python loop
(bounding box, then ``shapely`` ``contains``), on 10,000 points.
"""

from __future__ import annotations

from bench import join_bench
from bench.report import Measure
from geodata import io, settings

ROW = "3 spatial join"
FULL_SIZES = (1_000, 10_000, 100_000, 1_000_000)
QUICK_SIZES = (1_000, 10_000, 100_000)
NAIVE_POINTS = 10_000


def measures(*, quick: bool = False) -> list[Measure]:
    sizes = QUICK_SIZES if quick else FULL_SIZES
    polygons = io.read_geoparquet(settings.JOIN_POLYGONS_PARQUET)
    programme_areas = io.read_programme_areas()
    report = join_bench.run(join_bench.Settings(sizes=sizes, naive_points=NAIVE_POINTS), polygons,
                            programme_areas, echo=lambda _line: None)
    naive = report.naive_points_per_second
    rows = []
    previous = None
    for timing in report.timings:
        if previous is None:
            note = (f"baseline: per-point loop, {NAIVE_POINTS:,} points in {report.naive_seconds:.2f} s; "
                    f"peak RSS {report.peak_rss_mb:,.0f} MB")
        else:
            growth = timing.seconds / previous.seconds
            note = f"time ×{growth:.2f} for ×{timing.n / previous.n:g} points"
        runs = f"best of {timing.runs}" if timing.runs > 1 else "1 run"
        rows.append(Measure(ROW, f"assign_nuts3, {timing.n:,} points ({runs})", timing.points_per_second, naive,
                            "pts/s", note=note))
        previous = timing
    return rows
