"""Row 8 of the benchmark still runs on the committed register (its numbers are printed, not checked here)."""

from __future__ import annotations

from bench import meta_row


def test_bch020_partners_and_peers_row_reports_five_measures() -> None:
    rows = meta_row.measures(quick=True)
    assert [row.row for row in rows] == [meta_row.ROW] * 5
    assert all(row.ours is not None and row.ours > 0 for row in rows)
    assert rows[0].baseline and rows[1].baseline and rows[3].baseline and rows[4].baseline
    assert "suggestions" in rows[0].note and "peers" in rows[1].note
