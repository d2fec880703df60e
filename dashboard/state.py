"""The view state: every filter and selection, as it lives in the URL query string and in ``dcc.Store``.

Parsing is forgiving (a hand-edited or outdated link falls back to defaults value by value, never to an
error page); serialising writes only what differs from the defaults, so shared links stay short.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from urllib.parse import parse_qs, urlencode

from dashboard.config import is_true
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES
from geodata.nuts import PERIODS
from geodata.sectors import ORG_TYPES, SECTOR_IDS
from geodata.selection import LANDSCAPES, MOUNTAIN_CHOICES, Selection
from geodata.settings import COUNTRIES

METRICS = ("count", "density", "lq", "share")
LEVELS = (0, 1, 2, 3)
MAX_COMPARED = 6
MAX_SEARCH_LENGTH = 80


@dataclass(frozen=True)
class ViewState:
    sectors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    org_types: tuple[str, ...] = ()
    mountain: str = "all"
    landscape: str = "today"
    search: str = ""
    period: str = "2021-2027"
    level: int = 3
    metric: str = "count"
    partners: bool = False
    compare: tuple[str, ...] = field(default=())
    region: str = ""
    cluster: str = ""
    lang: str = DEFAULT_LANGUAGE
    present: bool = False
    embed: bool = False
    story: str = ""
    step: int = 0

    @property
    def selection(self) -> Selection:
        return Selection(sectors=self.sectors, countries=self.countries, org_types=self.org_types,
                         mountain=self.mountain, landscape=self.landscape, search=self.search)

    def to_dict(self) -> dict:
        return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(self).items()}

    @classmethod
    def from_dict(cls, values: dict | None) -> ViewState:
        return _clean(values or {})

    def to_query(self, *, without: tuple[str, ...] = ()) -> str:
        """``?key=value&…`` with only the non-default values ('' for the default view)."""
        defaults = ViewState()
        pairs = []
        for key, value in asdict(self).items():
            if value == getattr(defaults, key) or key in without:
                continue
            if isinstance(value, tuple):
                value = ",".join(value)
            elif isinstance(value, bool):
                value = "1" if value else "0"
            pairs.append((QUERY_KEYS[key], str(value)))
        return "?" + urlencode(pairs, safe=",") if pairs else ""

    @classmethod
    def from_query(cls, query: str | None) -> ViewState:
        parsed = parse_qs((query or "").lstrip("?"), keep_blank_values=False)
        values: dict[str, object] = {}
        for key, name in QUERY_KEYS.items():
            if name in parsed:
                raw = parsed[name][-1]
                values[key] = [item for item in raw.split(",") if item] if key in LIST_KEYS else raw
        return _clean(values)


QUERY_KEYS = {
    "sectors": "sector", "countries": "country", "org_types": "type", "mountain": "mountain",
    "landscape": "landscape", "search": "q", "period": "period", "level": "level", "metric": "metric",
    "partners": "partners", "compare": "compare", "region": "region", "cluster": "cluster", "lang": "lang",
    "present": "present", "embed": "embed", "story": "story", "step": "step",
}
LIST_KEYS = {"sectors", "countries", "org_types", "compare"}


def _known(values: object, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """Keep known ids, in the canonical order of ``allowed``, once each."""
    given = set(values) if isinstance(values, (list, tuple)) else set()
    return tuple(item for item in allowed if item in given)


def _choice(value: object, allowed: tuple, default):
    return value if value in allowed else default


def _region_codes(values: object) -> tuple[str, ...]:
    codes = []
    for item in values if isinstance(values, (list, tuple)) else ():
        code = str(item).strip().upper()
        if _looks_like_nuts(code) and code not in codes:
            codes.append(code)
    return tuple(codes[:MAX_COMPARED])


def _looks_like_nuts(code: str) -> bool:
    return 2 <= len(code) <= 5 and code[:2] in COUNTRIES and code.isalnum()


def _clean(values: dict) -> ViewState:
    defaults = ViewState()
    try:
        level = int(values.get("level", defaults.level))
    except (TypeError, ValueError):
        level = defaults.level
    try:
        step = max(0, int(values.get("step", defaults.step)))
    except (TypeError, ValueError):
        step = defaults.step
    region = str(values.get("region") or "").strip().upper()
    return ViewState(
        sectors=_known(values.get("sectors"), SECTOR_IDS),
        countries=_known(values.get("countries"), COUNTRIES),
        org_types=_known(values.get("org_types"), ORG_TYPES),
        mountain=_choice(values.get("mountain"), MOUNTAIN_CHOICES, defaults.mountain),
        landscape=_choice(values.get("landscape"), LANDSCAPES, defaults.landscape),
        search=str(values.get("search") or "")[:MAX_SEARCH_LENGTH],
        period=_choice(values.get("period"), PERIODS, defaults.period),
        level=_choice(level, LEVELS, defaults.level),
        metric=_choice(values.get("metric"), METRICS, defaults.metric),
        partners=_flag(values.get("partners", defaults.partners)),
        compare=_region_codes(values.get("compare")),
        region=region if _looks_like_nuts(region) else "",
        cluster=str(values.get("cluster") or "").strip()[:80],
        lang=_choice(str(values.get("lang") or "").lower(), tuple(LANGUAGES), defaults.lang),
        present=_flag(values.get("present", defaults.present)),
        embed=_flag(values.get("embed", defaults.embed)),
        story=_slug(values.get("story")),
        step=step,
    )


def _flag(value: object) -> bool:
    if isinstance(value, str):
        return is_true(value)
    return bool(value)


def _slug(value: object) -> str:
    text = str(value or "").strip().lower()[:40]
    return text if text.replace("-", "").replace("_", "").isalnum() else ""


def with_changes(state: ViewState, **changes) -> ViewState:
    return _clean({**state.to_dict(), **changes})

