"""The README's register statistics are the output of ``python -m geodata stats``, so they cannot drift."""

from __future__ import annotations

from pathlib import Path

from geodata import io, stats
from geodata.build import COMMITTED

README = Path(__file__).resolve().parents[2] / "README.md"
START = "<!-- python -m geodata stats -->\n"
END = "<!-- end of python -m geodata stats -->"


def test_sta001_readme_quotes_the_current_statistics():
    text = README.read_text(encoding="utf-8")
    quoted = text[text.index(START) + len(START): text.index(END)]
    expected = stats.register_summary(io.read_joined_csv(COMMITTED.clusters_joined), io.read_unplaced())
    assert quoted == expected, "README is stale: paste the output of `python -m geodata stats`"


def test_sta002_summary_counts_every_placed_and_unplaced_organisation():
    joined = io.read_joined_csv(COMMITTED.clusters_joined)
    unplaced = io.read_unplaced()
    summary = stats.register_summary(joined, unplaced)
    assert summary.startswith(f"{len(joined)} organisations placed")
    assert f"Known but unplaced ({len(unplaced)}:" in summary
    assert "| **All sectors** | 54 | 51 | 77 | 66 | 64 | 2 | 15 | 329 |" in summary
