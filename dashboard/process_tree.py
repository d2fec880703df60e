"""The processes below a process, from Linux's ``/proc``: the render worker finds the browser Kaleido started,
and the benchmark and tests measure a server's whole tree. Imports nothing of the app's (no configuration)."""

from __future__ import annotations

from pathlib import Path


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (its children, theirs, …), read from ``/proc``."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
        for child in children:
            found.extend([child, *descendants(child)])
    return found
