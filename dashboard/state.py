"""The view state: every filter and selection, as it lives in the URL query string and in ``dcc.Store``.

Parsing is forgiving (a hand-edited or outdated link falls back to defaults value by value, never to an
error page); serialising writes only what differs from the defaults, so shared links stay short.

This module is also the one parser for everything a client sends: query strings, the state store, and the
shapes of callback payloads (``clickData``, the map's sent-values store, the focus store). Each reader
accepts *any* JSON value (null, numbers, lists where strings belong, dicts, ``Infinity``, deep nesting, huge
strings) and answers the nearest valid value, so a callback never sees a shape it did not expect.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
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
MAX_ID_LENGTH = 80
#: The most organisations one place of the map can list (the register has at most about fifteen at one place).
MAX_PLACE_SIZE = 100
#: Far beyond any story's length; a step past the end is clamped to the last step by the story itself.
MAX_STEP = 999
#: A query string longer than this is not a link anyone shared: it is read only up to here.
MAX_QUERY_LENGTH = 4096
#: Stories that exist; a mistyped id in a link reads as "no story", so the default story is used.
STORY_IDS = tuple(sorted(path.stem for path in (Path(__file__).resolve().parent / "stories").glob("*.json")))


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
    def from_dict(cls, values: object) -> ViewState:
        """The state a store holds; anything that is not a dict (null, a list, a number) is the default view."""
        return _clean(values if isinstance(values, dict) else {})

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
    def from_query(cls, query: object) -> ViewState:
        """The state a query string names; a non-string (a fuzzed ``search`` property) reads as no query."""
        parsed = parse_query(query)
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


def parse_query(query: object) -> dict[str, list[str]]:
    """``parse_qs`` of a query string that may be anything a client sent: not a string, huge, undecodable."""
    if not isinstance(query, str):
        return {}
    try:
        return parse_qs(query[:MAX_QUERY_LENGTH].lstrip("?"), keep_blank_values=False, max_num_fields=200)
    except ValueError:
        return {}


def text(value: object, limit: int = MAX_ID_LENGTH) -> str:
    """A string value as sent, cut to ``limit``; numbers and flags are not text, so they read as empty."""
    return value[:limit].strip() if isinstance(value, str) else ""


def whole_number(value: object, default: int, *, low: int, high: int) -> int:
    """An integer from a JSON number or a numeric string, clamped to ``low``…``high``; fractions, ``NaN``,
    ``±Infinity``, booleans and everything else read as ``default``."""
    if isinstance(value, bool):
        return default
    if isinstance(value, str):
        try:
            value = float(value.strip()[:20])
        except ValueError:
            return default
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return default
        value = int(value)
    if not isinstance(value, int):
        return default
    return min(max(value, low), high)


def _known(values: object, allowed: tuple[str, ...]) -> tuple[str, ...]:
    """Keep known ids, in the canonical order of ``allowed``, once each; non-string items are ignored."""
    given = {item for item in values if isinstance(item, str)} if isinstance(values, (list, tuple)) else set()
    return tuple(item for item in allowed if item in given)


def _choice(value: object, allowed: tuple, default):
    return value if isinstance(value, (str, int)) and not isinstance(value, bool) and value in allowed else default


def _region_codes(values: object) -> tuple[str, ...]:
    codes: list[str] = []
    for item in values[:MAX_COMPARED * 4] if isinstance(values, (list, tuple)) else ():
        code = text(item).upper()
        if _looks_like_nuts(code) and code not in codes:
            codes.append(code)
    return tuple(codes[:MAX_COMPARED])


def _looks_like_nuts(code: str) -> bool:
    return 2 <= len(code) <= 5 and code[:2] in COUNTRIES and code.isalnum() and code.isascii()


def _clean(values: dict) -> ViewState:
    defaults = ViewState()
    region = text(values.get("region")).upper()
    level = whole_number(values.get("level", defaults.level), defaults.level, low=-1, high=99)
    return ViewState(
        sectors=_known(values.get("sectors"), SECTOR_IDS),
        countries=_known(values.get("countries"), COUNTRIES),
        org_types=_known(values.get("org_types"), ORG_TYPES),
        mountain=_choice(values.get("mountain"), MOUNTAIN_CHOICES, defaults.mountain),
        landscape=_choice(values.get("landscape"), LANDSCAPES, defaults.landscape),
        search=values["search"][:MAX_SEARCH_LENGTH] if isinstance(values.get("search"), str) else "",
        period=_choice(values.get("period"), PERIODS, defaults.period),
        level=_choice(level, LEVELS, defaults.level),
        metric=_choice(values.get("metric"), METRICS, defaults.metric),
        partners=_flag(values.get("partners", defaults.partners)),
        compare=_region_codes(values.get("compare")),
        region=region if _looks_like_nuts(region) else "",
        cluster=text(values.get("cluster")),
        lang=_choice(text(values.get("lang"), 10).lower(), tuple(LANGUAGES), defaults.lang),
        present=_flag(values.get("present", defaults.present)),
        embed=_flag(values.get("embed", defaults.embed)),
        story=_story(values.get("story")),
        step=whole_number(values.get("step", defaults.step), defaults.step, low=0, high=MAX_STEP),
    )


def _flag(value: object) -> bool:
    """Only ``true`` and the usual spellings of yes are true; a list, dict or number other than 1 is not."""
    if isinstance(value, str):
        return is_true(value)
    return value is True or (type(value) is int and value == 1)


def _story(value: object) -> str:
    story = text(value, 40).lower()
    return story if story in STORY_IDS else ""


# --- callback payload shapes --------------------------------------------------------------------------------


def mapping(value: object) -> dict:
    """A store or payload that must be a dict: anything else reads as an empty one."""
    return value if isinstance(value, dict) else {}


def string_list(value: object, limit: int = 50) -> list[str]:
    """A checklist's value: the string items of a list, at most ``limit`` of them."""
    return [item for item in value[:limit] if isinstance(item, str)] if isinstance(value, list) else []


def clicked_point(click: object) -> dict:
    """The first point of a map ``clickData`` as ``{"location": code}``, ``{"cluster": id}`` or, for a place
    several organisations share, ``{"place": [id, …]}`` ({} if none of these).

    A region code must look like a NUTS code and a cluster id must be text; any other shape is no click.
    """
    points = mapping(click).get("points")
    point = points[0] if isinstance(points, list) and points else None
    if not isinstance(point, dict):
        return {}
    # A region's point names its location; a marker's carries ``location: null`` (plotly.js's SVG map).
    if point.get("location") is not None:
        code = text(point["location"]).upper()
        return {"location": code} if _looks_like_nuts(code) else {}
    customdata = point.get("customdata")
    if isinstance(customdata, list):
        # A place several organisations share: the list of their ids.
        place = [item for item in (text(value) for value in string_list(customdata, MAX_PLACE_SIZE)) if item]
        return {"place": place} if place else {}
    cluster = text(customdata)
    return {"cluster": cluster} if cluster else {}


def with_changes(state: ViewState, **changes) -> ViewState:
    return _clean({**state.to_dict(), **changes})

