"""The one translation function. Strings live in ``dashboard/locales/<lang>.json``, editable without code.

English is complete and is the fallback: a key missing in another language shows the English text rather
than a raw key, and a test lists every key each language lacks.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DEFAULT_LANGUAGE = "en"
LANGUAGES = {"en": "English"}


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


_ = translate
