"""Command line: ``python -m geodata {build,validate,join,stats}``.

Exit codes: 0 success, 1 the data has problems (each printed on its own line), 2 bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geodata import build, io, stats, validate
from geodata.join import JoinError


def _build(args: argparse.Namespace) -> int:
    tarball = Path(args.package) if args.package else None
    if args.check:
        differences = build.check_artifacts(tarball=tarball)
        for line in differences:
            print(line, file=sys.stderr)
        if differences:
            print("artifacts are stale: run `python -m geodata build` and commit the result", file=sys.stderr)
            return 1
        print("artifacts match a fresh build")
        return 0
    build.build_all(build.COMMITTED, tarball=tarball)
    for path in vars(build.COMMITTED).values():
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


def _validate(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        frame = validate.load_cluster_file(path, check_places=not args.no_places)
    except validate.ValidationError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{path.name}: {len(frame)} rows, no problems")
    return 0


def _join(args: argparse.Namespace) -> int:
    source = Path(args.input)
    try:
        clusters = validate.load_cluster_file(source)
        polygons = io.read_geoparquet(build.COMMITTED.join_polygons)
        joined = build.place_and_join(clusters, polygons, io.read_programme_areas(), source_name=source.name)
    except (validate.ValidationError, JoinError) as error:
        print(error, file=sys.stderr)
        return 1
    io.write_csv(joined.drop(columns=["source_row"]), Path(args.output))
    counts = joined["join_method"].value_counts()
    print(f"wrote {args.output}: {len(joined)} rows ({counts.get('within', 0)} within a region, "
          f"{counts.get('nearest', 0)} assigned to the nearest region of their country)")
    return 0


def _stats(_args: argparse.Namespace) -> int:
    joined = io.read_joined_csv(build.COMMITTED.clusters_joined)
    print(stats.register_summary(joined, io.read_unplaced()), end="")
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geodata", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    build_parser = commands.add_parser("build", help="rebuild the committed artifacts from the sources")
    build_parser.add_argument("--check", action="store_true", help="rebuild into a scratch folder and compare")
    build_parser.add_argument("--package", help="a local copy of the NUTS package tarball (skips npm)")
    build_parser.set_defaults(handler=_build)

    validate_parser = commands.add_parser("validate", help="check a cluster file against the schema")
    validate_parser.add_argument("file")
    validate_parser.add_argument("--no-places", action="store_true", help="skip the gazetteer look-up of cities")
    validate_parser.set_defaults(handler=_validate)

    join_parser = commands.add_parser("join", help="place a cluster file and join it to NUTS regions")
    join_parser.add_argument("input")
    join_parser.add_argument("-o", "--output", required=True)
    join_parser.set_defaults(handler=_join)
    stats_parser = commands.add_parser("stats", help="print the register's counts as Markdown (README)")
    stats_parser.set_defaults(handler=_stats)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return args.handler(args)
    except io.DataSourceError as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
