"""Static exports, bounded: which exports exist, their cache key (the normalised view) and the render cache.

A render costs a second of Chromium; the same view always gives the same bytes, so a render is stored in the
shared cache under a hash of (export, format, normalised view, data and code version) and served from there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import plotly.graph_objects as go

from dashboard import partner_views, render, slides, views
from dashboard.cache import cache, cache_key
from dashboard.data import AtlasData
from dashboard.state import ViewState

CHARTS = ("map", "top-regions", "country-mix", "comparison", "portfolio")
MAX_AGE_SECONDS = 3600
RETRY_AFTER_SECONDS = 5
#: Sources whose change changes an export's bytes: their content is part of every export key.
SOURCES = ("figures.py", "slides.py", "views.py", "presenting.py", "render.py", "cooperation.py", "partner_views.py")


@lru_cache(maxsize=4)
def version(atlas: AtlasData) -> str:
    """A digest of the data and of the code that draws exports, so a deploy never serves stale renders."""
    digest = hashlib.sha256(atlas.version.encode())
    here = Path(__file__).resolve().parent
    for name in SOURCES:
        digest.update((here / name).read_bytes())
    for path in sorted((here / "locales").glob("*.json")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def canonical_name(name: str) -> str:
    """``name`` as the atlas writes it, a region's NUTS code in upper case: ``region-at31`` is ``region-AT31``,
    with that file name and that one render-cache entry."""
    if name.startswith("region-"):
        return "region-" + name.removeprefix("region-").upper()
    return name


#: Draws an export of a view from the data it is given.
FigureBuilder = Callable[[AtlasData, ViewState], go.Figure | None]


def export_spec(atlas: AtlasData, name: str, fmt: str) -> tuple[FigureBuilder, tuple[int, int]] | None:
    """How to draw ``name.fmt`` and its size in pixels, or None when the atlas has no such export."""
    if name.startswith("region-") and fmt == "pdf":
        code = name.removeprefix("region-").upper()
        if code not in set(atlas.region_table["nuts_id"]):
            return None
        return ((lambda atlas_, state: views.region_profile_figure(atlas_, code, state)),
                (slides.PROFILE_WIDTH, slides.PROFILE_HEIGHT))
    if name == "cooperation-map" and fmt in ("png", "svg"):
        return partner_views.cooperation_slide, (slides.SLIDE_WIDTH, slides.SLIDE_HEIGHT)
    if name in CHARTS and fmt in ("png", "svg"):
        return (lambda atlas_, state: views.export_figure(atlas_, name, state)), (slides.SLIDE_WIDTH,
                                                                                   slides.SLIDE_HEIGHT)
    return None


def export_title(atlas: AtlasData, name: str, state: ViewState) -> str:
    """The title a PDF carries in its metadata: the region profile's, naming region, sectors and period."""
    if name.startswith("region-"):
        return views.region_profile_title(atlas, name.removeprefix("region-").upper(), state)
    return ""


def export_key(atlas: AtlasData, name: str, fmt: str, state: ViewState) -> str:
    return cache_key("export", version(atlas), name, fmt, state.to_query())


def cached_render(key: str) -> bytes | None:
    return cache.get_bytes(key)


def render_and_store(key: str, name: str, fmt: str, state: ViewState) -> bytes:
    content = render.render_export(name, fmt, state.to_query())
    cache.set_bytes(key, content)
    return content
