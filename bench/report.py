"""One line of the benchmark table, and the table itself."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class Measure:
    """What one row measured: the atlas's value, the baseline's (same run), their ratio and the target."""

    row: str
    measure: str
    ours: float | None
    baseline: float | None
    unit: str
    target: str = ""
    met: bool | None = None
    note: str = ""
    #: ``ours / baseline`` unless a row sets its own (a speed-up, for example).
    ratio: float | None = None

    def __post_init__(self) -> None:
        if self.ratio is None and self.ours is not None and self.baseline:
            self.ratio = self.ours / self.baseline


def error_measure(row: str, error: BaseException) -> Measure:
    message = str(error).split("Stacktrace:")[0].strip()  # Selenium appends the driver's native stack
    text = f"{type(error).__name__}: {message}".replace("\n", " ").replace("|", "/")
    return Measure(row, "ERROR", None, None, "", note=text[:300])


def format_value(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "B":
        if value >= 1024 * 1024:
            return f"{value / 1024 / 1024:.2f} MiB"
        if value >= 1024:
            return f"{value / 1024:.1f} KiB"
        return f"{value:.0f} B"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    if unit in ("pts/s", "req/s"):
        if value >= 1e6:
            return f"{value / 1e6:.2f} M {unit}"
        if value >= 1e3:
            return f"{value / 1e3:.1f} k {unit}"
        return f"{value:.1f} {unit}"
    if unit == "":
        return f"{value:g}"
    return f"{value:g} {unit}"


def format_ratio(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "–"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.3f}" if value < 1 else f"{value:.2f}"


def render_table(measures: list[Measure]) -> str:
    header = ("row", "measure", "atlas", "baseline", "ratio", "target", "met", "note")
    rows = []
    for m in measures:
        met = "" if m.met is None else ("yes" if m.met else "NO")
        rows.append((m.row, m.measure, format_value(m.ours, m.unit), format_value(m.baseline, m.unit),
                     format_ratio(m.ratio), m.target, met, m.note))
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) if rows else len(header[i])
              for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths)) + " |"

    lines = [line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines.extend(line(r) for r in rows)
    return "\n".join(lines)
