"""``python -m bench [--quick]`` (``make bench``): every benchmark row against its baseline, as one table.

Rows (see docs/PERFORMANCE.md for what each measures and why):

1. filter change: the map callback's request, ``Patch`` against a naive full ``plotly.express`` rebuild
2. cold start: process start to the first ``GET /`` and ``GET /_dash-layout``, against hello-world Dash
3. spatial join: ``assign_nuts3`` points/s for 1k…1M points, against a per-point loop
4. under load: gunicorn (2 workers, Redis) against the dev server, ``wrk`` with 20 connections
5. in the browser: filter click until the map repainted, against the naive app
6. page weight: bytes of the first page load, compressed against ``ATLAS_COMPRESS=0``
7. trust: 5xx under fuzz, ``GET /`` p95 while exports loop, throughput while Redis hangs, cache size
8. partners & peers: suggestions for every organisation and peers for every region, against one at a time
9. QR room: 150 complete page loads within 60 s (gunicorn 2 workers + Redis), against the naive page
plus the resident memory of one gunicorn worker against a hello-world Dash worker.

Each row runs on its own: one that fails prints its error in the table and the others still run. Progress
goes to stderr; the table to stdout. Every server is started on 127.0.0.1 and stopped by the row itself.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
from collections.abc import Callable

from bench.common import machine_lines, unthrottle
from bench.report import Measure, error_measure, render_table

ROWS: dict[str, str] = {
    "1": "1 filter change",
    "2": "2 cold start",
    "3": "3 spatial join",
    "4": "4 under load",
    "5": "5 in the browser",
    "6": "6 page weight",
    "7": "7 trust",
    "8": "8 partners & peers",
    "9": "9 QR room",
    "memory": "memory",
}


def row_functions(quick: bool) -> dict[str, Callable[[], list[Measure]]]:
    def filter_change() -> list[Measure]:
        from bench import filter_change as row
        return row.measures(quick=quick)

    def cold_start() -> list[Measure]:
        from bench import cold_start as row
        return row.measures(quick=quick)

    def spatial_join() -> list[Measure]:
        from bench import join_rows as row
        return row.measures(quick=quick)

    def under_load() -> list[Measure]:
        from bench import load as row
        return row.load_measures(seconds=5 if quick else 30)

    def browser_clicks() -> list[Measure]:
        from bench import browser as row
        return row.click_measures(quick=quick)

    def page_weight() -> list[Measure]:
        from bench import browser as row
        return row.weight_measures()

    def trust() -> list[Measure]:
        from bench import trust as row
        return row.measures(quick=quick)

    def partners_and_peers() -> list[Measure]:
        from bench import meta_row as row
        return row.measures(quick=quick)

    def qr_room() -> list[Measure]:
        from bench import qr_room as row
        return row.measures(quick=quick)

    def memory() -> list[Measure]:
        from bench import load as row
        return row.memory_measures()

    return {"1": filter_change, "2": cold_start, "3": spatial_join, "4": under_load, "5": browser_clicks,
            "6": page_weight, "7": trust, "8": partners_and_peers, "9": qr_room,
            "memory": memory}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="shorter runs: one pass of row 1, 5 browser clicks with a 20-s budget, 5-s load "
                             "tests, the join up to 100k points, 30 page loads in 12 s for the QR room")
    parser.add_argument("--rows", default=",".join(ROWS),
                        help=f"comma-separated rows to run (default: all of {', '.join(ROWS)})")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    chosen = [name.strip() for name in args.rows.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in ROWS]
    if unknown:
        print(f"unknown rows: {', '.join(unknown)} (known: {', '.join(ROWS)})", file=sys.stderr)
        return 2

    unthrottle()
    started = time.perf_counter()
    print("Alpine Cluster Atlas benchmark: each row against a baseline run in the same process and run")
    print(f"command: {shlex.join(['python', '-m', 'bench', *argv])}  ({sys.executable})")
    for line in machine_lines():
        print(line)
    sys.stdout.flush()

    functions = row_functions(args.quick)
    measures: list[Measure] = []
    for name in chosen:
        row_started = time.perf_counter()
        print(f"[bench] row {ROWS[name]} …", file=sys.stderr, flush=True)
        try:
            measures.extend(functions[name]())
        except Exception as error:  # noqa: BLE001 - one row's failure must not hide the others
            measures.append(error_measure(ROWS[name], error))
        print(f"[bench] row {ROWS[name]} done in {time.perf_counter() - row_started:.1f} s", file=sys.stderr,
              flush=True)

    print()
    print(render_table(measures))
    print()
    print("ratio = atlas / baseline (for points/s and requests/s, above 1 is better; for times and bytes, below 1)")
    print(f"total time: {time.perf_counter() - started:.0f} s")
    return 1 if any(m.measure == "ERROR" for m in measures) else 0


if __name__ == "__main__":
    sys.exit(main())
