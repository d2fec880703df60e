"""Benchmarks, each run as a module from the repository root (e.g. ``python -m bench.join_bench``)."""
