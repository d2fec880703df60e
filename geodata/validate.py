"""Read and check a cluster register the way people actually send it: from Excel, LibreOffice or a text editor.

Files arrive in UTF-8 (with or without a byte-order mark), UTF-16 or Windows-1252, separated by commas or
semicolons, with decimal commas, quoted line breaks and blank trailing lines. Reading is tolerant of all of
that; validation is strict about content and reports *every* problem with its spreadsheet row, column and
value, so that whoever maintains the file can fix it in one pass instead of one error at a time.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from geodata import geocode
from geodata.sectors import ORG_TYPES, SECTOR_IDS, STATUSES, THEME_SECTORS
from geodata.settings import COUNTRIES, JOIN_POLYGONS_PARQUET, NEAREST_REGION_MAX_METRES

REQUIRED_COLUMNS: tuple[str, ...] = ("name", "country", "city", "sector")
#: Every column of the register, in the order of the normalised frame.
SCHEMA_COLUMNS: tuple[str, ...] = (
    "id", "name", "acronym", "country", "city", "postal_code", "lat", "lon", "sector", "secondary_sectors",
    "themes", "org_type", "status", "successor", "founded", "website", "source_url", "extra_sources",
    "city_confidence", "description", "website_evidence", "website_checked", "last_verified",
)
CITY_CONFIDENCES: tuple[str, ...] = ("stated", "weak")
DEFAULTS: dict[str, str] = {"org_type": "cluster_organisation", "status": "active", "city_confidence": "stated"}
FIRST_FOUNDED_YEAR = 1800

COUNTRY_NAMES: dict[str, str] = {
    "AT": "Austria", "CH": "Switzerland", "DE": "Germany", "FR": "France", "IT": "Italy",
    "LI": "Liechtenstein", "SI": "Slovenia",
}
#: Names people write instead of the code, in English and the local languages, for a helpful hint.
_COUNTRY_BY_NAME: dict[str, str] = {
    name.casefold(): code
    for code, names in {
        "AT": ("Austria", "Österreich", "Oesterreich", "Autriche"),
        "CH": ("Switzerland", "Schweiz", "Suisse", "Svizzera", "Svizra"),
        "DE": ("Germany", "Deutschland", "Allemagne", "Germania"),
        "FR": ("France", "Frankreich", "Francia"),
        "IT": ("Italy", "Italia", "Italien", "Italie"),
        "LI": ("Liechtenstein",),
        "SI": ("Slovenia", "Slovenija", "Slowenien", "Slovénie"),
    }.items()
    for name in names
}
#: Metropolitan bounding boxes (lon_min, lat_min, lon_max, lat_max), each widened by about half a degree
#: (a tenth for Liechtenstein) so that a seat on a border lake or in a frontier town is never rejected.
COUNTRY_BOUNDS: dict[str, tuple[float, float, float, float]] = {
    "AT": (9.0, 45.9, 17.7, 49.5),
    "CH": (5.4, 45.3, 11.0, 48.3),
    "DE": (5.3, 46.8, 15.6, 55.6),
    "FR": (-5.5, 41.0, 10.0, 51.5),
    "IT": (6.1, 35.0, 19.0, 47.6),
    "LI": (9.37, 46.95, 9.74, 47.37),
    "SI": (12.9, 44.9, 17.1, 47.4),
}

_HTTP_URL = r"(?i)https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?"
_URL_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
#: Control characters other than tab, line feed and carriage return (kept: quoted cells may span lines).
_CONTROL_CHARS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
_DECIMAL_COMMA = r"[+-]?\d+,\d+"
_SHOWN_VALUE_CHARS = 80


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located precisely enough to fix it in a spreadsheet."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        if self.value is not None:
            parts.append(f"value '{_printable(self.value)}'")
        return f"{', '.join(parts)}: {self.reason}"


class ValidationError(ValueError):
    """Raised with every problem found, so one round of fixes is enough."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    def __reduce__(self) -> tuple[type[ValidationError], tuple[list[Problem]]]:
        return (type(self), (self.problems,))


def read_cluster_table(data: bytes, *, source_name: str) -> pd.DataFrame:
    """Decode and parse a delimited text file into a frame of strings, exactly as written.

    Every cell stays a string (so "NA" is not silently missing); the index holds each record's spreadsheet
    row number and is named ``source_row``. Raises :class:`ValidationError` for a file that cannot be read,
    is empty, has no data rows, or has rows with more or fewer fields than the header.
    """
    frame, problems = _read_table(data, source_name=source_name)
    if problems or frame is None:
        raise ValidationError(problems)
    return frame


def read_table(data: bytes, *, source_name: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Like :func:`read_cluster_table`, but returns the rows that parse together with the problems found.

    The frame is None when there is no table at all. Uploads use this so that every problem is listed at once.
    """
    return _read_table(data, source_name=source_name)


def validate_clusters(
    frame: pd.DataFrame, *, source_name: str, check_places: bool = True
) -> tuple[pd.DataFrame, list[Problem]]:
    """Normalise a cluster table and list everything wrong with it.

    The normalised frame has every schema column (missing optional text columns empty, numbers NaN/NA),
    stripped strings, ``lat``/``lon`` as float64 (decimal commas accepted), ``founded`` as nullable Int64,
    upper-case countries, lower-case vocabulary values with defaults filled, unknown extra columns unchanged
    and a ``source_row`` column. Row numbers come from a ``source_row`` column or index when present (as
    :func:`read_cluster_table` provides), else from the position, assuming one header row.
    ``check_places`` asks the gazetteer about rows without coordinates; it is off for callers that only need
    the form checked, because the gazetteer is slow to load the first time.
    """
    rows = _source_rows(frame)
    work = frame.reset_index(drop=True)
    if "source_row" in work.columns:
        work = work.drop(columns="source_row")
    problems: list[Problem] = []

    work.columns = [_canonical_column(column) for column in work.columns]
    duplicated = work.columns.duplicated(keep="first")
    for column in dict.fromkeys(work.columns[duplicated]):
        count = int((work.columns == column).sum())
        problems.append(Problem(source_name, None, column, None,
                                f"column appears {count} times in the header; keep only one"))
    work = work.loc[:, ~duplicated]
    for column in REQUIRED_COLUMNS:
        if column not in work.columns:
            problems.append(Problem(source_name, None, column, None, "required column is missing"))

    checker = _Checker(source_name, rows, work.index)
    text = {column: _as_text(work[column]) if column in work.columns else checker.empty()
            for column in SCHEMA_COLUMNS}
    present = [column for column in SCHEMA_COLUMNS if column in work.columns]

    for column in present:
        checker.control_characters(column, text[column])
    for column in REQUIRED_COLUMNS:
        if column in work.columns:
            checker.report(text[column] == "", column, text[column], "required value is empty")

    as_written = dict(text)
    text["country"] = text["country"].str.upper()
    checker.country(text["country"], as_written["country"])
    for column in ("sector", "org_type", "status", "city_confidence"):
        text[column] = text[column].str.lower()
    checker.vocabulary("sector", text["sector"], as_written["sector"], SECTOR_IDS, "sector")
    text["secondary_sectors"] = checker.secondary_sectors(text["secondary_sectors"])
    text["themes"] = _join_entries(_split_entries(text["themes"]), text["themes"].index)
    for column, allowed, label in (("org_type", ORG_TYPES, "organisation type"), ("status", STATUSES, "status"),
                                   ("city_confidence", CITY_CONFIDENCES, "city confidence")):
        text[column] = text[column].mask(text[column] == "", DEFAULTS[column])
        checker.vocabulary(column, text[column], as_written[column], allowed, label)

    lat, lon = checker.coordinates(text["lat"], text["lon"], text["country"])
    founded = checker.founded(text["founded"])
    for column in ("website", "source_url"):
        checker.link_characters(column, text[column])
        checker.urls(column, text[column])
    checker.duplicate_ids(text["id"])
    checker.duplicate_records(text["name"], text["country"], text["city"])
    checker.successors(text["successor"], text["id"])
    check_register_rules(checker, text, present)
    if check_places and "city" in work.columns and "country" in work.columns:
        checker.places(text["country"], text["city"], no_coordinates=(text["lat"] == "") & (text["lon"] == ""))
    if check_places:
        checker.at_sea(lat, lon, text["country"])

    columns: dict[str, pd.Series] = {**text, "lat": lat, "lon": lon, "founded": founded}
    normalised = pd.DataFrame({column: columns[column] for column in SCHEMA_COLUMNS}, index=work.index)
    extras = work.drop(columns=[column for column in SCHEMA_COLUMNS if column in work.columns])
    normalised = pd.concat([normalised, extras], axis=1)
    normalised["source_row"] = np.asarray(rows, dtype=np.int64)
    return normalised, _in_file_order(problems + checker.problems)


def load_cluster_file(path: str | os.PathLike[str], *, check_places: bool = True) -> pd.DataFrame:
    """Read and validate a cluster file, raising :class:`ValidationError` with every problem it has.

    Unlike calling the two steps in turn, the rows that parse are validated even when others are ragged, so
    the error lists every problem in the file at once.
    """
    path = Path(path)
    source_name = path.name
    frame, problems = _read_table(path.read_bytes(), source_name=source_name)
    normalised = None
    if frame is not None:
        normalised, found = validate_clusters(frame, source_name=source_name, check_places=check_places)
        problems = problems + found
    if problems or normalised is None:
        raise ValidationError(_in_file_order(problems))
    return normalised


class _Checker:
    """Collects problems for one table; each method checks one rule over whole columns."""

    def __init__(self, source_name: str, rows: np.ndarray, index: pd.Index) -> None:
        self.source_name = source_name
        self.rows = pd.Series(rows, index=index)
        self.problems: list[Problem] = []
        self.flagged: dict[str, set[int]] = {}

    def empty(self) -> pd.Series:
        return pd.Series("", index=self.rows.index, dtype="str")

    def report(self, mask: pd.Series, column: str, values: pd.Series | None, reason: str) -> None:
        """Add one problem per row where ``mask`` holds."""
        for position in mask.index[mask.fillna(False).astype(bool)]:
            self.add(position, column, None if values is None else str(values[position]), reason)

    def add(self, position: int, column: str | None, value: str | None, reason: str) -> None:
        self.problems.append(Problem(self.source_name, int(self.rows[position]), column, value, reason))
        if column is not None:
            self.flagged.setdefault(column, set()).add(position)

    def is_flagged(self, column: str) -> pd.Series:
        """Rows with a problem in ``column`` so far, so that later rules need not pile on."""
        return pd.Series(self.rows.index.isin(list(self.flagged.get(column, ()))), index=self.rows.index)

    def control_characters(self, column: str, values: pd.Series) -> None:
        found = values.str.extract(f"({_CONTROL_CHARS})", expand=False)
        for position in found.index[found.notna()]:
            self.add(position, column, values[position],
                     f"contains the control character U+{ord(found[position]):04X}; remove it")

    def country(self, codes: pd.Series, as_written: pd.Series) -> None:
        unknown = (codes != "") & ~codes.isin(COUNTRIES)
        for position in unknown.index[unknown]:
            value = as_written[position]
            hint = _COUNTRY_BY_NAME.get(value.casefold())
            reason = (f"unknown country: write the ISO code {hint}, not the country name" if hint else
                      "unknown country: the atlas covers only " + ", ".join(COUNTRIES)
                      + " (ISO 3166-1 alpha-2 codes)")
            self.add(position, "country", value, reason)

    def vocabulary(self, column: str, values: pd.Series, as_written: pd.Series,
                   allowed: tuple[str, ...], label: str) -> None:
        """Check values already folded to lower case, reporting them as written."""
        self.report((values != "") & ~values.isin(allowed), column, as_written,
                    f"unknown {label} (expected one of: {', '.join(allowed)})")

    def secondary_sectors(self, values: pd.Series) -> pd.Series:
        """Check each ``;``-separated entry and return the lists cleaned and de-duplicated."""
        entries = _split_entries(values)
        unknown = entries[~entries.str.lower().isin(SECTOR_IDS)]
        for position, entry in unknown.items():
            self.add(position, "secondary_sectors", entry,
                     f"unknown secondary sector (expected ';'-separated ids from: {', '.join(SECTOR_IDS)})")
        return _join_entries(entries.str.lower(), values.index)

    def coordinates(self, lat_text: pd.Series, lon_text: pd.Series,
                    countries: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Parse ``lat``/``lon`` and check they are numbers, come in pairs and lie in the row's country."""
        lat, lon = _parse_number(lat_text), _parse_number(lon_text)
        self.report((lat_text != "") & lat.isna(), "lat", lat_text,
                    "latitude is not a number (expected decimal degrees such as 46.5 or 46,5)")
        self.report((lon_text != "") & lon.isna(), "lon", lon_text,
                    "longitude is not a number (expected decimal degrees such as 11.35 or 11,35)")
        self.report((lat_text != "") & (lon_text == ""), "lon", None,
                    "longitude is missing although a latitude is given; give both or neither")
        self.report((lat_text == "") & (lon_text != ""), "lat", None,
                    "latitude is missing although a longitude is given; give both or neither")
        lat_out, lon_out = lat.abs() > 90, lon.abs() > 180
        self.report(lat_out, "lat", lat_text, "latitude outside -90..90")
        self.report(lon_out, "lon", lon_text, "longitude outside -180..180")

        checkable = lat.notna() & lon.notna() & ~lat_out & ~lon_out & countries.isin(COUNTRIES)
        bounds = (pd.DataFrame.from_dict(COUNTRY_BOUNDS, orient="index",
                                         columns=["lon_min", "lat_min", "lon_max", "lat_max"])
                  .reindex(countries).set_axis(countries.index))

        def inside(x: pd.Series, y: pd.Series) -> pd.Series:
            return x.between(bounds["lon_min"], bounds["lon_max"]) & y.between(bounds["lat_min"], bounds["lat_max"])

        outside = checkable & ~inside(lon, lat)
        swapped = outside & inside(lat, lon)
        shown = lat_text + " / " + lon_text
        for position in outside.index[outside]:
            name = COUNTRY_NAMES[countries[position]]
            if swapped[position]:
                reason = (f"latitude and longitude look swapped: the point lies outside {name}, "
                          f"but would lie inside it with lat {lon[position]:g}, lon {lat[position]:g}")
            else:
                reason = f"coordinates lie outside {name} (lat {lat[position]:g}, lon {lon[position]:g})"
            self.add(position, "lat", shown[position], reason)
        return lat, lon

    def founded(self, text: pd.Series) -> pd.Series:
        """Parse the founding year; anything that is not a plausible whole year is reported and left NA."""
        number = _parse_number(text)
        current_year = date.today().year
        not_number = (text != "") & number.isna()
        fractional = number.notna() & (number != number.round())
        out_of_range = number.notna() & ~fractional & ~number.between(FIRST_FOUNDED_YEAR, current_year)
        self.report(not_number, "founded", text, "founding year is not a number (expected a year such as 2005)")
        self.report(fractional, "founded", text, "founding year is not a whole number")
        self.report(out_of_range, "founded", text,
                    f"founding year outside {FIRST_FOUNDED_YEAR}..{current_year}")
        return number.where(~fractional & ~out_of_range).round().astype("Int64")

    def urls(self, column: str, values: pd.Series) -> None:
        bad = (values != "") & ~values.str.fullmatch(_HTTP_URL) & ~self.is_flagged(column)
        for position in bad.index[bad]:
            value = values[position]
            scheme = _URL_SCHEME.match(value)
            if value.casefold().startswith("www."):
                reason = f"web address has no scheme; write it as https://{value}"
            elif scheme and scheme.group(1).casefold() not in ("http", "https"):
                reason = f"only http:// and https:// links are allowed, not '{scheme.group(1)}:'"
            else:
                reason = "not a web address (expected a link starting with http:// or https://)"
            self.add(position, column, value, reason)

    def duplicate_ids(self, ids: pd.Series) -> None:
        given = ids[ids != ""]
        first_row = dict(zip(given.drop_duplicates(), self.rows[given.drop_duplicates().index]))
        for position in given.index[given.duplicated(keep="first")]:
            self.add(position, "id", ids[position], f"duplicate id; already used in row {first_row[ids[position]]}")

    def duplicate_records(self, names: pd.Series, countries: pd.Series, cities: pd.Series) -> None:
        """Report a later record with the same name, country and city as an earlier one, ignoring case and spaces."""
        complete = (names != "") & (countries != "") & (cities != "")
        key = (_fold(names) + "\x1f" + countries + "\x1f" + _fold(cities))[complete]
        first_position = key.drop_duplicates()
        first_row = dict(zip(first_position, self.rows[first_position.index]))
        for position in key.index[key.duplicated(keep="first")]:
            self.add(position, "name", names[position],
                     f"duplicate of row {first_row[key[position]]}: same name, country and city")

    def successors(self, successors: pd.Series, ids: pd.Series) -> None:
        known = set(ids[ids != ""])
        self.report((successors != "") & ~successors.isin(known), "successor", successors,
                    "successor names an id that is not in the file")

    def places(self, countries: pd.Series, cities: pd.Series, *, no_coordinates: pd.Series) -> None:
        """Ask the gazetteer about each distinct place of the rows that rely on it for their position."""
        candidates = (no_coordinates & countries.isin(COUNTRIES) & (cities != "")
                      & ~self.is_flagged("country") & ~self.is_flagged("city"))
        pairs = pd.DataFrame({"country": countries, "city": cities})[candidates]
        placeable = {(country, city): geocode.is_placeable(country, city)
                     for country, city in pairs.drop_duplicates().itertuples(index=False)}
        for position, (country, city) in zip(pairs.index, pairs.itertuples(index=False)):
            if not placeable[(country, city)]:
                self.add(position, "city", city,
                         f"place not found in {COUNTRY_NAMES[country]}; check the spelling or give lat and lon")

    # --- links and placement (trust rules: a link is shown as a link, a point must land in a region) ---

    def link_characters(self, column: str, values: pd.Series) -> None:
        """A link with ``"``, ``<``, ``>`` or white space is refused: browsers and the CSV/GeoJSON downloads
        would cut it or read markup into it; such characters belong percent-encoded in a URL."""
        found = values.str.extract(f"({_LINK_FORBIDDEN})", expand=False)
        for position in found.index[found.notna()]:
            character = found[position]
            self.add(position, column, values[position],
                     f"link contains {_LINK_CHARACTER_NAMES.get(character, repr(character))}; write "
                     f"'\"', '<', '>' and spaces percent-encoded (%22, %3C, %3E, %20) or remove them")

    def at_sea(self, lat: pd.Series, lon: pd.Series, countries: pd.Series) -> None:
        """Report points that no NUTS 3 region of their own country contains or lies within
        ``NEAREST_REGION_MAX_METRES`` of (at sea, in a lake far from shore): the join would refuse them."""
        candidates = (lat.notna() & lon.notna() & countries.isin(COUNTRIES) & ~self.is_flagged("lat")
                      & ~self.is_flagged("lon") & ~self.is_flagged("country"))
        if not candidates.any():
            return
        from geodata import join

        positions = candidates.index[candidates]
        points = join.points_from_frame(pd.DataFrame(
            {"lat": lat[positions].to_numpy(), "lon": lon[positions].to_numpy(),
             "country": countries[positions].to_numpy(), "source_row": np.asarray(positions)}))
        try:
            join.assign_nuts3(points, _join_polygons(), max_distance_m=NEAREST_REGION_MAX_METRES)
        except join.JoinError as error:
            for point in error.unjoined:
                distance = ("no NUTS 3 region of that country" if np.isnan(point.distance_m)
                            else f"the nearest NUTS 3 region of {COUNTRY_NAMES[point.country]} is "
                                 f"{point.distance_m / 1000:.1f} km away")
                self.add(point.row, "lat", f"{point.lat:g} / {point.lon:g}",
                         f"the point lies outside every region of {COUNTRY_NAMES[point.country]} (at sea or in "
                         f"a lake?): {distance}, more than {NEAREST_REGION_MAX_METRES / 1000:g} km; "
                         f"check lat and lon")


_LINK_FORBIDDEN = r'["<>\s]'
_LINK_CHARACTER_NAMES = {'"': "a double quote (\")", "<": "'<'", ">": "'>'", " ": "a space", "\t": "a tab",
                         "\n": "a line break", "\r": "a line break"}


@lru_cache(maxsize=1)
def _join_polygons():
    """The NUTS 3 polygons the join uses (built artifact), read once per process."""
    from geodata import io as artifacts

    return artifacts.read_geoparquet(JOIN_POLYGONS_PARQUET)


def check_register_rules(checker: _Checker, text: dict[str, pd.Series], present: list[str]) -> None:
    """Rules that keep the register consistent with itself: merger chains, sector conventions, freshness.

    Kept apart from the form checks above so that each rule can be read, tested and changed on its own.
    """
    _successor_chains(checker, text["id"], text["successor"], text["status"])
    _sector_conventions(checker, text["themes"], text["sector"])
    _website_evidence(checker, text["website"], text["website_evidence"], text["source_url"])
    today = date.today()
    _iso_dates(checker, "website_checked", text["website_checked"], today, required=False)
    _iso_dates(checker, "last_verified", text["last_verified"], today, required="last_verified" in present)


def _successor_chains(checker: _Checker, ids: pd.Series, successors: pd.Series, statuses: pd.Series) -> None:
    """No organisation succeeds itself and no chain of successors leads back to where it started."""
    self_successor = (successors != "") & (successors == ids)
    checker.report(self_successor, "successor", successors, "an organisation cannot be its own successor")
    following = dict(zip(ids[(ids != "") & ~self_successor], successors[(ids != "") & ~self_successor]))
    position_of = {identifier: position for position, identifier in ids[ids != ""].drop_duplicates().items()}
    on_cycle: set[str] = set()
    for start in following:
        seen: list[str] = []
        current = start
        while current in following and following[current] and current not in seen:
            seen.append(current)
            current = following[current]
        if current in seen:
            on_cycle.update(seen[seen.index(current):])
    for identifier in sorted(on_cycle, key=lambda i: position_of[i]):
        chain = [identifier]
        while following[chain[-1]] != identifier:
            chain.append(following[chain[-1]])
        checker.add(position_of[identifier], "successor", following[identifier],
                    "successor chain loops back: " + " → ".join([*chain, identifier]))
    has_successor = (successors != "") & ~self_successor
    checker.report(has_successor & (statuses == "active"), "status", statuses,
                   "an organisation with a successor must have status 'historic'")


def _sector_conventions(checker: _Checker, themes: pd.Series, sectors: pd.Series) -> None:
    """The same theme always under the same main sector (alpine_clusters.md judgement calls)."""
    entries = _split_entries(themes).str.casefold()
    for position, theme in entries[entries.isin(list(THEME_SECTORS))].items():
        expected = THEME_SECTORS[theme]
        if sectors[position] != expected:
            checker.add(position, "sector", sectors[position],
                        f"rows with the theme '{theme}' belong under the sector '{expected}'")


def _host(urls: pd.Series) -> pd.Series:
    return urls.str.extract(r"(?i)^https?://(?:www\.)?([^/?#:\s]+)", expand=False).str.casefold().fillna("")


def _website_evidence(checker: _Checker, website: pd.Series, evidence: pd.Series, source_url: pd.Series) -> None:
    """A website is the organisation's own site, not the evidence page; its check names a page of that site."""
    checker.report((website != "") & (website == source_url), "website", website,
                   "the website repeats the evidence page; give the organisation's own site")
    bad = (evidence != "") & ~evidence.str.fullmatch(_HTTP_URL)
    checker.report(bad, "website_evidence", evidence,
                   "not a web address (expected a link starting with http:// or https://)")
    checker.report((evidence != "") & (website == ""), "website_evidence", evidence,
                   "a page checking the website is given but the website is empty")
    page_host, site_host = _host(evidence), _host(website)
    on_site = (page_host == site_host) | pd.Series(
        [page.endswith("." + site) for page, site in zip(page_host, site_host)], index=evidence.index, dtype=bool)
    elsewhere = (evidence != "") & (website != "") & ~bad & ~on_site
    checker.report(elsewhere, "website_evidence", evidence,
                   "the page that checks the website must be on that website (or one of its subdomains)")


def _iso_dates(checker: _Checker, column: str, values: pd.Series, today: date, *, required: bool) -> None:
    """Dates written as YYYY-MM-DD, real and not in the future; when the column is present, none empty."""
    parsed = pd.to_datetime(values.where(values.str.fullmatch(r"\d{4}-\d{2}-\d{2}")), format="%Y-%m-%d",
                            errors="coerce")
    if required:
        checker.report(values == "", column, values, "date is empty: give the day the facts were last checked")
    checker.report((values != "") & parsed.isna(), column, values, "not a date (expected YYYY-MM-DD, e.g. 2026-11-27)")
    checker.report(parsed > pd.Timestamp(today), column, values, f"date lies in the future (today is {today.isoformat()})")


def _read_table(data: bytes, *, source_name: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Parse what can be parsed; the frame is None when there is no table at all."""
    text, problem = _decode(data)
    if problem is not None:
        return None, [Problem(source_name, None, None, None, problem)]
    if not text.strip():
        return None, [Problem(source_name, None, None, None, "the file is empty")]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_detect_delimiter(text), strict=False)
    records: list[tuple[int, list[str]]] = []
    try:
        for row, fields in enumerate(reader, start=1):
            if any(field.strip() for field in fields):
                records.append((row, fields))
    except csv.Error as error:
        return None, [Problem(source_name, len(records) + 1, None, None, f"the file cannot be parsed: {error}")]

    if not records:
        return None, [Problem(source_name, None, None, None, "the file is empty: it has separators but no values")]
    (_, header), data_records = records[0], records[1:]
    if not data_records:
        return None, [Problem(source_name, None, None, None, "the file has a header row but no data rows")]
    names = [name.strip() or f"unnamed_{position}" for position, name in enumerate(header, start=1)]
    problems = [
        Problem(source_name, row, None, str(len(fields)),
                f"row has {len(fields)} fields but the header has {len(names)}; "
                "check for an unquoted separator or a missing cell")
        for row, fields in data_records
        if len(fields) != len(names)
    ]
    good = [(row, fields) for row, fields in data_records if len(fields) == len(names)]
    frame = pd.DataFrame([fields for _, fields in good], columns=names, dtype="str")
    frame.index = pd.Index([row for row, _ in good], dtype=np.int64, name="source_row")
    return frame, problems


def _decode(data: bytes) -> tuple[str, str | None]:
    """Text of the file, or the reason it is not readable text."""
    if data.startswith(b"PK\x03\x04"):
        return "", "the file is a ZIP archive or Excel workbook, not a CSV file; export it as CSV"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            return "", f"the file starts like UTF-16 text but cannot be decoded ({error.reason})"
    else:
        if b"\x00" in data:
            return "", ("the file contains NUL bytes: it is binary, or UTF-16 without a byte-order mark; "
                        "save it as CSV in UTF-8")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                return "", "the file is neither UTF-8 nor Windows-1252 text; save it as CSV in UTF-8"
    if "\x00" in text:
        return "", "the file contains NUL characters; it is not a text file"
    return text, None


def _detect_delimiter(text: str) -> str:
    """The separator used most often on the header line outside quotes; a comma when there is none."""
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for char in text.lstrip("\r\n"):
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "\r\n":
            break
        elif not quoted and char in counts:
            counts[char] += 1
    return max(counts, key=lambda delimiter: counts[delimiter]) if any(counts.values()) else ","


def _source_rows(frame: pd.DataFrame) -> np.ndarray:
    if "source_row" in frame.columns:
        return pd.to_numeric(frame["source_row"]).to_numpy(dtype=np.int64)
    if frame.index.name == "source_row":
        return frame.index.to_numpy(dtype=np.int64)
    return np.arange(2, len(frame) + 2, dtype=np.int64)


def _canonical_column(column: object) -> str:
    """Match headers such as "Postal code" or " Name" to their schema column; leave others as written."""
    name = str(column).strip()
    key = re.sub(r"[\s\-]+", "_", name.casefold())
    return key if key in SCHEMA_COLUMNS else name


def _as_text(values: pd.Series) -> pd.Series:
    """Stripped strings with missing values as ""; frames built in code may hold numbers or NaN."""
    return values.astype(object).where(values.notna(), "").astype("str").str.strip()


def _parse_number(text: pd.Series) -> pd.Series:
    """Float64 of each cell, accepting a decimal comma and a Unicode minus; NaN where it is not a finite number."""
    cleaned = text.str.replace("\u2212", "-", regex=False)
    cleaned = cleaned.mask(cleaned.str.fullmatch(_DECIMAL_COMMA), cleaned.str.replace(",", ".", regex=False))
    number = pd.to_numeric(cleaned.mask(cleaned == ""), errors="coerce").astype("float64")
    return number.where(np.isfinite(number))


def _split_entries(values: pd.Series) -> pd.Series:
    """One stripped, non-empty entry per row of a ``;``-separated list, indexed by the list's row."""
    entries = values.str.split(";").explode().str.strip()
    return entries[entries.notna() & (entries != "")]


def _join_entries(entries: pd.Series, index: pd.Index) -> pd.Series:
    """Back to one ``;``-separated string per row of ``index``, first occurrence of each entry kept."""
    joined = entries.groupby(level=0).agg(lambda group: ";".join(dict.fromkeys(group)))
    return joined.reindex(index, fill_value="").astype("str")


def _fold(values: pd.Series) -> pd.Series:
    return values.str.replace(r"\s+", " ", regex=True).str.strip().str.casefold()


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    """File-level problems first, then by row and schema column, each rule's order kept within a cell."""
    order = {column: position for position, column in enumerate(SCHEMA_COLUMNS)}
    return sorted(problems, key=lambda p: (-1 if p.row is None else p.row, order.get(p.column or "", -1)))


def _printable(value: str) -> str:
    """A value safe to print on one line: control characters escaped, long values shortened."""
    shown = re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda match: repr(match.group())[1:-1], value)
    return shown if len(shown) <= _SHOWN_VALUE_CHARS else shown[: _SHOWN_VALUE_CHARS - 1] + "…"
