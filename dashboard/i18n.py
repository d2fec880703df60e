"""Translations and locale formats. Strings live in ``dashboard/locales/<lang>.json``, editable without code.

English is complete and is the fallback: a key missing in another language shows the English text rather
than a raw key, and a test lists every key each language lacks. Numbers, percentages and plurals
follow the Unicode CLDR data through Babel rather than hand-made rules: a German reader expects ``1.234,5``
and "1 Organisation", a Slovenian one "2 organizaciji" and "5 organizacij".
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from babel import Locale, numbers

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DEFAULT_LANGUAGE = "en"
#: Language codes in the order of the header's switcher, each named in its own language.
LANGUAGES = {"en": "English", "de": "Deutsch", "fr": "Français", "it": "Italiano", "sl": "Slovenščina"}

#: CLDR plural categories a catalogue may spell out; a missing one (French "many", for a million) falls back
#: to "other", which every plural text has.
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


@lru_cache(maxsize=None)
def locale(language: str) -> Locale:
    return Locale.parse(supported(language))


@lru_cache(maxsize=None)
def load_catalogue(language: str) -> dict[str, str]:
    path = LOCALES_DIR / f"{language}.json"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def translate(key: str, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for ``key`` in ``language``, with ``{name}`` placeholders filled from ``values``."""
    text = load_catalogue(language).get(key)
    if text is None:
        text = load_catalogue(DEFAULT_LANGUAGE).get(key)
    if text is None:
        raise KeyError(f"no text for {key!r} in the {DEFAULT_LANGUAGE} catalogue")
    return text.format(**values) if values else text


def supported(language: str | None) -> str:
    """``language`` if the atlas speaks it, else the default."""
    code = (language or "").strip().lower()[:2]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def negotiate(accept_language: str | None) -> str:
    """The best supported language for a browser's ``Accept-Language`` header, by its q-values."""
    choices = []
    for position, part in enumerate((accept_language or "").split(",")):
        code, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        base = code.strip().lower()[:2]
        if base in LANGUAGES and quality > 0:
            choices.append((-quality, position, base))
    return min(choices)[2] if choices else DEFAULT_LANGUAGE


@lru_cache(maxsize=8192)
def format_number(value: float, language: str, decimals: int = 0) -> str:
    """Cached: a map update formats a few hundred numbers, mostly the same small counts, and Babel takes ~25 µs
    for each."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return numbers.format_decimal(value, format=pattern, locale=locale(language))


def format_percent(value: float, language: str, decimals: int = 0) -> str:
    """``value`` (a fraction) in the language's own percent pattern: "25.5%", "25,5 %", "25,5%"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    pattern = locale(language).percent_formats[None].pattern.split(";")[0]
    if decimals:
        pattern = pattern.replace("0%", "0." + "0" * decimals + "%").replace("0\u00a0%", "0." + "0" * decimals + "\u00a0%")
    return numbers.format_percent(value, format=pattern, locale=locale(language))


def percent_suffix(language: str) -> str:
    """What follows the number in a percentage ("%" or a no-break space and "%"), for chart ticks that must
    read like the labels beside them."""
    text = format_percent(0.1, language)
    return text[text.index(format_number(10, language)) + len(format_number(10, language)):]


def plotly_separators(language: str) -> str:
    """Plotly's ``layout.separators``: the decimal mark, then the thousands separator."""
    code = locale(language)
    return numbers.get_decimal_symbol(code) + numbers.get_group_symbol(code)


def plural_category(count: float, language: str) -> str:
    """The CLDR plural category of ``count`` in ``language`` (one, two, few, many or other)."""
    return locale(language).plural_form(abs(count))


def translate_plural(key: str, count: float, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text of ``key`` for ``count`` items: ``key.<category>``, else ``key.other``; ``{count}`` is filled
    with the number in the language's format."""
    category = plural_category(count, language)
    catalogue = load_catalogue(language)
    chosen = f"{key}.{category}" if f"{key}.{category}" in catalogue else f"{key}.other"
    decimals = 0 if float(count).is_integer() else 1
    return translate(chosen, language, count=format_number(count, language, decimals), **values)


def country_name(code: str, language: str) -> str:
    """A country's name in ``language`` from CLDR (NUTS writes Greece EL and the United Kingdom UK)."""
    territory = {"EL": "GR", "UK": "GB"}.get(code, code)
    return locale(language).territories.get(territory, code)


class Translator:
    """``_("key", **values)`` for one language, with that language's number formats."""

    def __init__(self, language: str = DEFAULT_LANGUAGE):
        self.language = supported(language)

    def __call__(self, key: str, **values: object) -> str:
        return translate(key, self.language, **values)

    def number(self, value: float, decimals: int = 0) -> str:
        return format_number(value, self.language, decimals)

    def percent(self, value: float, decimals: int = 0) -> str:
        return format_percent(value, self.language, decimals)

    def plural(self, key: str, count: float, **values: object) -> str:
        return translate_plural(key, count, self.language, **values)

    def country(self, code: str) -> str:
        return country_name(code, self.language)

    @property
    def percent_suffix(self) -> str:
        return percent_suffix(self.language)

    @property
    def separators(self) -> str:
        return plotly_separators(self.language)
