"""Fixtures of the dashboard unit tests (the app, the register and servers come from ``tests/conftest.py``)."""

from __future__ import annotations

import pytest
from small_atlas import small_atlas

from dashboard.data import AtlasData


@pytest.fixture
def small() -> AtlasData:
    """The hand-made atlas of ``small_atlas.py``: a few regions and organisations, every number known."""
    return small_atlas()
