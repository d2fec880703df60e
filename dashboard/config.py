"""Runtime configuration from environment variables, each with a working default (12-factor)."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        return int(raw) if raw else default
    except ValueError as error:
        raise ValueError(f"environment variable {name} must be a whole number, not {raw!r}") from error


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"environment variable {name} must be true or false, not {raw!r}")


@dataclass(frozen=True)
class Config:
    host: str
    port: int
    debug: bool
    redis_url: str
    cache_timeout: int
    compress: bool
    basemap_url: str
    basemap_attribution: str
    public_url: str
    frame_ancestors: str
    corrections_url: str
    corrections_email: str

    @classmethod
    def from_environment(cls) -> Config:
        return cls(
            host=os.environ.get("HOST", "127.0.0.1"),
            port=_int("PORT", 8050),
            debug=_bool("ATLAS_DEBUG", False),
            redis_url=os.environ.get("REDIS_URL", "").strip(),
            cache_timeout=_int("ATLAS_CACHE_TIMEOUT", 3600),
            compress=_bool("ATLAS_COMPRESS", True),
            # An XYZ raster tile URL ({z}/{x}/{y}); empty keeps the map fully offline.
            basemap_url=os.environ.get("ATLAS_BASEMAP_URL", "").strip(),
            basemap_attribution=os.environ.get("ATLAS_BASEMAP_ATTRIBUTION", "").strip(),
            public_url=os.environ.get("ATLAS_PUBLIC_URL", "").strip(),
            # Which sites may show the atlas in a frame (CSP frame-ancestors), space-separated.
            frame_ancestors=os.environ.get("ATLAS_FRAME_ANCESTORS", "'self'").strip() or "'self'",
            # Where readers send corrections: an issue tracker's "new issue" URL, else an e-mail address.
            # Both empty hides the "Suggest a correction" links.
            corrections_url=os.environ.get("ATLAS_CORRECTIONS_URL", "").strip(),
            corrections_email=os.environ.get("ATLAS_CORRECTIONS_EMAIL", "").strip(),
        )


CONFIG = Config.from_environment()
