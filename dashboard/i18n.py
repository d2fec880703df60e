"""Translations and locale formats. Strings live in ``dashboard/locales/<lang>.json``, editable without code.

English is complete and is the fallback: a key missing in another language shows the English text rather
than a raw key, and a test lists every key each language lacks. Numbers are formatted here too, because a
German reader expects ``1.234,5`` where an English one expects ``1,234.5``.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DEFAULT_LANGUAGE = "en"
#: Language codes in the order of the header's switcher, each named in its own language.
LANGUAGES = {"en": "English", "de": "Deutsch", "fr": "Français", "it": "Italiano", "sl": "Slovenščina"}

#: (decimal mark, thousands separator, space before %) per language.
NUMBER_FORMATS = {
    "en": (".", ",", ""),
    "de": (",", ".", "\u00a0"),
    "fr": (",", "\u202f", "\u00a0"),
    "it": (",", ".", "\u00a0"),
    "sl": (",", ".", "\u00a0"),
}


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


def format_number(value: float, language: str, decimals: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    decimal_mark, thousands, _ = NUMBER_FORMATS.get(language, NUMBER_FORMATS[DEFAULT_LANGUAGE])
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", decimal_mark).replace("\x00", thousands)


def format_percent(value: float, language: str, decimals: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    space = NUMBER_FORMATS.get(language, NUMBER_FORMATS[DEFAULT_LANGUAGE])[2]
    return f"{format_number(value * 100, language, decimals)}{space}%"


def plotly_separators(language: str) -> str:
    """Plotly's ``layout.separators``: the decimal mark, then the thousands separator."""
    decimal_mark, thousands, _ = NUMBER_FORMATS.get(language, NUMBER_FORMATS[DEFAULT_LANGUAGE])
    return decimal_mark + thousands


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

    @property
    def separators(self) -> str:
        return plotly_separators(self.language)
