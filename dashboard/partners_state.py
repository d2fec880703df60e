"""The partner explorer's view state ⇄ its URL query string, so a shared link reopens the same view.

Forgiving like ``dashboard.state``: unknown values fall back to defaults one by one; only non-default values
are written.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from urllib.parse import parse_qs, urlencode

from dashboard.config import is_true
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES
from geodata.nuts import PERIODS
from geodata.sectors import KEY_SECTOR_IDS, SECTOR_IDS
from geodata.settings import COUNTRIES

PEER_LEVELS = (2, 3)
MAX_ID_LENGTH = 80


@dataclass(frozen=True)
class ExplorerState:
    organisation: str = ""
    same_country: bool = False
    sectors: tuple[str, ...] = KEY_SECTOR_IDS
    alps4eu: bool = True
    region: str = ""
    level: int = 3
    peers_cross_border: bool = False
    period: str = "2021-2027"
    lang: str = DEFAULT_LANGUAGE

    def to_dict(self) -> dict:
        return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(self).items()}

    @classmethod
    def from_dict(cls, values: object) -> ExplorerState:
        """Any JSON value (a store a client sent) as a valid state; what is not a dict is the default view."""
        return _clean(values if isinstance(values, dict) else {})

    def to_query(self) -> str:
        defaults = ExplorerState()
        pairs = []
        for key, value in asdict(self).items():
            if value == getattr(defaults, key):
                continue
            if isinstance(value, tuple):
                value = ",".join(value) if value else "none"
            elif isinstance(value, bool):
                value = "1" if value else "0"
            pairs.append((QUERY_KEYS[key], str(value)))
        return "?" + urlencode(pairs, safe=",") if pairs else ""

    @classmethod
    def from_query(cls, query: str | None) -> ExplorerState:
        parsed = parse_qs((query or "").lstrip("?"), keep_blank_values=False)
        values: dict[str, object] = {}
        for key, name in QUERY_KEYS.items():
            if name in parsed:
                raw = parsed[name][-1]
                values[key] = [item for item in raw.split(",") if item] if key == "sectors" else raw
        return _clean(values)


QUERY_KEYS = {"organisation": "organisation", "same_country": "same_country", "sectors": "sector",
              "alps4eu": "alps4eu", "region": "region", "level": "level", "peers_cross_border": "peers_cross_border",
              "period": "period", "lang": "lang"}


def _flag(value: object) -> bool:
    if isinstance(value, str):
        return is_true(value)
    return bool(value)


def _clean(values: dict) -> ExplorerState:
    defaults = ExplorerState()
    try:
        level = int(values.get("level", defaults.level))
    except (TypeError, ValueError, OverflowError):
        level = defaults.level
    region = str(values.get("region") or "").strip().upper()
    if not (4 <= len(region) <= 5 and region[:2] in COUNTRIES and region.isalnum()):
        region = ""
    raw_sectors = values.get("sectors", defaults.sectors)
    given = {s for s in raw_sectors if isinstance(s, str)} if isinstance(raw_sectors, (list, tuple)) else None
    sectors = tuple(s for s in SECTOR_IDS if s in given) if given is not None else defaults.sectors
    if given is not None and not sectors and "none" not in given:
        sectors = defaults.sectors
    organisation = str(values.get("organisation") or "").strip()[:MAX_ID_LENGTH]
    return ExplorerState(
        organisation=organisation,
        same_country=_flag(values.get("same_country", defaults.same_country)),
        sectors=sectors,
        alps4eu=_flag(values.get("alps4eu", defaults.alps4eu)),
        region=region,
        level=len(region) - 2 if region else (level if level in PEER_LEVELS else defaults.level),
        peers_cross_border=_flag(values.get("peers_cross_border", defaults.peers_cross_border)),
        period=values["period"] if isinstance(values.get("period"), str) and values["period"] in PERIODS
        else defaults.period,
        lang=str(values.get("lang") or "").lower() if str(values.get("lang") or "").lower() in LANGUAGES
        else defaults.lang,
    )
